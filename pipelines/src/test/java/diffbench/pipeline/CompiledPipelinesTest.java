package diffbench.pipeline;

import diffbench.runtime.ExecutionMode;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;
import diffbench.schema.Resolutions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every pipeline end to end in ts-profiling mode (optimising graph executor, which specialises after
 * warm-up calls), tiny configs on CPU, at batch 1 and 2. Runs in its own JVM (see pipelines/pom.xml).
 */
class CompiledPipelinesTest {

    @Test
    void batchOne() {
        PipelineRuns.allPipelinesProduceImages(Mode.tsProfiling, 1);
    }

    @Test
    void batchTwo() {
        PipelineRuns.allPipelinesProduceImages(Mode.tsProfiling, 2);
    }

    @Test
    void repeatedCallsAfterWarmUpKeepProducingImages() {
        // the profiling executor swaps in an optimised plan after its profiling runs
        PipelineRuns.assertImages(PipelineRuns.runTiny(PipelineId.SD_TXT2IMG, 1, Mode.tsProfiling, 2, 4),
                "sd-txt2img", 1, Resolutions.pixels(PipelineId.SD_TXT2IMG, true));
        assertEquals(Mode.tsProfiling, ExecutionMode.active());
    }
}
