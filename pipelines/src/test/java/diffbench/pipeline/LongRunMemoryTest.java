package diffbench.pipeline;

import diffbench.schema.Attention;
import diffbench.schema.DeviceKind;
import diffbench.schema.Dtype;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;
import diffbench.schedulers.StepCounting;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 500-step tiny run keeps native memory flat: every step's arrays live in a sub-manager closed at
 * the end of the step, so the arrays held by the pipeline do not grow with steps or calls.
 */
class LongRunMemoryTest {

    @Test
    void fiveHundredStepsLeaveNoArraysBehind() {
        PipelineSpec spec = new PipelineSpec(PipelineId.SD_TXT2IMG, 1, Mode.eager, Attention.sdpa,
                Dtype.fp32, 500, true, DeviceKind.cpu, Optional.empty());
        PipelineOptions options = new PipelineOptions(PipelineOptions.BENCHMARK_PROMPT, Optional.empty(), Optional.empty(),
                ImageSink.NONE, StepCounting.PLAIN);
        try (BenchmarkPipeline p = Pipelines.open(spec, options)) {
            StableDiffusion15 sd = (StableDiffusion15) p;
            CallResult first = p.call();
            assertEquals(500, first.stages().get(0).iterations());
            int afterFirst = sd.session.manager.getManagedArrays().size();
            p.call();
            int afterSecond = sd.session.manager.getManagedArrays().size();
            assertEquals(afterFirst, afterSecond, "arrays held after each call");
            assertTrue(afterSecond < 20, "arrays held do not scale with the 500 steps: " + afterSecond);
        }
    }
}
