package diffbench.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import diffbench.torchscript.StorageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static diffbench.nn.LayerHarness.assertClose;

/**
 * Every building block, emitted alone and inside a small tree, loaded through DJL on CPU: its
 * output equals the reference computed with NDArray operations from the weights the loaded module
 * holds. fp32 tolerance: 1e-4 of the output's scale (float reordering only).
 */
class LayerOutputsTest {
    static final double FP32 = 1e-4;
    @TempDir
    Path dir;

    @Test
    void conv2dWithStrideAndPadding() throws Exception {
        for (int[] sp : new int[][] {{1, 1}, {2, 1}, {1, 0}, {2, 0}}) {
            try (LayerHarness h = new LayerHarness(new Conv2d(4, 6, 3, sp[0], sp[1]), StorageType.FLOAT32, dir)) {
                NDArray x = h.input(1, 2, 4, 9, 9);
                assertClose(new Reference(h.params).conv("", x, sp[0], sp[1]), h.run(x), FP32, "conv stride/pad " + sp[0] + sp[1]);
            }
        }
    }

    @Test
    void linearWithAndWithoutBias() throws Exception {
        for (boolean bias : new boolean[] {true, false}) {
            try (LayerHarness h = new LayerHarness(new Linear(8, 5, bias), StorageType.FLOAT32, dir)) {
                NDArray x = h.input(2, 2, 3, 8);
                assertClose(new Reference(h.params).linear("", x, bias), h.run(x), FP32, "linear bias=" + bias);
            }
        }
    }

    @Test
    void groupNormAndLayerNorm() throws Exception {
        try (LayerHarness h = new LayerHarness(new GroupNorm(4, 8, 1e-6), StorageType.FLOAT32, dir)) {
            NDArray x = h.input(3, 2, 8, 5, 5).mul(3).add(1);
            assertClose(new Reference(h.params).groupNorm("", x, 4, 1e-6), h.run(x), FP32, "group norm");
        }
        try (LayerHarness h = new LayerHarness(new LayerNorm(16, 1e-5), StorageType.FLOAT32, dir)) {
            NDArray x = h.input(4, 2, 7, 16).mul(2).sub(1);
            assertClose(new Reference(h.params).layerNorm("", x, 1e-5), h.run(x), FP32, "layer norm");
        }
    }

    @Test
    void attentionSelfAndCrossInBothKernels() throws Exception {
        for (AttentionKernel kernel : AttentionKernel.values()) {
            try (LayerHarness h = new LayerHarness(new Attention(32, 24, 4, 8, kernel), StorageType.FLOAT32, dir)) {
                NDArray x = h.input(5, 2, 10, 32);
                NDArray ctx = h.input(6, 2, 7, 24);
                assertClose(new Reference(h.params).attention("", x, ctx, 4), h.run(x, ctx), FP32, "cross attention " + kernel);
            }
            try (LayerHarness h = new LayerHarness(new Attention(32, 32, 2, 16, kernel), StorageType.FLOAT32, dir)) {
                NDArray x = h.input(7, 2, 10, 32);
                assertClose(new Reference(h.params).attention("", x, x, 2), h.run(x, x), FP32, "self attention " + kernel);
            }
        }
    }

    @Test
    void feedForwardWithGeglu() throws Exception {
        try (LayerHarness h = new LayerHarness(new FeedForward(16, 64), StorageType.FLOAT32, dir)) {
            NDArray x = h.input(8, 2, 5, 16);
            assertClose(new Reference(h.params).feedForward("", x), h.run(x), FP32, "feed-forward");
        }
    }

    @Test
    void transformer2dWithConvAndLinearProjections() throws Exception {
        for (boolean linear : new boolean[] {false, true}) {
            for (int groups : new int[] {32, 8}) { // the UNet's norm_num_groups reaches the norm
                Layer t = new Transformer2DModel(32, 4, 24, 2, linear, false, groups, AttentionKernel.SDPA);
                try (LayerHarness h = new LayerHarness(t, StorageType.FLOAT32, dir)) {
                    NDArray x = h.input(9, 2, 32, 4, 4);
                    NDArray ctx = h.input(10, 2, 7, 24);
                    assertClose(new Reference(h.params).transformer2d("", x, ctx, 4, 2, linear, groups), h.run(x, ctx), FP32,
                            "transformer2d linear=" + linear + " groups=" + groups);
                }
            }
        }
    }

    @Test
    void ifAddedKvAttentionWithTheConfigsGroupsAndNormCrossAt32() throws Exception {
        for (boolean onlyCross : new boolean[] {false, true}) {
            for (int groups : new int[] {32, 8}) {
                Layer a = new AddedKvAttention(32, 64, 16, onlyCross, groups, AttentionKernel.MATH);
                try (LayerHarness h = new LayerHarness(a, StorageType.FLOAT32, dir)) {
                    NDArray x = h.input(22, 2, 32, 4, 4).mul(2).add(0.5);
                    NDArray ctx = h.input(23, 2, 7, 64).mul(3);
                    assertClose(new Reference(h.params).addedKvAttention("", x, ctx, 16, groups, onlyCross), h.run(x, ctx),
                            FP32, "added-KV attention onlyCross=" + onlyCross + " groups=" + groups);
                }
            }
        }
    }

