package diffbench.models.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import diffbench.nn.AttentionKernel;
import diffbench.weights.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import static diffbench.models.unet.LoadedModel.assertUsable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Each tiny UNet emitted with seeded weights, loaded through DJL on CPU and run with its pipeline's
 * input signature (batch 2 as with classifier-free guidance): output shape right, values finite and
 * not constant.
 */
class UNetForwardTest {
    @TempDir
    Path dir;

    private static final long[] LATENT = {2, 4, 8, 8};

    private static long[] shape(long... s) {
        return s;
    }

    @Test
    void sd15TakesTimestepAsInt64ScalarOrFloatVector() throws Exception {
        UNet2DConditionModel unet = UNets.sd15Tiny(AttentionKernel.SDPA);
        assertEquals(List.of("sample", "timestep", "encoder_hidden_states"), unet.forwardArgumentNames());
        try (LoadedModel m = new LoadedModel(unet, SyntheticWeights.seeded(1), OptionalLong.empty(), dir)) {
            NDArray sample = m.normal(1, LATENT);
            NDArray text = m.normal(2, 2, 7, 32);
            NDArray byInt = m.forward(sample, m.nd.create(981L), text).singletonOrThrow();
            assertUsable(byInt, LATENT, "sd15 int64 0-d timestep");
            NDArray byFloat = m.forward(sample, m.nd.create(new float[] {981, 981}), text).singletonOrThrow();
            assertArrayEquals(byInt.toFloatArray(), byFloat.toFloatArray(), 1e-5f, "int64 and float timesteps agree");
            NDArray other = m.forward(sample, m.nd.create(1L), text).singletonOrThrow();
            assertFalse(Arrays.equals(byInt.toFloatArray(), other.toFloatArray()), "the timestep matters");
        }
    }

    @Test
    void sd15ForwardWithZeroControlEqualsForward() throws Exception {
        UNet2DConditionModel unet = UNets.sd15Tiny(AttentionKernel.MATH);
        try (LoadedModel m = new LoadedModel(unet, SyntheticWeights.seeded(2), OptionalLong.empty(), dir)) {
            NDArray sample = m.normal(3, LATENT);
            NDArray t = m.nd.create(500L);
            NDArray text = m.normal(4, 2, 7, 32);
            List<long[]> skips = unet.skipShapes(LATENT);
            assertEquals(4, skips.size(), "conv_in + 2 states of block 0 + 1 of block 1");
            List<NDArray> zeros = new ArrayList<>();
            for (long[] s : skips) {
                zeros.add(m.nd.zeros(new Shape(s)));
            }
            NDArray midZero = m.nd.zeros(new Shape(skips.get(skips.size() - 1)));
            NDArray plain = m.forward(sample, t, text).singletonOrThrow();
            NDArray controlled = m.call("forward_with_control", sample, t, text, zeros, midZero).singletonOrThrow();
            assertUsable(controlled, LATENT, "forward_with_control");
            assertArrayEquals(plain.toFloatArray(), controlled.toFloatArray(), 0f, "zero residuals change nothing");

            List<NDArray> ones = new ArrayList<>();
            for (long[] s : skips) {
                ones.add(m.nd.ones(new Shape(s)));
            }
            NDArray pushed = m.call("forward_with_control", sample, t, text, ones, midZero).singletonOrThrow();
            assertFalse(Arrays.equals(plain.toFloatArray(), pushed.toFloatArray()), "residuals are added");

            // the same residuals as separate tensor arguments (what a CUDA-graph capture can pass)
            List<Object> flat = new ArrayList<>(List.of(sample, t, text));
            flat.addAll(ones);
            flat.add(midZero);
            NDArray viaArgs = m.call("forward_with_control_args", flat.toArray()).singletonOrThrow();
            assertArrayEquals(pushed.toFloatArray(), viaArgs.toFloatArray(), 0f, "forward_with_control_args");
        }
    }

    @Test
    void inpaintTakesNineChannels() throws Exception {
        try (LoadedModel m = new LoadedModel(UNets.inpaintTiny(AttentionKernel.SDPA), SyntheticWeights.seeded(3),
                OptionalLong.empty(), dir)) {
            NDArray out = m.forward(m.normal(5, 2, 9, 8, 8), m.nd.create(981L), m.normal(6, 2, 7, 32)).singletonOrThrow();
            assertUsable(out, LATENT, "inpaint");
        }
    }

