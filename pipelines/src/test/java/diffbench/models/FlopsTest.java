package diffbench.models;

import diffbench.models.clip.TextEncoders;
import diffbench.models.vae.Vaes;
import diffbench.nn.AttentionKernel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FLOPs per forward at the pipelines' default shapes (batch 1; 2 FLOPs per multiply-accumulate of
 * convolutions, linears and attention products). The VAE figures equal an independent per-layer sum
 * (a script summing conv/attention products over the structure written out by hand); the text
 * encoders' follow from the closed form per layer: 8TD² (q, k, v, out) + 4T²D (scores, weighted
 * sum) + 4TDI (MLP).
 */
class FlopsTest {
    private static final AttentionKernel K = AttentionKernel.SDPA;

    @Test
    void vaeDecodeAndEncode() {
        assertEquals(2_514_518_933_504L, Vaes.sd15(K).decodeFlops(new long[] {1, 4, 64, 64}));
        assertEquals(10_470_392_594_432L, Vaes.sdxl(K).decodeFlops(new long[] {1, 4, 128, 128}));
        assertEquals(3_094_792_896_512L, Vaes.x4(K).decodeFlops(new long[] {1, 4, 128, 128}));
        assertEquals(670_619_009_024L, Vaes.x4(K).decodeFlops(new long[] {1, 4, 64, 64}));
        assertEquals(1_116_658_466_816L, Vaes.sd15(K).encodeFlops(new long[] {1, 3, 512, 512}));
        assertEquals(4_878_950_727_680L, Vaes.sdxl(K).encodeFlops(new long[] {1, 3, 1024, 1024}));
        assertEquals(2 * 2_514_518_933_504L, Vaes.sd15(K).decodeFlops(new long[] {2, 4, 64, 64}), "linear in batch");
    }

    @Test
    void textEncodersAt77Tokens() {
        assertEquals(perLayer(768, 3072) * 12, TextEncoders.clipL(K).flops(1, 77));
        assertEquals(13_298_503_680L, TextEncoders.clipL(K).flops(1, 77));
        assertEquals(perLayer(1280, 5120) * 32 + 2L * 1280 * 1280, TextEncoders.openClipBigG(K).flops(1, 77));
        assertEquals(perLayer(1024, 4096) * 23, TextEncoders.openClipH23(K).flops(1, 77));
    }

    private static long perLayer(long d, long i) {
        long t = 77;
        return 8 * t * d * d + 4 * t * t * d + 4 * t * d * i;
    }
}
