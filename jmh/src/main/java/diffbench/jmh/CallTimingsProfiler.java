package diffbench.jmh;

import diffbench.pipeline.CallResult;
import diffbench.pipeline.OutputCheck;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Turns the pipeline call of each single-shot iteration into JMH secondary results: denoising it/s
 * per stage (`its`, or `its_I`, `its_II`, `its_III` for IF), the denoiser's TFLOP/s, seconds outside
 * the loop, peak memory (allocated and, where known, reserved) and iterations per call. They land in JMH's console, JSON and `IterationResult`s like any metric.
 *
 * <p>Why not `@AuxCounters(OPERATIONS)`: in SingleShotTime it is dropped, and in Throughput it is
 * divided by the whole iteration's time (text encoder, VAE, overrun) while diffusers' it/s divides
 * by the loop's own time, which only the pipeline measures. Runs inside the fork, next to the call.
 */
public final class CallTimingsProfiler implements InternalProfiler {

    static final String ITS = "its";
    static final String OUTSIDE_LOOP = "outside_loop_s";
    static final String PEAK_MEMORY = "peak_memory_mib";
    static final String PEAK_RESERVED = "peak_reserved_mib";
    static final String UNET_CALLS = "unet_calls";
    static final String TFLOPS = "denoiser_tflops";
    static final String OUTPUT_CHECK = "output_check";

    private static volatile CallResult last;
    private static volatile Map<String, OutputCheck> lastChecks = Map.of();

    /** The benchmark hands over each call's result, and the check of each stage's output images. */
    static void record(CallResult result, Map<String, OutputCheck> checksByStage) {
        last = result;
        lastChecks = Map.copyOf(checksByStage);
    }

    static String itsLabel(String stage) {
        return stage.isEmpty() ? ITS : ITS + "_" + stage;
    }

    static String unetCallsLabel(String stage) {
        return stage.isEmpty() ? UNET_CALLS : UNET_CALLS + "_" + stage;
    }

    static String tflopsLabel(String stage) {
        return stage.isEmpty() ? TFLOPS : TFLOPS + "_" + stage;
    }

    static String outputCheckLabel(String stage) {
        return stage.isEmpty() ? OUTPUT_CHECK : OUTPUT_CHECK + "_" + stage;
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        last = null;
        lastChecks = Map.of();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        CallResult call = last;
        List<Result> out = new ArrayList<>();
        if (call == null) {
            return out;
        }
        for (CallResult.StageTiming stage : call.stages()) {
            out.add(new ScalarResult(itsLabel(stage.stage()), stage.iterationsPerSecond(), "it/s", AggregationPolicy.AVG));
            out.add(new ScalarResult(unetCallsLabel(stage.stage()), stage.unetCalls(), "#", AggregationPolicy.AVG));
            out.add(new ScalarResult(tflopsLabel(stage.stage()), stage.denoiserTflops(), "TFLOP/s", AggregationPolicy.AVG));
            OutputCheck check = lastChecks.get(stage.stage());
            if (check != null) {
                // worst of the calls: OK 1, flat 0, non-finite -1
                out.add(new ScalarResult(outputCheckLabel(stage.stage()), check.score(), "", AggregationPolicy.MIN));
            }
        }
        out.add(new ScalarResult(OUTSIDE_LOOP, call.outsideLoopSeconds(), "s", AggregationPolicy.AVG));
        if (call.peakMemoryBytes() >= 0) {
            out.add(new ScalarResult(PEAK_MEMORY, call.peakMemoryBytes() / (1024.0 * 1024.0), "MiB", AggregationPolicy.MAX));
        }
        if (call.peakReservedBytes() >= 0) {
            out.add(new ScalarResult(PEAK_RESERVED, call.peakReservedBytes() / (1024.0 * 1024.0), "MiB", AggregationPolicy.MAX));
        }
        return out;
    }

    @Override
    public String getDescription() {
        return "diffbench pipeline call timings: denoising it/s per stage, time outside the loop, peak memory";
    }
}
