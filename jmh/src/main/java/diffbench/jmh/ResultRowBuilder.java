package diffbench.jmh;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.ListStatistics;

/**
 * One finished cell as CSV rows keyed by the schema's column names: one row per denoising stage
 * (IF has three), or one row without figures when the cell did not finish. The one class to switch
 * to diffbench.schema.ResultRow when that lands.
 */
final class ResultRowBuilder {

    static final String SCHEMA_VERSION = "1";

    static final List<String> COLUMNS = List.of(
            "schema_version", "gpu_slug", "gpu_name", "gpu_memory_mib", "driver", "cuda", "libtorch", "djl", "jni",
            "jvm", "host", "git_commit", "time", "runtime", "device", "pipeline", "stage", "batch", "mode",
            "attention", "dtype", "model_size", "steps", "resolution", "profile", "warmup_calls",
            "measurement_calls", "memory_cap_mib", "emulate", "outcome", "error_message", "its_mean", "its_min",
            "its_max", "its_stddev", "seconds_per_call_mean", "seconds_per_call_stddev", "outside_loop_seconds",
            "peak_memory_mib", "unet_calls_per_image");

    /**
     * What makes two rows the same cell: re-running it replaces them. `stage` is left out on purpose
     * so a cell that now fails replaces all three IF stage rows it had.
     */
    static final List<String> CELL_KEY = List.of(
            "gpu_slug", "runtime", "libtorch", "jni", "device", "pipeline", "batch", "mode", "attention", "dtype",
            "model_size", "steps", "emulate");

    static final String RUNTIME = "djl-pytorch";

    /** The run-wide settings a row records. */
    record Settings(String profile, int warmups, int measurements, long memoryCapMib, String emulate) {}

    private ResultRowBuilder() {}

    static List<Map<String, String>> rows(HostEnvironment env, Settings settings, Cell cell, CellOutcome outcome,
            ForkReport.Content fork, RunResult result) {
        Map<String, String> base = new LinkedHashMap<>();
        COLUMNS.forEach(c -> base.put(c, ""));
        base.put("schema_version", SCHEMA_VERSION);
        base.put("gpu_slug", env.gpuSlug());
        env.gpu().ifPresent(g -> {
            base.put("gpu_name", g.name());
            base.put("gpu_memory_mib", g.memoryMib() < 0 ? "" : Long.toString(g.memoryMib()));
            base.put("driver", g.driver());
        });
        base.put("cuda", fork.env.getOrDefault("cuda", ""));
        base.put("libtorch", fork.env.getOrDefault("libtorch", ""));
        base.put("djl", fork.env.getOrDefault("djl", ""));
        base.put("jni", env.jni());
        base.put("jvm", env.jvm());
        base.put("host", env.host());
        base.put("git_commit", env.gitCommit());
        base.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        base.put("runtime", RUNTIME);
        base.put("device", cell.device());
        base.put("pipeline", cell.pipeline());
        base.put("batch", Integer.toString(cell.batch()));
        base.put("mode", cell.mode());
        base.put("attention", cell.attention());
        base.put("dtype", cell.dtype());
        base.put("model_size", cell.tiny() ? "tiny" : "full");
        base.put("steps", Integer.toString(cell.steps()));
        base.put("resolution", Resolutions.of(cell.pipeline(), "", cell.tiny()));
        base.put("profile", settings.profile());
        base.put("warmup_calls", Integer.toString(settings.warmups()));
        base.put("measurement_calls", Integer.toString(settings.measurements()));
        base.put("memory_cap_mib", settings.memoryCapMib() > 0 ? Long.toString(settings.memoryCapMib()) : "");
        base.put("emulate", settings.emulate());
        base.put("outcome", outcome.outcome());
        base.put("error_message", outcome.message());
        if (!outcome.ok()) {
            return List.of(base);
        }
        return figures(base, result, cell);
    }

    /** Per stage: it/s over the measured calls, and the call-wide figures repeated on each stage row. */
    private static List<Map<String, String>> figures(Map<String, String> base, RunResult result, Cell cell) {
        List<IterationResult> calls = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            calls.addAll(fork.getIterationResults());
        }
        ListStatistics seconds = stats(calls, ir -> ir.getPrimaryResult());
        ListStatistics outside = stats(calls, ir -> ir.getSecondaryResults().get(CallTimingsProfiler.OUTSIDE_LOOP));
        ListStatistics peak = stats(calls, ir -> ir.getSecondaryResults().get(CallTimingsProfiler.PEAK_MEMORY));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String stage : stages(calls)) {
            ListStatistics its = stats(calls, ir -> ir.getSecondaryResults().get(CallTimingsProfiler.itsLabel(stage)));
            ListStatistics iterations = stats(calls, ir -> ir.getSecondaryResults().get(CallTimingsProfiler.iterationsLabel(stage)));
            Map<String, String> row = new LinkedHashMap<>(base);
            row.put("stage", stage);
            row.put("resolution", Resolutions.of(cell.pipeline(), stage, cell.tiny()));
            row.put("its_mean", number(its.getMean()));
            row.put("its_min", number(its.getMin()));
            row.put("its_max", number(its.getMax()));
            row.put("its_stddev", number(its.getN() > 1 ? its.getStandardDeviation() : 0));
            row.put("seconds_per_call_mean", number(seconds.getMean()));
            row.put("seconds_per_call_stddev", number(seconds.getN() > 1 ? seconds.getStandardDeviation() : 0));
            row.put("outside_loop_seconds", number(outside.getMean()));
            row.put("peak_memory_mib", peak.getN() == 0 ? "" : number(peak.getMax()));
            row.put("unet_calls_per_image", iterations.getN() == 0 ? "" : number(iterations.getMax()));
            rows.add(row);
        }
        return rows;
    }

    /** Stage names from the secondary results: "" for `its`, "I" for `its_I`, in order. */
    private static List<String> stages(List<IterationResult> calls) {
        TreeSet<String> stages = new TreeSet<>((a, b) -> a.length() != b.length() ? a.length() - b.length() : a.compareTo(b));
        for (IterationResult ir : calls) {
            for (String label : ir.getSecondaryResults().keySet()) {
                if (label.equals(CallTimingsProfiler.ITS)) {
                    stages.add("");
                } else if (label.startsWith(CallTimingsProfiler.ITS + "_")) {
                    stages.add(label.substring(CallTimingsProfiler.ITS.length() + 1));
                }
            }
        }
        return List.copyOf(stages);
    }

    private static ListStatistics stats(List<IterationResult> calls, Function<IterationResult, Result<?>> metric) {
        ListStatistics s = new ListStatistics();
        for (IterationResult ir : calls) {
            Result<?> r = metric.apply(ir);
            if (r != null) {
                s.addValue(r.getScore());
            }
        }
        return s;
    }

    /** Six significant digits, no exponent: 0.0123457, 41.2346, 1234.57. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
