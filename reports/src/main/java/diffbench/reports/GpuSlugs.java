package diffbench.reports;

import java.util.Locale;

/** GPU names to the slugs results files and profiles use: "RTX 3090" → "rtx3090", "A100" → "a100". */
final class GpuSlugs {
    private GpuSlugs() {
    }

    static String of(String gpuName) {
        return gpuName.toLowerCase(Locale.ROOT).replace("nvidia", "").replaceAll("[^a-z0-9]", "");
    }

    /** Whether a measured card is the published one: "a100" matches "a100" and "a100-80gb". */
    static boolean sameCard(String measuredSlug, String publishedSlug) {
        return measuredSlug.equals(publishedSlug) || measuredSlug.startsWith(publishedSlug + "-");
    }
}