    @Test
    void sdxlTakesTextEmbedsAndTimeIds() throws Exception {
        UNet2DConditionModel unet = UNets.sdxlTiny(AttentionKernel.SDPA);
        assertEquals(List.of("sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids"),
                unet.forwardArgumentNames());
        try (LoadedModel m = new LoadedModel(unet, SyntheticWeights.seeded(4), OptionalLong.empty(), dir)) {
            NDArray ids = m.nd.create(new float[] {1024, 1024, 0, 0, 1024, 1024, 1024, 1024, 0, 0, 1024, 1024},
                    new Shape(2, 6));
            NDArray sample = m.normal(7, LATENT);
            // the tiny SDXL pairs with the tiny text encoders: 32 + 32 wide states, 16-wide pooled projection
            NDArray text = m.normal(8, 2, 7, 64);
            NDArray pooled = m.normal(9, 2, 16);
            NDArray out = m.forward(sample, m.nd.create(981f), text, pooled, ids).singletonOrThrow();
            assertUsable(out, LATENT, "sdxl");
            NDArray otherIds = m.forward(sample, m.nd.create(981f), text, pooled, ids.div(2)).singletonOrThrow();
            assertFalse(Arrays.equals(out.toFloatArray(), otherIds.toFloatArray()), "time_ids matter");
        }
    }

    @Test
    void x4TakesNoiseLevelClassLabels() throws Exception {
        UNet2DConditionModel unet = UNets.x4Tiny(AttentionKernel.SDPA);
        assertEquals(List.of("sample", "timestep", "encoder_hidden_states", "class_labels"), unet.forwardArgumentNames());
        try (LoadedModel m = new LoadedModel(unet, SyntheticWeights.seeded(5), OptionalLong.empty(), dir)) {
            NDArray sample = m.normal(10, 2, 7, 8, 8);
            NDArray text = m.normal(11, 2, 7, 32);
            NDArray out = m.forward(sample, m.nd.create(963L), text, m.nd.create(new long[] {100, 100})).singletonOrThrow();
            assertUsable(out, LATENT, "x4");
            NDArray other = m.forward(sample, m.nd.create(963L), text, m.nd.create(20L)).singletonOrThrow();
            assertFalse(Arrays.equals(out.toFloatArray(), other.toFloatArray()), "the noise level matters");
        }
    }

    @Test
    void ifStageOneProjectsAndPoolsT5States() throws Exception {
        UNet2DConditionModel unet = UNets.ifIMTiny(AttentionKernel.MATH);
        assertEquals(List.of("sample", "timestep", "encoder_hidden_states"), unet.forwardArgumentNames());
        try (LoadedModel m = new LoadedModel(unet, SyntheticWeights.seeded(6), OptionalLong.empty(), dir)) {
            NDArray out = m.forward(m.normal(12, 2, 3, 8, 8), m.nd.create(990L), m.normal(13, 2, 5, 32)).singletonOrThrow();
            assertUsable(out, shape(2, 6, 8, 8), "IF-I");
        }
    }

    @Test
    void ifStageTwoTakesNoiseLevel() throws Exception {
        UNet2DConditionModel unet = UNets.ifIIMTiny(AttentionKernel.SDPA);
        assertEquals(List.of("sample", "timestep", "encoder_hidden_states", "class_labels"), unet.forwardArgumentNames());
        try (LoadedModel m = new LoadedModel(unet, SyntheticWeights.seeded(7), OptionalLong.empty(), dir)) {
            NDArray sample = m.normal(14, 2, 6, 8, 8);
            NDArray text = m.normal(15, 2, 5, 32);
            NDArray out = m.forward(sample, m.nd.create(980L), text, m.nd.create(250L)).singletonOrThrow();
            assertUsable(out, shape(2, 6, 8, 8), "IF-II");
            NDArray other = m.forward(sample, m.nd.create(980L), text, m.nd.create(0L)).singletonOrThrow();
            assertFalse(Arrays.equals(out.toFloatArray(), other.toFloatArray()), "the noise level matters");
        }
    }

    @Test
    void onDeviceInitialisationGivesUsableOutputs() throws Exception {
        try (LoadedModel m = new LoadedModel(UNets.sd15Tiny(AttentionKernel.SDPA), SyntheticWeights.onDevice(),
                OptionalLong.of(42), dir)) {
            NDList out = m.forward(m.normal(16, LATENT), m.nd.create(981L), m.normal(17, 2, 7, 32));
            assertUsable(out.singletonOrThrow(), LATENT, "on-device init");
        }
    }
}
