package diffbench.jmh;

import diffbench.schema.RuntimeKind;
import diffbench.schema.Mode;
import static diffbench.schema.ResultColumn.*;

import diffbench.pipeline.OutputCheck;
import diffbench.pipeline.PipelineSpec;
import diffbench.schema.ImageThroughput;
import diffbench.schema.ResultRow;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.function.Function;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.ListStatistics;

/**
 * One finished cell as result rows: one per denoising stage (IF has three), or one without figures
 * when the cell did not finish. All rows of a cell share its cell key, so a re-run replaces them together.
 */
final class CellRows {

    /** The schema's runtime id for this harness (docs/results-schema.md); Python baselines have their own. */
    static final String RUNTIME_ID = RuntimeKind.diffbench.id();

    /** The run-wide settings a row records. */
    record Settings(String profile, int warmups, int measurements, long memoryCapMib, String emulate, String inductorOptions) {}

    private CellRows() {}

    /** @param gpu the GPU's clocks, power and temperature while the measured calls ran, where sampled */
    static List<ResultRow> of(HostEnvironment env, Settings settings, Cell cell, CellOutcome outcome,
            ForkReport.Content fork, RunResult result, Optional<GpuSampler.Summary> gpu) {
        EngineVersions engine = fork.engine == null ? env.engine() : fork.engine.orElse(env.engine());
        ResultRow.Builder base = ResultRow.builder()
                .set(GPU_SLUG, env.gpuSlug())
                .set(CUDA, engine.cuda())
                .set(CUDNN, engine.cudnn())
                .set(LIBTORCH, engine.libtorch())
                .set(DJL, engine.djl())
                .set(JNI, env.jni())
                .set(JVM, env.jvm())
                .set(HOST, env.host())
                .set(HOST_CPU, env.hostCpu())
                .set(GIT_COMMIT, env.gitCommit())
                .set(TIME, Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .set(RUNTIME, RUNTIME_ID)
                .set(DEVICE, cell.device())
                .set(PIPELINE, cell.pipeline())
                .set(BATCH, cell.batch())
                .set(MODE, cell.mode())
                .set(ATTENTION, cell.attention())
                .set(DTYPE, cell.dtype())
                .set(MODEL_SIZE, cell.tiny() ? "tiny" : "full")
                .set(STEPS, cell.steps())
                .set(RESOLUTION, resolution(cell, ""))
                .set(PROFILE, settings.profile())
                .set(WARMUP_CALLS, settings.warmups())
                .set(MEASUREMENT_CALLS, settings.measurements())
                .set(MEMORY_CAP_MIB, settings.memoryCapMib() > 0 ? settings.memoryCapMib() : null)
                .set(EMULATE, settings.emulate())
                .outcome(outcome.outcome())
                .set(ERROR_MESSAGE, outcome.message())
                .set(LOAD_SECONDS, span(fork, "load", settings.warmups() > 0 ? "warmup:1" : "iteration:1"))
                .set(WARMUP_SECONDS, settings.warmups() > 0 ? span(fork, "warmup:1", "iteration:1")
                        : fork.marks.containsKey("iteration:1") ? "0" : "")
                .set(WARMUP_PEAK_MEMORY_MIB, fork.warmupPeakMemoryBytes < 0 ? "" : number(fork.warmupPeakMemoryBytes / (1024.0 * 1024.0)))
                .set(COMPILER, Mode.fromId(cell.mode()).compiler())
                .set(COMPILER_OPTIONS, cell.mode().equals("compiled") ? settings.inductorOptions() : "")
                .set(COMPILE_SECONDS, fork.compileCache == null ? "" : number(fork.compileSeconds))
                .set(COMPILE_CACHE, fork.compileCache == null ? "" : fork.compileCache);
        gpu.ifPresent(g -> base.set(SM_CLOCK_MHZ, number(g.smClockMhz())).set(GPU_POWER_W, number(g.powerW()))
                .set(GPU_TEMPERATURE_C, number(g.maxTemperatureC())).set(CLOCK_LIMITS, g.clockLimits()));
        env.gpu().ifPresent(g -> base.set(GPU_NAME, g.name())
                .set(GPU_MEMORY_MIB, g.memoryMib() < 0 ? null : g.memoryMib())
                .set(DRIVER, g.driver()));
        if (!outcome.ok()) {
            return List.of(base.build());
        }
        return figures(base.build(), result, cell);
    }

    /**
     * The row this run would write for a cell whose fork reported nothing: its cell key and settings
     * as the cell's real rows will have them, which is what tells an earlier row of the same cell.
     */
    static ResultRow planned(HostEnvironment env, Settings settings, Cell cell) {
        return of(env, settings, cell, CellOutcome.error("not measured yet"), new ForkReport.Content(), null, Optional.empty()).get(0);
    }

    /** Per stage: it/s over the measured calls, and the call-wide figures repeated on each stage row. */
    private static List<ResultRow> figures(ResultRow base, RunResult result, Cell cell) {
        List<IterationResult> calls = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            calls.addAll(fork.getIterationResults());
        }
        ListStatistics seconds = stats(calls, ir -> ir.getPrimaryResult());
        ListStatistics outside = stats(calls, ir -> ir.getSecondaryResults().get(CallTimingsProfiler.OUTSIDE_LOOP));
        ListStatistics peak = stats(calls, ir -> ir.getSecondaryResults().get(CallTimingsProfiler.PEAK_MEMORY));
        ListStatistics reserved = stats(calls, ir -> ir.getSecondaryResults().get(CallTimingsProfiler.PEAK_RESERVED));
        // call-wide, like seconds per call: the IF cascade's stage rows repeat them
        String imagesPerSecond = number(ImageThroughput.imagesPerSecond(cell.batch(), seconds.getMean()));
        String joulesPerImage = number(ImageThroughput.joulesPerImage(base.decimal(GPU_POWER_W), seconds.getMean(), cell.batch()));
        List<ResultRow> rows = new ArrayList<>();
        for (String stage : stages(calls)) {
            ListStatistics its = stats(calls, ir -> ir.getSecondaryResults().get(CallTimingsProfiler.itsLabel(stage)));
            ListStatistics unetCalls = stats(calls, ir -> ir.getSecondaryResults().get(CallTimingsProfiler.unetCallsLabel(stage)));
            ListStatistics tflops = stats(calls, ir -> ir.getSecondaryResults().get(CallTimingsProfiler.tflopsLabel(stage)));
            ListStatistics check = stats(calls, ir -> ir.getSecondaryResults().get(CallTimingsProfiler.outputCheckLabel(stage)));
            rows.add(base.toBuilder()
                    .set(STAGE, stage)
                    .set(RESOLUTION, resolution(cell, stage))
                    .set(ITS_MEAN, number(its.getMean()))
                    .set(ITS_MIN, number(its.getMin()))
                    .set(ITS_MAX, number(its.getMax()))
                    .set(ITS_STDDEV, number(its.getN() > 1 ? its.getStandardDeviation() : 0))
                    .set(SECONDS_PER_CALL_MEAN, number(seconds.getMean()))
                    .set(SECONDS_PER_CALL_STDDEV, number(seconds.getN() > 1 ? seconds.getStandardDeviation() : 0))
                    .set(OUTSIDE_LOOP_SECONDS, number(outside.getMean()))
                    .set(PEAK_MEMORY_MIB, peak.getN() == 0 ? "" : number(peak.getMax()))
                    .set(PEAK_RESERVED_MIB, reserved.getN() == 0 ? "" : number(reserved.getMax()))
                    .set(IMAGES_PER_SECOND, imagesPerSecond)
                    .set(JOULES_PER_IMAGE, joulesPerImage)
                    .set(UNET_CALLS_PER_IMAGE, unetCalls.getN() == 0 ? "" : number(unetCalls.getMax()))
                    .set(DENOISER_TFLOPS, tflops.getN() == 0 ? "" : number(tflops.getMean()))
                    .set(OUTPUT_CHECK, check.getN() == 0 ? "" : OutputCheck.fromScore(check.getMin()).id())
                    .build());
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

    /** Seconds between two of the fork's phase marks, or empty when it did not reach both. */
    private static String span(ForkReport.Content fork, String from, String to) {
        Long start = fork.marks.get(from);
        Long end = fork.marks.get(to);
        return start == null || end == null ? "" : number((end - start) / 1000.0);
    }

    /** As {@link #number(double)}; empty when there is no figure. */
    static String number(OptionalDouble v) {
        return v.isPresent() ? number(v.getAsDouble()) : "";
    }

    /** Six significant digits, no exponent: 0.0123457, 41.2346, 1234.57. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** The pipeline's output size for a stage; a failed IF cell (no stage) lists all three. */
    private static String resolution(Cell cell, String stage) {
        diffbench.schema.PipelineId id = diffbench.schema.PipelineId.fromId(cell.pipeline());
        if (id == diffbench.schema.PipelineId.IF && stage.isEmpty()) {
            return String.join("/", diffbench.schema.Resolutions.label(id, "I", cell.tiny()),
                    diffbench.schema.Resolutions.label(id, "II", cell.tiny()),
                    diffbench.schema.Resolutions.label(id, "III", cell.tiny()));
        }
        return diffbench.schema.Resolutions.label(id, stage, cell.tiny());
    }
}
