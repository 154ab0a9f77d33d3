package diffbench.schema;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * The cards in `gpu-profiles/<slug>.json`: memory, dense tensor-core peaks and bandwidth. The harness
 * reads them for --emulate (memory caps), the reports for each card's peak (model FLOPs utilisation).
 * Other files in the folder (the published figures' CSV) are not profiles and are skipped.
 */
public final class GpuProfiles {

    /** One card; a peak is null where the card has no such tensor-core path (bf16 before Ampere). */
    public record GpuProfile(
            String slug,
            String name,
            @SerializedName("memory_mib") long memoryMib,
            @SerializedName("fp16_tflops") Double fp16Tflops,
            @SerializedName("bf16_tflops") Double bf16Tflops,
            @SerializedName("bandwidth_gbs") double bandwidthGbs,
            List<String> aliases,
            String source) {

        /** The dense tensor-core peak for a dtype id ({@code fp16}, {@code bf16}); empty for fp32 or an unknown peak. */
        public OptionalDouble peakTflops(String dtype) {
            Double peak = switch (dtype) {
                case "fp16" -> fp16Tflops;
                case "bf16" -> bf16Tflops;
                default -> null;
            };
            return peak == null || peak <= 0 ? OptionalDouble.empty() : OptionalDouble.of(peak);
        }
    }

    private static final Gson GSON = new Gson();

    private final List<GpuProfile> profiles;

    private GpuProfiles(List<GpuProfile> profiles) {
        this.profiles = profiles;
    }

    /** No cards (a report without a profiles folder). */
    public static GpuProfiles none() {
        return new GpuProfiles(List.of());
    }

    public static GpuProfiles load(Path dir) {
        List<GpuProfile> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try (Reader r = Files.newBufferedReader(f)) {
                    GpuProfile p = GSON.fromJson(r, GpuProfile.class);
                    if (p == null || p.slug() == null || p.memoryMib() <= 0) {
                        throw new IllegalStateException(f + ": a GPU profile needs slug and memory_mib");
                    }
                    all.add(p);
                } catch (JsonParseException e) {
                    throw new IllegalStateException(f + " is not valid JSON: " + JsonErrors.describe(e), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read GPU profiles in " + dir, e);
        }
        return new GpuProfiles(List.copyOf(all));
    }

    public List<GpuProfile> all() {
        return profiles;
    }

    /** By slug or alias, ignoring case and punctuation: `T4`, `t4`, `a100-80gb`, `H100`. */
    public Optional<GpuProfile> find(String card) {
        String key = GpuSlug.of(card);
        return profiles.stream()
                .filter(p -> p.slug().equals(key)
                        || (p.aliases() != null && p.aliases().stream().anyMatch(a -> GpuSlug.of(a).equals(key))))
                .findFirst();
    }

    /** Like {@link #find} but fails naming the known cards. */
    public GpuProfile resolve(String card) {
        return find(card).orElseThrow(() -> new IllegalArgumentException("unknown card '" + card + "' for -Demulate: use one of "
                + String.join(", ", profiles.stream().map(GpuProfile::slug).toList())));
    }
}
