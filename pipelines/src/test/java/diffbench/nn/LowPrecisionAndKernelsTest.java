package diffbench.nn;

import ai.djl.ndarray.NDArray;
import diffbench.torchscript.StorageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static diffbench.nn.LayerHarness.assertClose;

/**
 * fp16 and bf16 archives load and run, and agree with the fp32 reference computed from the same
 * (rounded) weights; the sdpa and math attention kernels agree. Tolerances: fp16 2e-2 and bf16
 * 6e-2 of the output's scale (activations rounded to 11 and 8 significant bits at every op).
 */
class LowPrecisionAndKernelsTest {
    @TempDir
    Path dir;

    @Test
    void halfAndBfloat16ArchivesRunAResnetAndATransformer() throws Exception {
        for (StorageType type : new StorageType[] {StorageType.FLOAT16, StorageType.BFLOAT16}) {
            double tol = type == StorageType.FLOAT16 ? 2e-2 : 6e-2;
            try (LayerHarness h = new LayerHarness(new ResnetBlock2D(32, 64, ResnetBlock2D.Options.unet(16, 1e-5)), type, dir, "x", "temb")) {
                NDArray x = h.input(1, 2, 32, 8, 8);
                NDArray temb = h.input(2, 2, 16);
                NDArray expected = new Reference(h.params).resnet("", x, temb, true, ResnetBlock2D.Resample.NONE, 1e-5);
                assertClose(expected, h.run(x, temb), tol, "resnet " + type);
            }
            Layer t = new Transformer2DModel(32, 4, 24, 1, true, false, 32, AttentionKernel.SDPA);
            try (LayerHarness h = new LayerHarness(t, type, dir, "x", "context")) {
                NDArray x = h.input(3, 2, 32, 4, 4);
                NDArray ctx = h.input(4, 2, 7, 24);
                NDArray expected = new Reference(h.params).transformer2d("", x, ctx, 4, 1, true, 32);
                assertClose(expected, h.run(x, ctx), tol, "transformer " + type);
            }
        }
    }

    @Test
    void sdpaAndMathKernelsAgreeOnTheSameWeights() throws Exception {
        for (StorageType type : new StorageType[] {StorageType.FLOAT32, StorageType.BFLOAT16}) {
            NDArray sdpa;
            NDArray math;
            Layer a = new Transformer2DModel(32, 2, 24, 1, false, false, 32, AttentionKernel.SDPA);
            Layer b = new Transformer2DModel(32, 2, 24, 1, false, false, 32, AttentionKernel.MATH);
            try (LayerHarness h = new LayerHarness(a, type, dir, "x", "context")) {
                sdpa = h.run(h.input(5, 2, 32, 4, 4), h.input(6, 2, 7, 24));
                sdpa.detach();
            }
            try (LayerHarness h = new LayerHarness(b, type, dir, "x", "context")) {
                math = h.run(h.input(5, 2, 32, 4, 4), h.input(6, 2, 7, 24));
                math.detach();
            }
            assertClose(math, sdpa, type == StorageType.FLOAT32 ? 1e-5 : 3e-2, "sdpa vs math " + type);
            sdpa.close();
            math.close();
        }
        for (AttentionKernel k : AttentionKernel.values()) {
            try (LayerHarness h = new LayerHarness(new SpatialAttention(32, 1, 1e-6, k), StorageType.FLOAT32, dir)) {
                NDArray x = h.input(7, 1, 32, 4, 4);
                Reference r = new Reference(h.params);
                NDArray t = r.groupNorm("group_norm.", x, 32, 1e-6).reshape(1, 32, 16).transpose(0, 2, 1);
                NDArray o = r.linear("to_out.0.", Reference.attend(r.linear("to_q.", t, true), r.linear("to_k.", t, true),
                        r.linear("to_v.", t, true), 1), true);
                assertClose(o.transpose(0, 2, 1).reshape(1, 32, 4, 4).add(x), h.run(x), 1e-4, "spatial attention " + k);
            }
        }
    }
}