    @Test
    void resnetBlocksWithShortcutTimeEmbeddingAndResampling() throws Exception {
        ResnetBlock2D.Options unet = ResnetBlock2D.Options.unet(16, 1e-5);
        for (ResnetBlock2D.Resample r : ResnetBlock2D.Resample.values()) {
            for (long out : new long[] {32, 64}) {
                try (LayerHarness h = new LayerHarness(new ResnetBlock2D(32, out, unet.withResample(r)), StorageType.FLOAT32, dir)) {
                    NDArray x = h.input(11, 2, 32, 8, 8);
                    NDArray temb = h.input(12, 2, 16);
                    assertClose(new Reference(h.params).resnet("", x, temb, out != 32, r, 1e-5), h.run(x, temb), FP32,
                            "resnet " + r + " -> " + out);
                }
            }
        }
        try (LayerHarness h = new LayerHarness(new ResnetBlock2D(32, 64, ResnetBlock2D.Options.vae()), StorageType.FLOAT32, dir)) {
            NDArray x = h.input(13, 1, 32, 6, 6);
            assertClose(new Reference(h.params).resnet("", x, null, true, ResnetBlock2D.Resample.NONE, 1e-6), h.run(x), FP32,
                    "vae resnet");
        }
    }

    @Test
    void samplersAndTimeEmbeddings() throws Exception {
        try (LayerHarness h = new LayerHarness(new Downsample2D(8, false), StorageType.FLOAT32, dir)) {
            NDArray x = h.input(14, 2, 8, 8, 8);
            assertClose(new Reference(h.params).conv("conv.", x, 2, 1), h.run(x), FP32, "downsample");
        }
        try (LayerHarness h = new LayerHarness(new Downsample2D(8, true), StorageType.FLOAT32, dir)) {
            NDArray x = h.input(15, 2, 8, 8, 8);
            NDArray padded = x.getManager().zeros(new Shape(2, 8, 9, 9));
            padded.set(new NDIndex(":, :, :8, :8"), x);
            assertClose(new Reference(h.params).conv("conv.", padded, 2, 0), h.run(x), FP32, "vae downsample");
        }
        try (LayerHarness h = new LayerHarness(new Upsample2D(8), StorageType.FLOAT32, dir)) {
            NDArray x = h.input(16, 2, 8, 4, 4);
            assertClose(new Reference(h.params).conv("conv.", Reference.upsampleNearest(x), 1, 1), h.run(x), FP32, "upsample");
        }
        try (LayerHarness h = new LayerHarness(new Timesteps(32, true, 0), StorageType.FLOAT32, dir)) {
            NDArray t = h.nd.create(new float[] {1, 500, 999});
            assertClose(Reference.timesteps(t, 32), h.run(t), FP32, "timesteps");
        }
        try (LayerHarness h = new LayerHarness(new TimestepEmbedding(32, 64, Activation.SILU), StorageType.FLOAT32, dir)) {
            NDArray x = h.input(17, 3, 32);
            Reference ref = new Reference(h.params);
            NDArray expected = ref.linear("linear_2.", Reference.silu(ref.linear("linear_1.", x, true)), true);
            assertClose(expected, h.run(x), FP32, "timestep embedding");
        }
    }

    @Test
    void blocksInsideATreeKeepTheirNamesAndResults() throws Exception {
        Layer resnet = new ResnetBlock2D(32, 64, ResnetBlock2D.Options.unet(16, 1e-5));
        try (LayerHarness h = new LayerHarness(new Nest(resnet, "x", "temb"), StorageType.FLOAT32, dir)) {
            NDArray x = h.input(18, 2, 32, 8, 8);
            NDArray temb = h.input(19, 2, 16);
            assertClose(new Reference(h.params).resnet("inner.0.", x, temb, true, ResnetBlock2D.Resample.NONE, 1e-5),
                    h.run(x, temb), FP32, "nested resnet");
        }
        Layer transformer = new Transformer2DModel(32, 4, 24, 1, false, false, 32, AttentionKernel.MATH);
        try (LayerHarness h = new LayerHarness(new Nest(transformer, "x", "context"), StorageType.FLOAT32, dir)) {
            NDArray x = h.input(20, 2, 32, 4, 4);
            NDArray ctx = h.input(21, 2, 7, 24);
            assertClose(new Reference(h.params).transformer2d("inner.0.", x, ctx, 4, 1, false, 32), h.run(x, ctx), FP32,
                    "nested transformer");
        }
    }
}
