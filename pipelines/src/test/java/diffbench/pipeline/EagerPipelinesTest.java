package diffbench.pipeline;

import diffbench.models.catalog.NetworkCatalog;
import diffbench.models.clip.TextEncoders;
import diffbench.nn.AttentionKernel;
import diffbench.runtime.EngineMode;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;
import diffbench.schema.Resolutions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every pipeline end to end in eager mode, tiny configs on CPU, at batch 1 and 2. */
class EagerPipelinesTest {

    @Test
    void batchOne() {
        PipelineRuns.allPipelinesProduceImages(Mode.eager, 1);
    }

    @Test
    void batchTwo() {
        PipelineRuns.allPipelinesProduceImages(Mode.eager, 2);
    }

    /** The loop's FLOPs are every denoiser call's: UNet (and ControlNet) on 2 x batch rows, per UNet call. */
    @Test
    void denoiserFlopsCountEveryCallOfTheLoop() {
        int batch = 2;
        long[] rows = {2L * batch, 4, Resolutions.pixels(PipelineId.SD_TXT2IMG, true) / 8, Resolutions.pixels(PipelineId.SD_TXT2IMG, true) / 8};
        long unet = NetworkCatalog.SD15_UNET.tiny(AttentionKernel.SDPA).flops(rows, TextEncoders.TOKENS);
        long controlNet = NetworkCatalog.SD15_CONTROLNET_CANNY.tiny(AttentionKernel.SDPA).flops(rows, TextEncoders.TOKENS);
        assertTrue(unet > 0 && controlNet > 0);
        for (PipelineId id : new PipelineId[] {PipelineId.SD_TXT2IMG, PipelineId.SD_CONTROLNET}) {
            CallResult.StageTiming loop = PipelineRuns.callTiny(id, batch, 3).stages().get(0);
            long perCall = id == PipelineId.SD_CONTROLNET ? unet + controlNet : unet;
            assertEquals(loop.unetCalls() * perCall, loop.denoiserFlops(), id.id());
            assertEquals(loop.denoiserFlops() / loop.loopSeconds() / 1e12, loop.denoiserTflops(), 1e-12);
        }
    }

    @Test
    void switchingModeInOneJvmIsRefused() {
        PipelineRuns.runTiny(PipelineId.SD_TXT2IMG, 1, Mode.eager, 1, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PipelineRuns.runTiny(PipelineId.SD_TXT2IMG, 1, Mode.tsProfiling, 1, 1));
        assertTrue(e.getMessage().contains("new process"), e.getMessage());
    }

    @Test
    void cudaGraphModeIsRefusedOnCpuWithTheFix() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> PipelineRuns.runTiny(PipelineId.SD_TXT2IMG, 1, Mode.cudaGraph, 1, 1));
        assertTrue(e.getMessage().contains("needs a CUDA GPU") && e.getMessage().endsWith("use ts-profiling"), e.getMessage());
        // refused before the engine settings: this JVM can still run eager
        PipelineRuns.runTiny(PipelineId.SD_TXT2IMG, 1, Mode.eager, 1, 1);
    }

    @Test
    void compiledModeOnDjlsOwnJniIsRefusedWithTheFix() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> PipelineRuns.runTiny(PipelineId.SD_TXT2IMG, 1, Mode.compiled, 1, 1));
        assertTrue(e.getMessage().startsWith("mode compiled cannot run here: it needs diffbench's own JNI (pass --libtorch DIR"),
                e.getMessage());
        PipelineRuns.runTiny(PipelineId.SD_TXT2IMG, 1, Mode.eager, 1, 1);
    }

    @Test
    void modesGoByTheirIds() {
        assertEquals(Mode.cudaGraph, Mode.fromId("cuda-graph"));
        assertEquals("cuda-graph", Mode.cudaGraph.toString());
        assertTrue(EngineMode.of(Mode.cudaGraph).optimizesGraphs()
                && !EngineMode.of(Mode.eager).optimizesGraphs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.fromId("graph"));
        assertTrue(e.getMessage().contains("unknown mode 'graph': use one of eager, compiled, ts-profiling, cuda-graph"), e.getMessage());
    }
}
