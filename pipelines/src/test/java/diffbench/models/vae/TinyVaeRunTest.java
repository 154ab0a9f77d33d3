package diffbench.models.vae;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import diffbench.nn.AttentionKernel;
import diffbench.runtime.Network;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.StorageType;
import diffbench.weights.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny VAEs of each structure, emitted, loaded through DJL on CPU and run with the pipelines' input shapes. */
class TinyVaeRunTest {
    @TempDir
    Path dir;

    @Test
    void sd15TinyEncodesAndDecodesInBothKernels() throws Exception {
        for (AttentionKernel kernel : AttentionKernel.values()) {
            run(Vaes.tiny(AutoencoderKLConfig.sd15(), kernel), 64, 8);
        }
    }

    @Test
    void x4TinyWorksAtAQuarterOfTheImage() throws Exception {
        run(Vaes.tiny(AutoencoderKLConfig.x4(), AttentionKernel.SDPA), 32, 4);
    }

    private void run(AutoencoderKL vae, int image, int factor) throws Exception {
        Path file = dir.resolve(vae.className() + ".pt");
        ArchiveWriter.write(vae.emit(SyntheticWeights.onDevice(), StorageType.FLOAT32), file);
        try (Network net = Network.load(file, Device.cpu(), OptionalLong.of(3)); NDManager nd = net.manager().newSubManager()) {
            int latent = image / factor;
            // decode is forward
            NDArray z = nd.randomNormal(new Shape(2, 4, latent, latent));
            NDArray sample = net.forward(new NDList(z)).singletonOrThrow();
            assertArrayEquals(new long[] {2, 3, image, image}, sample.getShape().getShape());
            assertFinite(sample);
            // encode, selected by name
            NDArray img = nd.randomUniform(-1, 1, new Shape(2, 3, image, image));
            NDArray method = nd.create(0f);
            method.setName("module_method:encode");
            NDList moments = net.forward(new NDList(img, method));
            assertEquals(2, moments.size());
            for (NDArray m : moments) {
                assertArrayEquals(new long[] {2, 4, latent, latent}, m.getShape().getShape());
                assertFinite(m);
            }
            assertTrue(moments.get(1).max().getFloat() <= 20f && moments.get(1).min().getFloat() >= -30f, "logvar clamped");
            // decode, selected by name, equals forward
            NDArray decode = nd.create(0f);
            decode.setName("module_method:decode");
            NDArray again = net.forward(new NDList(z, decode)).singletonOrThrow();
            assertTrue(again.contentEquals(sample), "decode == forward");
        }
    }

    static void assertFinite(NDArray a) {
        for (float v : a.toFloatArray()) {
            assertTrue(Float.isFinite(v), "non-finite value");
        }
    }
}
