package diffbench.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Shows each single-shot iteration's call figures ({@link CallFigures}) as JMH secondary results:
 * denoising it/s per stage (`its`, or `its_I`, `its_II`, `its_III` for IF), the denoiser's TFLOP/s,
 * seconds outside the loop, peak memory (allocated and, where known, reserved) and iterations per call,
 * for JMH's own console and JSON. The
 * harness's rows do not read them back: they come from the fork's record of the same figures ({@link ForkReport}).
 *
 * <p>Why not `@AuxCounters(OPERATIONS)`: in SingleShotTime it is dropped, and in Throughput it is
 * divided by the whole iteration's time (text encoder, VAE, overrun) while diffusers' it/s divides
 * by the loop's own time, which only the pipeline measures. Runs inside the fork, next to the call.
 */
public final class CallTimingsProfiler implements InternalProfiler {

    private static final String ITS = "its";
    private static final String OUTSIDE_LOOP = "outside_loop_s";
    private static final String PEAK_MEMORY = "peak_memory_mib";
    private static final String PEAK_RESERVED = "peak_reserved_mib";
    private static final String UNET_CALLS = "unet_calls";
    private static final String TFLOPS = "denoiser_tflops";
    private static final String OUTPUT_CHECK = "output_check";

    private static volatile CallFigures last;

    /** The benchmark hands over each call's figures. */
    static void record(CallFigures figures) {
        last = figures;
    }

    private static String label(String metric, String stage) {
        return stage.isEmpty() ? metric : metric + "_" + stage;
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        last = null;
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        CallFigures call = last;
        List<Result> out = new ArrayList<>();
        if (call == null) {
            return out;
        }
        for (CallFigures.Stage stage : call.stages()) {
            out.add(new ScalarResult(label(ITS, stage.stage()), stage.iterationsPerSecond(), "it/s", AggregationPolicy.AVG));
            out.add(new ScalarResult(label(UNET_CALLS, stage.stage()), stage.unetCalls(), "#", AggregationPolicy.AVG));
            out.add(new ScalarResult(label(TFLOPS, stage.stage()), stage.denoiserTflops(), "TFLOP/s", AggregationPolicy.AVG));
            if (stage.check() != null) {
                // worst of the calls: OK 1, flat 0, non-finite -1
                out.add(new ScalarResult(label(OUTPUT_CHECK, stage.stage()), stage.check().score(), "", AggregationPolicy.MIN));
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
