package diffbench.models.vae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import diffbench.nn.AttentionKernel;
import diffbench.runtime.Network;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.StorageType;
import diffbench.weights.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny VAE's decode against the diffusers decoder written out with NDArray operations from the
 * loaded weights: post_quant_conv, conv_in, mid block (resnet, attention, resnet), up blocks with
 * their upsamplers, norm, SiLU, conv_out. Group norm, attention and SiLU are composed from
 * elementwise and matmul primitives.
 */
class VaeDecodeReferenceTest {
    @TempDir
    Path dir;

    @Test
    void tinyDecodeEqualsTheReferenceInBothKernels() throws Exception {
        for (AttentionKernel kernel : AttentionKernel.values()) {
            AutoencoderKL vae = Vaes.tiny(AutoencoderKLConfig.sd15(), kernel);
            Path file = dir.resolve(kernel + ".pt");
            ArchiveWriter.write(vae.emit(SyntheticWeights.seeded(5), StorageType.FLOAT32), file);
            try (Network net = Network.load(file, Device.cpu(), OptionalLong.empty()); NDManager nd = net.manager().newSubManager()) {
                Map<String, NDArray> w = new HashMap<>();
                net.block().getParameters().forEach(p -> w.put(p.getKey(), p.getValue().getArray()));
                NDArray z = nd.randomNormal(new Shape(2, 4, 4, 4));
                NDArray actual = net.forward(new NDList(z)).singletonOrThrow();
                NDArray expected = new Ref(w, vae.config()).decode(z);
                assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape());
                float worst = expected.sub(actual).abs().max().getFloat();
                float scale = Math.max(1, expected.abs().max().getFloat());
                assertTrue(worst <= 1e-4 * scale, kernel + ": max abs error " + worst + " at scale " + scale);
            }
        }
    }

    private record Ref(Map<String, NDArray> w, AutoencoderKLConfig c) {
        NDArray decode(NDArray z) {
            NDArray x = conv("post_quant_conv.", z, 0);
            x = conv("decoder.conv_in.", x, 1);
            x = resnet("decoder.mid_block.resnets.0.", x);
            x = attention("decoder.mid_block.attentions.0.", x);
            x = resnet("decoder.mid_block.resnets.1.", x);
            int levels = c.blockOutChannels().size();
            for (int i = 0; i < levels; i++) {
                for (int j = 0; j <= c.layersPerBlock(); j++) {
                    x = resnet("decoder.up_blocks." + i + ".resnets." + j + ".", x);
                }
                if (i < levels - 1) {
                    x = conv("decoder.up_blocks." + i + ".upsamplers.0.conv.", x.repeat(2, 2).repeat(3, 2), 1);
                }
            }
            return conv("decoder.conv_out.", silu(groupNorm("decoder.conv_norm_out.", x)), 1);
        }

        NDArray p(String name) {
            NDArray a = w.get(name);
            if (a == null) {
                throw new AssertionError("no parameter " + name);
            }
            return a;
        }

        NDArray conv(String prefix, NDArray x, int pad) {
            return Conv2d.conv2d(x, p(prefix + "weight"), p(prefix + "bias"), new Shape(1, 1), new Shape(pad, pad),
                    new Shape(1, 1), 1).singletonOrThrow();
        }

        NDArray groupNorm(String prefix, NDArray x) {
            Shape s = x.getShape();
            NDArray g = x.reshape(s.get(0), c.normNumGroups(), -1);
            NDArray centred = g.sub(g.mean(new int[] {2}, true));
            NDArray n = centred.div(centred.square().mean(new int[] {2}, true).add(1e-6).sqrt()).reshape(s);
            return n.mul(p(prefix + "weight").reshape(1, -1, 1, 1)).add(p(prefix + "bias").reshape(1, -1, 1, 1));
        }

        static NDArray silu(NDArray x) {
            return x.mul(x.neg().exp().add(1).pow(-1));
        }

        NDArray resnet(String prefix, NDArray x) {
            NDArray h = conv(prefix + "conv1.", silu(groupNorm(prefix + "norm1.", x)), 1);
            h = conv(prefix + "conv2.", silu(groupNorm(prefix + "norm2.", h)), 1);
            NDArray skip = w.containsKey(prefix + "conv_shortcut.weight") ? conv(prefix + "conv_shortcut.", x, 0) : x;
            return skip.add(h);
        }

        NDArray linear(String prefix, NDArray t) {
            return t.matMul(p(prefix + "weight").transpose()).add(p(prefix + "bias"));
        }

        /** Single-head attention over the H·W positions, with biased projections and a residual. */
        NDArray attention(String prefix, NDArray x) {
            Shape s = x.getShape();
            long b = s.get(0), ch = s.get(1), hw = s.get(2) * s.get(3);
            NDArray t = groupNorm(prefix + "group_norm.", x).reshape(b, ch, hw).transpose(0, 2, 1);
            NDArray q = linear(prefix + "to_q.", t);
            NDArray k = linear(prefix + "to_k.", t);
            NDArray v = linear(prefix + "to_v.", t);
            NDArray scores = q.matMul(k.transpose(0, 2, 1)).div(Math.sqrt(ch));
            NDArray e = scores.sub(scores.max(new int[] {2}, true)).exp();
            NDArray o = linear(prefix + "to_out.0.", e.div(e.sum(new int[] {2}, true)).matMul(v));
            return o.transpose(0, 2, 1).reshape(s).add(x);
        }
    }
}
