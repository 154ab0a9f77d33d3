package diffbench.jmh;

import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import diffbench.pipeline.BenchmarkPipeline;
import diffbench.pipeline.CallResult;
import diffbench.pipeline.OutputCheck;
import diffbench.pipeline.PipelineOptions;
import diffbench.pipeline.PipelineSpec;
import diffbench.pipeline.Pipelines;
import diffbench.runtime.CudaExtras;
import diffbench.runtime.Engines;
import diffbench.schedulers.StepCounting;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One cell of the matrix: a pipeline loaded once per fork, then called once per JMH iteration.
 *
 * <p>SingleShotTime makes an iteration exactly one call, so warm-up and measurement counts are call
 * counts and "failed in iteration N" is "failed in call N"; the primary score is seconds per call.
 * The denoising it/s comes from the pipeline's own loop timing: each measured call's figures go into
 * the fork's report ({@link CallFigures}), which the harness reads, and to JMH via {@link CallTimingsProfiler}.
 * The harness ({@link HarnessMain}) sets every parameter and the iteration counts per cell; the
 * defaults here only make the class runnable by hand.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
@State(Scope.Benchmark)
public class PipelineBenchmark {

    @Param("sd-txt2img") public String pipeline;
    @Param("1") public int batch;
    @Param("eager") public String mode;
    @Param("sdpa") public String attention;
    @Param("fp32") public String dtype;
    @Param("5") public int steps;
    @Param("true") public boolean tiny;
    @Param("cpu") public String device;

    private BenchmarkPipeline pipe;
    private ForkReport report;
    private FaultInjection faults;
    private Phase phase = Phase.LOAD;
    private int warmupCalls;
    private int measuredCalls;
    /** Each output image's check in the current call, by stage. */
    private final Map<String, OutputCheck> outputChecks = new HashMap<>();

    @Setup(Level.Trial)
    public void load() {
        ParentWatch.startFromSystemProperty("the JMH fork"); // a fork stuck in native code outlives no harness
        report = ForkReport.fromSystemProperty();
        report.jvmStarted(ManagementFactory.getRuntimeMXBean().getStartTime());
        report.phase(Phase.LOAD);
        try {
            report.engine(engineVersions());
            faults = FaultInjection.fromSystemProperties();
            MemoryCapHook.applyFromSystemProperty();
            faults.at(Phase.LOAD);
            PipelineOptions options = new PipelineOptions(PipelineOptions.BENCHMARK_PROMPT, Optional.empty(), Optional.empty(),
                    (name, images) -> {
                        outputChecks.put(OutputCheck.stageOf(name), OutputCheck.of(images));
                        OutputDump.write(this, name, images);
                    }, StepCounting.BENCHMARK);
            pipe = Pipelines.open(spec(), options);
        } catch (RuntimeException | Error e) {
            report.failed(e);
            throw e;
        }
    }

    /** Counts calls per kind, so the marker and the injected faults name "warmup:2", "iteration:1". */
    @Setup(Level.Iteration)
    public void nextCall(IterationParams iteration) {
        phase = iteration.getType() == IterationType.WARMUP
                ? Phase.warmup(++warmupCalls)
                : Phase.measured(++measuredCalls);
        report.phase(phase);
    }

    @Benchmark
    public CallResult call() {
        try {
            faults.at(phase);
            outputChecks.clear();
            CallResult result = pipe.call();
            report.compile(pipe.compileRecord());
            CallFigures figures = CallFigures.of(result, outputChecks);
            CallTimingsProfiler.record(figures);
            if (phase.kind() == Phase.Kind.warmup) {
                report.warmupPeak(result.peakMemoryBytes());
            } else {
                report.measured(figures);
            }
            return result;
        } catch (RuntimeException | Error e) {
            report.failed(e);
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (pipe != null) {
            pipe.close();
        }
        report.phase(Phase.DONE);
    }

    private PipelineSpec spec() {
        return new Cell(pipeline, batch, mode, attention, dtype, steps, tiny, device).spec();
    }

    /**
     * What this fork's engine really is (the harness JVM never loads libtorch). Started through
     * Engines, so a chosen libtorch (DIFFBENCH_LIBTORCH) gets the project's JNI before DJL starts.
     */
    private static EngineVersions engineVersions() {
        Engine engine = Engines.pytorch();
        String cuda = CudaUtils.hasCuda() ? cudaVersion(CudaUtils.getCudaVersion()) : "";
        return new EngineVersions(engine.getVersion(), Engine.getDjlVersion(), cuda, CudaExtras.cudnnVersion());
    }

    /** cudaRuntimeGetVersion's 13000 as "13.0", as torch.version.cuda writes it (DJL's own string is "130"). */
    static String cudaVersion(int runtimeVersion) {
        return runtimeVersion / 1000 + "." + (runtimeVersion / 10) % 10;
    }
}
