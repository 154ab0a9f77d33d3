package diffbench.jmh;

import diffbench.pipeline.OutputCheck;
import diffbench.schema.ImageThroughput;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;
import diffbench.schema.Resolutions;
import diffbench.schema.ResultRow;
import diffbench.schema.RuntimeKind;
import org.openjdk.jmh.util.ListStatistics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

import static diffbench.schema.ResultColumn.*;

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
            ForkReport.Content fork, Optional<GpuSampler.Summary> gpu) {
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
                .set(LOAD_SECONDS, span(fork, Phase.LOAD, settings.warmups() > 0 ? Phase.warmup(1) : Phase.measured(1)))
                .set(WARMUP_SECONDS, settings.warmups() > 0 ? span(fork, Phase.warmup(1), Phase.measured(1))
                        : fork.mark(Phase.measured(1)) != null ? "0" : "")
                .set(WARMUP_PEAK_MEMORY_MIB, fork.warmupPeakMemoryBytes < 0 ? "" : number(fork.warmupPeakMemoryBytes / (1024.0 * 1024.0)))
                .set(COMPILER, Mode.fromId(cell.mode()).compiler())
                .set(COMPILER_OPTIONS, Mode.fromId(cell.mode()).compilesAheadOfTime() ? settings.inductorOptions() : "")
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
        return figures(base.build(), fork.calls, cell);
    }

    /**
     * The row this run would write for a cell whose fork reported nothing: its cell key and settings
     * as the cell's real rows will have them, which is what tells an earlier row of the same cell.
     */
    static ResultRow planned(HostEnvironment env, Settings settings, Cell cell) {
        return of(env, settings, cell, CellOutcome.error("not measured yet"), new ForkReport.Content(), Optional.empty()).get(0);
    }

    /** Per stage: it/s over the measured calls the fork recorded, and the call-wide figures repeated on each stage row. */
    private static List<ResultRow> figures(ResultRow base, List<CallFigures> calls, Cell cell) {
        ListStatistics seconds = stats(calls.stream().map(CallFigures::seconds));
        ListStatistics outside = stats(calls.stream().map(CallFigures::outsideLoopSeconds));
        ListStatistics peak = stats(calls.stream().filter(c -> c.peakMemoryBytes() >= 0)
                .map(c -> c.peakMemoryBytes() / (1024.0 * 1024.0)));
        // stage names in the pipeline's order ("" for one stage; I, II, III for IF)
        Map<String, List<CallFigures.Stage>> stages = new LinkedHashMap<>();
        for (CallFigures call : calls) {
            for (CallFigures.Stage stage : call.stages()) {
                stages.computeIfAbsent(stage.stage(), k -> new ArrayList<>()).add(stage);
            }
        }
        ListStatistics reserved = stats(calls.stream().filter(c -> c.peakReservedBytes() >= 0)
                .map(c -> c.peakReservedBytes() / (1024.0 * 1024.0)));
        // call-wide, like seconds per call: the IF cascade's stage rows repeat them
        String imagesPerSecond = number(ImageThroughput.imagesPerSecond(cell.batch(), seconds.getMean()));
        String joulesPerImage = number(ImageThroughput.joulesPerImage(base.decimal(GPU_POWER_W), seconds.getMean(), cell.batch()));
        List<ResultRow> rows = new ArrayList<>();
        stages.forEach((stage, figures) -> {
            ListStatistics its = stats(figures.stream().map(CallFigures.Stage::iterationsPerSecond));
            ListStatistics unetCalls = stats(figures.stream().map(f -> (double) f.unetCalls()));
            ListStatistics tflops = stats(figures.stream().map(CallFigures.Stage::denoiserTflops));
            // the worst of the calls' output checks: ok, flat, non-finite
            Optional<OutputCheck> check = figures.stream().map(CallFigures.Stage::check).filter(Objects::nonNull)
                    .min(Comparator.comparingInt(OutputCheck::score));
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
                    .set(OUTPUT_CHECK, check.map(OutputCheck::id).orElse(""))
                    .build());
        });
        return rows;
    }

    private static ListStatistics stats(Stream<Double> values) {
        ListStatistics s = new ListStatistics();
        values.forEach(s::addValue);
        return s;
    }

    /** Seconds between two of the fork's phase marks, or empty when it did not reach both. */
    private static String span(ForkReport.Content fork, Phase from, Phase to) {
        Long start = fork.mark(from);
        Long end = fork.mark(to);
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
        PipelineId id = PipelineId.fromId(cell.pipeline());
        if (id == PipelineId.IF && stage.isEmpty()) {
            return String.join("/", Resolutions.label(id, "I", cell.tiny()),
                    Resolutions.label(id, "II", cell.tiny()),
                    Resolutions.label(id, "III", cell.tiny()));
        }
        return Resolutions.label(id, stage, cell.tiny());
    }
}
