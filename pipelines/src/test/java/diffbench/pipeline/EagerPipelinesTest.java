package diffbench.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void cudaGraphModeIsRefusedOnCpuWithTheFix() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> PipelineRuns.runTiny(PipelineId.SD_TXT2IMG, 1, PipelineSpec.Mode.cudaGraph, 1, 1));
        assertTrue(e.getMessage().contains("needs a CUDA GPU") && e.getMessage().endsWith("use compiled"), e.getMessage());
        // refused before the engine settings: this JVM can still run eager
        PipelineRuns.runTiny(PipelineId.SD_TXT2IMG, 1, PipelineSpec.Mode.eager, 1, 1);
    }

    @Test
    void modesGoByTheirIds() {
        assertEquals(PipelineSpec.Mode.cudaGraph, PipelineSpec.Mode.fromId("cuda-graph"));
        assertEquals("cuda-graph", PipelineSpec.Mode.cudaGraph.toString());
        assertTrue(PipelineSpec.Mode.cudaGraph.optimizes() && !PipelineSpec.Mode.eager.optimizes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PipelineSpec.Mode.fromId("graph"));
        assertTrue(e.getMessage().contains("eager, compiled or cuda-graph"), e.getMessage());
    }
}
