package diffbench.models.unet;

import diffbench.models.controlnet.ControlNetModel;
import diffbench.models.controlnet.ControlNets;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.StorageType;
import diffbench.weights.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FLOPs per forward at the pipelines' default shapes, and the cost of emitting the full networks. */
class UNetCostTest {
    @TempDir
    Path dir;

    /** The compute figures of docs/engine-facts.md §4 (0.80 and 6.76 TFLOP) are per UNet row, i.e. per batch element. */
    @Test
    void flopsPerRowMatchTheMeasuredAnchors() {
        assertClose(0.80e12, UNets.Variant.SD15.flopsAtDefaultShape(), 0.01, "SD 1.5 UNet, 64x64, 77 tokens");
        assertClose(6.76e12, UNets.Variant.SDXL.flopsAtDefaultShape(), 0.01, "SDXL UNet, 128x128, 77 tokens");
    }

    @Test
    void flopsFollowTheShapes() {
        long extraInputs = 2L * 64 * 64 * 320 * 5 * 9; // conv_in: 5 more input channels, 3x3
        assertEquals(UNets.Variant.SD15.flopsAtDefaultShape() + extraInputs, UNets.Variant.INPAINT.flopsAtDefaultShape());
        UNet2DConditionModel sd = UNets.sd15(AttentionKernel.SDPA);
        assertEquals(2 * sd.flops(new long[] {1, 4, 64, 64}, 77), sd.flops(new long[] {2, 4, 64, 64}, 77), "linear in batch");
        ControlNetModel cn = ControlNets.canny(AttentionKernel.SDPA);
        long controlnet = cn.flops(ControlNets.DEFAULT_SAMPLE, ControlNets.CONTEXT_TOKENS);
        assertTrue(controlnet > 0.3 * sd.flops(ControlNets.DEFAULT_SAMPLE, 77)
                && controlnet < 0.5 * sd.flops(ControlNets.DEFAULT_SAMPLE, 77), "the encoder half plus the control parts");
    }

    /**
     * The full SD 1.5 and SDXL archives with on-device weights hold no weight values (1.7 and 5.1 GB in
     * fp16), only one per tensor, so writing them is cheap; the time is printed, not asserted (speed is
     * for benchmarks: README's table has the figures).
     */
    @Test
    void fullArchivesWithOnDeviceWeightsHoldNoWeightValues() throws Exception {
        for (UNets.Variant v : new UNets.Variant[] {UNets.Variant.SD15, UNets.Variant.SDXL}) {
            long start = System.nanoTime();
            Layer unet = v.build(AttentionKernel.SDPA);
            Path file = dir.resolve(v + ".pt");
            ArchiveWriter.write(unet.emit(SyntheticWeights.onDevice(), StorageType.FLOAT16), file);
            double seconds = (System.nanoTime() - start) / 1e9;
            long bytes = Files.size(file);
            System.out.printf("%s: built and written in %.2f s, %,d bytes%n", v, seconds, bytes);
            assertTrue(bytes < 2_000_000, v + " archive is " + bytes + " bytes");
        }
    }

    private static void assertClose(double expected, double actual, double relative, String what) {
        assertTrue(Math.abs(actual - expected) <= relative * expected, what + ": " + actual + " vs " + expected);
    }
}
