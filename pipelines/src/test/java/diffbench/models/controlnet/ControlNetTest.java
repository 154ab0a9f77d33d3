package diffbench.models.controlnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import diffbench.models.unet.LoadedModel;
import diffbench.models.unet.StateDictListing;
import diffbench.models.unet.UNet2DConditionModel;
import diffbench.models.unet.UNets;
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

class ControlNetTest {
    @TempDir
    Path dir;

    @Test
    void cannyStateDictMatchesDiffusers() {
        ControlNetModel net = ControlNets.canny(AttentionKernel.SDPA);
        List<String> expected = StateDictListing.resource("controlnet.txt");
        List<String> actual = StateDictListing.of(net);
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), "entry " + i);
        }
        assertEquals(expected.size(), actual.size(), "number of tensors");
        assertEquals(361_279_120L, net.parameterCount());
        assertEquals(12, net.downResidualCount());
        assertEquals(List.of("sample", "timestep", "encoder_hidden_states", "controlnet_cond", "conditioning_scale"),
                net.forwardArgumentNames());
    }

    /** The tiny ControlNet's residuals, scaled, feed the tiny SD UNet's forward_with_control. */
    @Test
    void tinyResidualsHaveTheUNetSkipShapesAndScale() throws Exception {
        ControlNetModel net = ControlNets.cannyTiny(AttentionKernel.SDPA);
        UNet2DConditionModel unet = UNets.sd15Tiny(AttentionKernel.SDPA);
        long[] latent = {2, 4, 8, 8};
        List<long[]> skips = unet.skipShapes(latent);
        try (LoadedModel cn = new LoadedModel(net, SyntheticWeights.seeded(11), OptionalLong.empty(), dir);
             LoadedModel un = new LoadedModel(unet, SyntheticWeights.seeded(12), OptionalLong.empty(), dir)) {
            NDArray sample = cn.normal(1, latent);
            NDArray t = cn.nd.create(981L);
            NDArray text = cn.normal(2, 2, 7, 32);
            NDArray image = cn.normal(3, 2, 3, 64, 64).abs().clip(0, 1);
            NDList full = cn.forward(sample, t, text, image, cn.nd.create(1f));
            assertEquals(net.outputNames().size(), full.size(), "12-style residuals + mid");
            for (int k = 0; k < skips.size(); k++) {
                assertUsable(full.get(k), skips.get(k), net.outputNames().get(k));
            }
            assertUsable(full.get(skips.size()), skips.get(skips.size() - 1), "mid_block_res_sample");

            NDList half = cn.forward(sample, t, text, image, cn.nd.create(0.5f));
            for (int k = 0; k < full.size(); k++) {
                assertArrayEquals(full.get(k).mul(0.5f).toFloatArray(), half.get(k).toFloatArray(), 1e-6f,
                        "conditioning_scale multiplies output " + k);
            }
            NDList otherImage = cn.forward(sample, t, text, image.mul(0), cn.nd.create(1f));
            assertFalse(Arrays.equals(full.get(0).toFloatArray(), otherImage.get(0).toFloatArray()),
                    "the control image matters");

            List<NDArray> residuals = new ArrayList<>();
            for (int k = 0; k < skips.size(); k++) {
                residuals.add(un.nd.create(full.get(k).toFloatArray(), full.get(k).getShape()));
            }
            NDArray mid = un.nd.create(full.get(skips.size()).toFloatArray(), full.get(skips.size()).getShape());
            NDArray controlled = un.call("forward_with_control", un.nd.create(sample.toFloatArray(), sample.getShape()),
                    un.nd.create(981L), un.nd.create(text.toFloatArray(), text.getShape()), residuals, mid).singletonOrThrow();
            assertUsable(controlled, latent, "UNet with ControlNet residuals");
        }
    }
}
