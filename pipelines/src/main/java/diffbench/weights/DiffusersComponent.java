package diffbench.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import diffbench.nn.Layer;
import diffbench.schema.JsonErrors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One component folder of a local diffusers pipeline ({@code unet/}, {@code vae/},
 * {@code text_encoder/}, {@code text_encoder_2/}, {@code controlnet/}): its {@code config.json}
 * and its safetensors weights, {@code diffusion_pytorch_model[.fp16].safetensors} or (transformers
 * components) {@code model[.fp16].safetensors}, or shards listed by a {@code ….safetensors.index.json}.
 * Without a variant the full-precision file is preferred, then fp16.
 */
public record DiffusersComponent(Path dir, Path config, List<Path> weightFiles) {
    private static final List<String> STEMS = List.of("diffusion_pytorch_model", "model");

    public DiffusersComponent {
        weightFiles = List.copyOf(weightFiles);
    }

    /** The component {@code name} of the pipeline folder {@code root}. */
    public static DiffusersComponent of(Path root, String name) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("model folder " + root + " does not exist");
        }
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(root + " has no " + name + "/ component (it has " + listing(root) + ")");
        }
        return at(dir, null);
    }

    /** A component folder itself; {@code variant} (e.g. "fp16") picks that file, null prefers the full one. */
    public static DiffusersComponent at(Path dir, String variant) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("component folder " + dir + " does not exist");
        }
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException(dir + " has no config.json");
        }
        List<String> suffixes = variant != null ? List.of("." + variant) : List.of("", ".fp16");
        for (String suffix : suffixes) {
            for (String stem : STEMS) {
                Path single = dir.resolve(stem + suffix + ".safetensors");
                if (Files.isRegularFile(single)) {
                    return new DiffusersComponent(dir, config, List.of(single));
                }
                Path index = dir.resolve(stem + ".safetensors.index" + suffix + ".json");
                Path indexAlt = dir.resolve(stem + suffix + ".safetensors.index.json");
                for (Path i : List.of(index, indexAlt)) {
                    if (Files.isRegularFile(i)) {
                        return new DiffusersComponent(dir, config, shards(i));
                    }
                }
            }
        }
        throw new IllegalArgumentException(dir + " has no safetensors weights" + (variant != null ? " of variant " + variant : "")
                + " (looked for diffusion_pytorch_model[.fp16].safetensors and model[.fp16].safetensors; it has "
                + listing(dir) + "); only safetensors checkpoints are read");
    }

    /** The shard files an index's weight_map names, each present. */
    private static List<Path> shards(Path index) {
        try {
            JsonElement root = JsonParser.parseString(Files.readString(index));
            JsonObject map = root.getAsJsonObject().getAsJsonObject("weight_map");
            if (map == null) {
                throw new IllegalArgumentException(index + " has no weight_map");
            }
            TreeSet<String> files = new TreeSet<>();
            map.entrySet().forEach(e -> files.add(e.getValue().getAsString()));
            List<Path> paths = files.stream().map(f -> index.resolveSibling(f)).toList();
            for (Path p : paths) {
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException(index + " names shard " + p.getFileName() + ", which is missing");
                }
            }
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException(index + ": cannot read: " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(index + ": not a safetensors index (" + JsonErrors.describe(e) + ")", e);
        } catch (IllegalStateException | ClassCastException e) {
            throw new IllegalArgumentException(index + ": not a safetensors index (" + e.getMessage() + ")", e);
        }
    }

    /** The weights for {@code network}, checked name by name (see {@link SafetensorsWeights#matching}). */
    public SafetensorsWeights weightsFor(Layer network) {
        return SafetensorsWeights.matching(weightFiles, network.namedParameters());
    }

    /**
     * The checkpoint's identity for archive caches: its files' paths, sizes and modification times,
     * so a changed file gives a new archive.
     */
    public String fingerprint() {
        StringBuilder key = new StringBuilder("diffusers:");
        for (Path f : weightFiles) {
            try {
                key.append(f.toAbsolutePath()).append(':').append(Files.size(f)).append(':')
                        .append(Files.getLastModifiedTime(f).toMillis()).append(';');
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        return key.toString();
    }

    private static String listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
            return names.isEmpty() ? "nothing" : String.join(", ", names);
        } catch (IOException e) {
            return "an unreadable listing";
        }
    }
}
