package diffbench.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import diffbench.models.clip.CLIPTextConfig;
import diffbench.models.clip.CLIPTextModel;
import diffbench.models.clip.TextEncoders;
import diffbench.models.vae.AutoencoderKL;
import diffbench.models.vae.AutoencoderKLConfig;
import diffbench.models.vae.Vaes;
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

/**
 * The archives the benchmark uses: half-precision storages, weights drawn on the device after
 * loading (init_weights), both attention kernels. Outputs keep the archive's dtype and stay finite.
 */
class HalfPrecisionTest {
    @TempDir
    Path dir;

    @Test
    void tinyTextEncodersInFp16WithOnDeviceWeights() throws Exception {
        for (CLIPTextConfig full : new CLIPTextConfig[] {CLIPTextConfig.clipL(), CLIPTextConfig.openClipBigG()}) {
            for (AttentionKernel kernel : AttentionKernel.values()) {
                CLIPTextModel m = TextEncoders.tiny(full, kernel);
                Path file = dir.resolve(m.className() + ".pt");
                ArchiveWriter.write(m.emit(SyntheticWeights.onDevice(), StorageType.FLOAT16), file);
                try (Network net = Network.load(file, Device.cpu(), OptionalLong.of(1))) {
                    NDArray ids = net.manager().arange(0, 154, 1, DataType.INT64).reshape(2, 77);
                    NDList out = net.forward(new NDList(ids));
                    assertEquals(m.outputCount(), out.size());
                    for (NDArray a : out) {
                        assertEquals(DataType.FLOAT16, a.getDataType());
                        assertFinite(a);
                    }
                }
            }
        }
    }

    @Test
    void tinyVaeDecodeInFp16WithOnDeviceWeights() throws Exception {
        AutoencoderKL vae = Vaes.tiny(AutoencoderKLConfig.sdxl(), AttentionKernel.SDPA);
        Path file = dir.resolve("vae-fp16.pt");
        ArchiveWriter.write(vae.emit(SyntheticWeights.onDevice(), StorageType.FLOAT16), file);
        try (Network net = Network.load(file, Device.cpu(), OptionalLong.of(2))) {
            NDArray z = net.manager().randomNormal(new Shape(1, 4, 4, 4)).toType(DataType.FLOAT16, false);
            NDArray sample = net.forward(new NDList(z)).singletonOrThrow();
            assertArrayEquals(new long[] {1, 3, 32, 32}, sample.getShape().getShape());
            assertEquals(DataType.FLOAT16, sample.getDataType());
            assertFinite(sample);
        }
    }

    private static void assertFinite(NDArray a) {
        for (float v : a.toType(DataType.FLOAT32, false).toFloatArray()) {
            assertTrue(Float.isFinite(v), "non-finite value");
        }
    }
}
