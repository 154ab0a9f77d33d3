package diffbench.models.vae;

import diffbench.models.KeyListing;
import diffbench.nn.AttentionKernel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The full-size VAEs, built from their bundled configs without materialising a weight. */
class VaeArchitectureTest {

    @Test
    void sd15AndSdxlMatchTheirCheckpointsNameForName() throws Exception {
        AutoencoderKL sd15 = Vaes.sd15(AttentionKernel.SDPA);
        assertEquals(83_653_863L, sd15.parameterCount());
        KeyListing.assertMatches("sd15_vae", sd15);
        AutoencoderKL sdxl = Vaes.sdxl(AttentionKernel.MATH);
        assertEquals(83_653_863L, sdxl.parameterCount());
        KeyListing.assertMatches("sdxl_vae", sdxl);
        assertEquals(0.13025, sdxl.config().scalingFactor());
    }

    @Test
    void x4MatchesItsCheckpointNameForName() throws Exception {
        AutoencoderKL x4 = Vaes.x4(AttentionKernel.SDPA);
        assertEquals(55_325_927L, x4.parameterCount());
        KeyListing.assertMatches("x4_vae", x4);
        assertEquals(4, x4.config().downscale());
    }

    @Test
    void shapesAtThePipelineDefaults() {
        assertArrayEquals(new long[] {1, 3, 512, 512}, Vaes.sd15(AttentionKernel.SDPA).imageShape(new long[] {1, 4, 64, 64}));
        assertArrayEquals(new long[] {1, 4, 128, 128}, Vaes.sdxl(AttentionKernel.SDPA).latentShape(new long[] {1, 3, 1024, 1024}));
        assertArrayEquals(new long[] {1, 3, 512, 512}, Vaes.x4(AttentionKernel.SDPA).imageShape(new long[] {1, 4, 128, 128}));
    }
}
