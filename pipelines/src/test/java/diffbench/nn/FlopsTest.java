package diffbench.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** FLOP counts (2 per multiply-accumulate of convs, linears and attention matmuls) against hand arithmetic. */
class FlopsTest {

    @Test
    void resnetBlockOfSd15FirstUpBlock() {
        // SD 1.5 up_blocks.3.resnets.0: 640 -> 320 channels at 64x64, batch 2 (CFG), time embedding 1280
        ResnetBlock2D r = new ResnetBlock2D(640, 320, ResnetBlock2D.Options.unet(1280, 1e-5));
        long positions = 2L * 64 * 64;
        long conv1 = 2 * positions * 320 * 640 * 9;
        long conv2 = 2 * positions * 320 * 320 * 9;
        long shortcut = 2 * positions * 640 * 320;
        long temb = 2L * 2 * 1280 * 320;
        assertEquals(conv1 + conv2 + shortcut + temb, r.flops(new long[] {2, 640, 64, 64}));
        assertEquals(30_198_988_800L + 15_099_494_400L + 3_355_443_200L + 1_638_400L, r.flops(new long[] {2, 640, 64, 64}));
    }

    @Test
    void crossAttentionOfSd15FirstBlock() {
        // 4096 query tokens of width 320, 77 text tokens of width 768, 8 heads of 40
        Attention a = new Attention(320, 768, 8, 40, AttentionKernel.SDPA);
        long q = 2L * 4096 * 320 * 320;
        long kv = 2L * 2 * 77 * 768 * 320;
        long out = 2L * 4096 * 320 * 320;
        long scores = 2L * 4096 * 77 * 320;
        long weighted = 2L * 4096 * 77 * 320;
        assertEquals(q + kv + out + scores + weighted, a.flops(1, 4096, 77));
        assertEquals(838_860_800L + 75_694_080L + 838_860_800L + 201_850_880L + 201_850_880L, a.flops(1, 4096, 77));
    }

    @Test
    void convolutionWithStrideCountsOutputPositions() {
        Conv2d c = new Conv2d(320, 320, 3, 2, 1);
        assertEquals(2L * 32 * 32 * 320 * 320 * 9, c.flops(new long[] {1, 320, 64, 64}));
    }
}
