package diffbench.jmh;

import diffbench.pipeline.CallResult;
import diffbench.pipeline.OutputCheck;
import java.util.List;
import java.util.Map;

/**
 * One measured call's figures as the fork measured them: the record the fork hands the harness through
 * its {@link ForkReport} (written by {@link PipelineBenchmark}, read by {@link CellRows}). JMH's
 * secondary results ({@link CallTimingsProfiler}) show the same figures in JMH's own console and JSON.
 *
 * @param seconds wall time of the whole call
 * @param peakMemoryBytes peak device memory allocated during the call, -1 where the runtime cannot tell
 * @param peakReservedBytes peak device memory the caching allocator reserved during the call, -1 where unknown
 * @param stages per denoising stage, in the pipeline's order ("" for one stage; I, II, III for IF)
 */
record CallFigures(double seconds, double outsideLoopSeconds, long peakMemoryBytes, long peakReservedBytes, List<Stage> stages) {

    /**
     * One stage of the call.
     *
     * @param check the check of the stage's output images; null where the stage wrote none
     */
    record Stage(String stage, double iterationsPerSecond, int unetCalls, double denoiserTflops, OutputCheck check) {}

    static CallFigures of(CallResult call, Map<String, OutputCheck> checksByStage) {
        return new CallFigures(call.seconds(), call.outsideLoopSeconds(), call.peakMemoryBytes(), call.peakReservedBytes(),
                call.stages().stream()
                .map(s -> new Stage(s.stage(), s.iterationsPerSecond(), s.unetCalls(), s.denoiserTflops(),
                        checksByStage.get(s.stage())))
                .toList());
    }
}
