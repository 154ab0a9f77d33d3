package diffbench.schema;

import java.util.Locale;

/**
 * The one way a GPU's name becomes the slug of its results file, its rows' {@code gpu_slug}, and the
 * key that matches measured rows with published figures and profiles: "NVIDIA GeForce RTX 4090" and
 * "RTX 4090" are both {@code rtx-4090}; "NVIDIA A100-SXM4-80GB" is {@code a100-sxm4-80gb}, the same
 * card as the published "A100".
 */
public final class GpuSlug {
    private GpuSlug() {
    }

    public static String of(String gpuName) {
        return gpuName.toLowerCase(Locale.ROOT)
                .replaceAll("\\b(nvidia|geforce|tesla)\\b", " ")
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
    }

    /**
     * Whether a measured card is a named one: {@code a100-sxm4-80gb} is an {@code a100}, {@code a1000}
     * is not, and neither is a MIG slice of one ({@code a100-sxm4-40gb-mig-1g-5gb}: a fraction of the card).
     */
    public static boolean sameCard(String measuredSlug, String namedSlug) {
        if (measuredSlug.contains("-mig-") && !namedSlug.contains("-mig-")) {
            return false;
        }
        return measuredSlug.equals(namedSlug) || measuredSlug.startsWith(namedSlug + "-");
    }
}
