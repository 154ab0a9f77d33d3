package diffbench.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every pipeline end to end in eager mode, tiny configs on CPU, at batch 1 and 2. */
class EagerPipelinesTest {

    @Test
    void batchOne() {
        PipelineRuns.allPipelinesProduceImages(PipelineSpec.Mode.eager, 1);
    }

    @Test
    void batchTwo() {
        PipelineRuns.allPipelinesProduceImages(PipelineSpec.Mode.eager, 2);
    }

    @Test
    void switchingModeInOneJvmIsRefused() {
        PipelineRuns.runTiny(PipelineId.SD_TXT2IMG, 1, PipelineSpec.Mode.eager, 1, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PipelineRuns.runTiny(PipelineId.SD_TXT2IMG, 1, PipelineSpec.Mode.compiled, 1, 1));
        assertTrue(e.getMessage().contains("new process"), e.getMessage());
    }
}
