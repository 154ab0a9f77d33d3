package diffbench.weights;

import diffbench.nn.WeightSource;
import diffbench.nn.Init;
import diffbench.nn.ParamSpec;
import diffbench.torchscript.StorageType;
import diffbench.torchscript.TensorRef;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real weights from one checkpoint (one or more safetensors shards) by state_dict name. Each
 * parameter's tensor streams from the file when the archive is written, converted to the archive's
 * storage type. {@link #matching} checks the checkpoint against the network first and reports every
 * missing, unexpected and mis-shaped tensor at once.
 *
 * <p>Renames applied while reading: the old VAE attention names {@code query}, {@code key},
 * {@code value}, {@code proj_attn} become {@code to_q}, {@code to_k}, {@code to_v}, {@code to_out.0}
 * (checkpoints saved by diffusers ≤ 0.13). Tolerated extras: {@code text_model.embeddings.position_ids}
 * (a buffer old transformers saved; today's models compute it), listed by {@link #ignored()}.
 */
public final class SafetensorsWeights implements WeightSource {
    private static final Pattern OLD_VAE_ATTENTION =
            Pattern.compile("(.*mid_block\\.attentions\\.\\d+\\.)(query|key|value|proj_attn)(\\.(?:weight|bias))");
    private static final Set<String> TOLERATED = Set.of("text_model.embeddings.position_ids");

    private final String description;
    private final Map<String, Located> tensors;
    private final List<String> ignored;

    private record Located(SafetensorsFile file, SafetensorsFile.Entry entry) {
    }

    private SafetensorsWeights(String description, Map<String, Located> tensors, List<String> ignored) {
        this.description = description;
        this.tensors = tensors;
        this.ignored = ignored;
    }

    /** The checkpoint in {@code files}, checked against {@code expected} (the network's named parameters). */
    public static SafetensorsWeights matching(List<Path> files, Map<String, ParamSpec> expected) {
        String description = files.size() == 1 ? files.get(0).toString() : files.size() + " shards in " + files.get(0).getParent();
        Map<String, Located> byName = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path p : files) {
            SafetensorsFile f = SafetensorsFile.open(p);
            for (SafetensorsFile.Entry e : f.entries().values()) {
                String name = rename(e.name());
                Located previous = byName.put(name, new Located(f, e));
                if (previous != null) {
                    problems.add("duplicate: " + name + " in " + previous.file().path() + " and " + p);
                }
            }
        }
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, ParamSpec> e : expected.entrySet()) {
            Located l = byName.get(e.getKey());
            long[] shape = e.getValue().shape();
            if (l == null) {
                problems.add("missing: " + e.getKey() + " " + Arrays.toString(shape));
            } else if (!Arrays.equals(l.entry().shape(), shape)) {
                problems.add("wrong shape: " + e.getKey() + " is " + Arrays.toString(l.entry().shape()) + " in the file, "
                        + Arrays.toString(shape) + " in the network");
            } else if (!l.entry().dtype().isFloatingPoint()) {
                problems.add("wrong dtype: " + e.getKey() + " is " + l.entry().dtype() + ", a parameter needs F32, F16 or BF16");
            }
        }
        for (Map.Entry<String, Located> e : byName.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                if (TOLERATED.contains(e.getKey())) {
                    ignored.add(e.getKey());
                } else {
                    problems.add("unexpected: " + e.getValue().entry());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new WeightMismatchException(description + " does not fit the network (" + count(problems, "missing") + " missing, "
                    + count(problems, "unexpected") + " unexpected, " + count(problems, "wrong shape") + " with the wrong shape, "
                    + count(problems, "wrong dtype") + " with the wrong dtype, " + count(problems, "duplicate") + " duplicated)",
                    problems);
        }
        return new SafetensorsWeights(description, byName, Collections.unmodifiableList(ignored));
    }

    private static long count(List<String> problems, String kind) {
        return problems.stream().filter(p -> p.startsWith(kind + ":")).count();
    }

    /** The state_dict name a checkpoint's tensor name stands for. */
    static String rename(String name) {
        Matcher m = OLD_VAE_ATTENTION.matcher(name);
        if (!m.matches()) {
            return name;
        }
        String now = switch (m.group(2)) {
            case "query" -> "to_q";
            case "key" -> "to_k";
            case "value" -> "to_v";
            default -> "to_out.0";
        };
        return m.group(1) + now + m.group(3);
    }

    /** Tensors of the file that the network does not have but that are known to be harmless. */
    public List<String> ignored() {
        return ignored;
    }

    @Override
    public TensorRef tensor(String name, long[] shape, Init init, StorageType type) {
        Located l = tensors.get(name);
        if (l == null || !Arrays.equals(l.entry().shape(), shape)) {
            throw new IllegalStateException(description + ": tensor " + name + " " + Arrays.toString(shape)
                    + " was not checked against this network");
        }
        return TensorRef.dense(type, shape, l.file().payload(l.entry()));
    }

    @Override
    public String toString() {
        return description;
    }
}
