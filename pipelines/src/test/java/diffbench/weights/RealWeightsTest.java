package diffbench.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import diffbench.models.ConfigReader;
import diffbench.models.clip.CLIPTextConfig;
import diffbench.models.clip.CLIPTextModel;
import diffbench.models.clip.TextEncoders;
import diffbench.models.vae.AutoencoderKL;
import diffbench.models.vae.AutoencoderKLConfig;
import diffbench.models.vae.Vaes;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;
import diffbench.nn.ParamSpec;
import diffbench.runtime.Network;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.HalfFloats;
import diffbench.torchscript.StorageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real weights from a diffusers folder the test writes (tiny configs, seeded values as
 * safetensors): the archive built from the folder, loaded through DJL, holds exactly the file's
 * values; every kind of bad folder or checkpoint gives its own message.
 */
class RealWeightsTest {
    @TempDir
    Path root;

    @Test
    void tinyVaeFromAFolderHoldsTheFilesValues() throws Exception {
        AutoencoderKLConfig config = AutoencoderKLConfig.sd15().tiny();
        Files.createDirectories(root.resolve("vae"));
        Files.writeString(root.resolve("vae/config.json"), ConfigReader.toJson(config));
        AutoencoderKL vae = Vaes.fromConfig(root.resolve("vae/config.json"), AttentionKernel.SDPA);
        assertEquals(List.of(), vae.unknownConfigKeys());
        Map<String, float[]> written = writeCheckpoint(vae, root.resolve("vae/diffusion_pytorch_model.safetensors"),
                SafetensorsDType.F32, UnaryOperator.identity(), Map.of());

        DiffusersComponent component = DiffusersComponent.of(root, "vae");
        assertEquals(root.resolve("vae/config.json"), component.config());
        Path archive = root.resolve("vae.pt");
        ArchiveWriter.write(vae.emit(component.weightsFor(vae), StorageType.FLOAT32), archive);
        try (Network net = Network.load(archive, Device.cpu(), OptionalLong.empty())) {
            assertParametersEqual(written, net);
            NDArray sample = net.forward(new NDList(net.manager().randomNormal(new Shape(1, 4, 8, 8)))).singletonOrThrow();
            assertArrayEquals(new long[] {1, 3, 64, 64}, sample.getShape().getShape());
        }
    }

    @Test
    void fp16AndBf16FilesConvertToTheArchivesType() throws Exception {
        AutoencoderKL vae = Vaes.tiny(AutoencoderKLConfig.x4(), AttentionKernel.MATH);
        Path dir = root.resolve("vae");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), ConfigReader.toJson(vae.config()));
        // only the fp16 variant present: it is picked up without asking
        Map<String, float[]> half = writeCheckpoint(vae, dir.resolve("diffusion_pytorch_model.fp16.safetensors"),
                SafetensorsDType.F16, UnaryOperator.identity(), Map.of());
        Path archive = root.resolve("vae-fp32.pt");
        ArchiveWriter.write(vae.emit(DiffusersComponent.at(dir, null).weightsFor(vae), StorageType.FLOAT32), archive);
        try (Network net = Network.load(archive, Device.cpu(), OptionalLong.empty())) {
            assertParametersEqual(half, net);
        }
        Map<String, float[]> brain = writeCheckpoint(vae, dir.resolve("diffusion_pytorch_model.safetensors"),
                SafetensorsDType.BF16, UnaryOperator.identity(), Map.of());
        Path bf16Archive = root.resolve("vae-bf16.pt");
        ArchiveWriter.write(vae.emit(DiffusersComponent.at(dir, null).weightsFor(vae), StorageType.BFLOAT16), bf16Archive);
        try (Network net = Network.load(bf16Archive, Device.cpu(), OptionalLong.empty())) {
            assertParametersEqual(brain, net);
        }
    }

    @Test
    void oldVaeAttentionNamesAreRenamed() throws Exception {
        AutoencoderKL vae = Vaes.tiny(AutoencoderKLConfig.sd15(), AttentionKernel.SDPA);
        UnaryOperator<String> old = n -> n.replace("attentions.0.to_q.", "attentions.0.query.").replace("attentions.0.to_k.", "attentions.0.key.")
                .replace("attentions.0.to_v.", "attentions.0.value.").replace("attentions.0.to_out.0.", "attentions.0.proj_attn.");
        Path file = root.resolve("old.safetensors");
        Map<String, float[]> written = writeCheckpoint(vae, file, SafetensorsDType.F32, old, Map.of());
        assertTrue(SafetensorsFile.open(file).entries().containsKey("decoder.mid_block.attentions.0.proj_attn.weight"));
        Path archive = root.resolve("old.pt");
        ArchiveWriter.write(vae.emit(SafetensorsWeights.matching(List.of(file), vae.namedParameters()), StorageType.FLOAT32), archive);
        try (Network net = Network.load(archive, Device.cpu(), OptionalLong.empty())) {
            assertParametersEqual(written, net);
        }
    }

    @Test
    void tinyTextEncoderWithAnOldPositionIdsBuffer() throws Exception {
        CLIPTextConfig config = CLIPTextConfig.openClipBigG().tiny();
        Path dir = root.resolve("text_encoder_2");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), ConfigReader.toJson(config).replace("{", "{\"torch_dtype\": \"float16\", \"use_cache\": true, "));
        CLIPTextModel clip = TextEncoders.fromConfig(dir.resolve("config.json"), AttentionKernel.SDPA);
        assertEquals(List.of("use_cache"), clip.unknownConfigKeys(), "unknown keys are reported, known inert ones are not");
        long[] positions = new long[77];
        for (int i = 0; i < 77; i++) {
            positions[i] = i;
        }
        Map<String, float[]> written = writeCheckpoint(clip, dir.resolve("model.safetensors"), SafetensorsDType.F32,
                UnaryOperator.identity(), Map.of("text_model.embeddings.position_ids", positions));
        SafetensorsWeights weights = DiffusersComponent.of(root, "text_encoder_2").weightsFor(clip);
        assertEquals(List.of("text_model.embeddings.position_ids"), weights.ignored());
        Path archive = root.resolve("clip.pt");
        ArchiveWriter.write(clip.emit(weights, StorageType.FLOAT32), archive);
        try (Network net = Network.load(archive, Device.cpu(), OptionalLong.empty())) {
            assertParametersEqual(written, net);
            NDArray ids = net.manager().arange(0, 154, 1, DataType.INT64).reshape(2, 77);
            assertEquals(clip.outputCount(), net.forward(new NDList(ids)).size());
        }
    }

    @Test
    void everyMismatchedTensorIsListedByName() throws Exception {
        AutoencoderKL vae = Vaes.tiny(AutoencoderKLConfig.sd15(), AttentionKernel.SDPA);
        Map<String, ParamSpec> params = new LinkedHashMap<>(vae.namedParameters());
        params.remove("decoder.conv_out.bias");
        params.remove("quant_conv.weight");
        params.put("encoder.conv_in.weight", new ParamSpec("weight", new long[] {16, 3, 5, 5}, params.get("encoder.conv_in.weight").init()));
        params.put("encoder.extra.weight", new ParamSpec("weight", new long[] {2, 2}, params.get("quant_conv.bias").init()));
        Path file = root.resolve("bad.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        params.forEach((name, p) -> w.add(name, SafetensorsDType.F32, p.shape(), new float[(int) p.numel()]));
        w.write(file);
        WeightMismatchException e = assertThrows(WeightMismatchException.class,
                () -> SafetensorsWeights.matching(List.of(file), vae.namedParameters()));
        assertEquals(List.of(
                "wrong shape: encoder.conv_in.weight is [16, 3, 5, 5] in the file, [16, 3, 3, 3] in the network",
                "missing: decoder.conv_out.bias [3]",
                "missing: quant_conv.weight [8, 8, 1, 1]",
                "unexpected: encoder.extra.weight F32[2, 2]"), e.problems());
        assertTrue(e.getMessage().startsWith(file + " does not fit the network (2 missing, 1 unexpected, 1 with the wrong shape"),
                e.getMessage());
    }

    @Test
    void missingFoldersComponentsAndWeightsAreNamed() throws Exception {
        String m = assertThrows(IllegalArgumentException.class, () -> DiffusersComponent.of(root.resolve("nope"), "vae")).getMessage();
        assertTrue(m.contains("nope") && m.contains("does not exist"), m);
        Files.createDirectories(root.resolve("unet"));
        m = assertThrows(IllegalArgumentException.class, () -> DiffusersComponent.of(root, "vae")).getMessage();
        assertTrue(m.contains("has no vae/ component (it has unet/)"), m);
        Files.createDirectories(root.resolve("vae"));
        m = assertThrows(IllegalArgumentException.class, () -> DiffusersComponent.of(root, "vae")).getMessage();
        assertTrue(m.contains("has no config.json"), m);
        Files.writeString(root.resolve("vae/config.json"), "{}");
        Files.write(root.resolve("vae/diffusion_pytorch_model.bin"), new byte[8]);
        m = assertThrows(IllegalArgumentException.class, () -> DiffusersComponent.of(root, "vae")).getMessage();
        assertTrue(m.contains("no safetensors weights") && m.contains("diffusion_pytorch_model.bin"), m);
        Files.writeString(root.resolve("vae/diffusion_pytorch_model.safetensors.index.json"),
                "{\"weight_map\": {\"a\": \"part-1.safetensors\"}}");
        m = assertThrows(IllegalArgumentException.class, () -> DiffusersComponent.of(root, "vae")).getMessage();
        assertTrue(m.contains("names shard part-1.safetensors, which is missing"), m);
    }

    @Test
    void shardsListedByAnIndexLoadTogether() throws Exception {
        AutoencoderKL vae = Vaes.tiny(AutoencoderKLConfig.sd15(), AttentionKernel.SDPA);
        Path dir = root.resolve("vae");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), ConfigReader.toJson(vae.config()));
        Map<String, float[]> all = new LinkedHashMap<>();
        SafetensorsWriter encoder = new SafetensorsWriter();
        SafetensorsWriter rest = new SafetensorsWriter();
        StringBuilder index = new StringBuilder("{\"weight_map\": {");
        int[] i = {0};
        vae.namedParameters().forEach((name, p) -> {
            float[] v = seeded(name, p);
            all.put(name, v);
            boolean first = name.startsWith("encoder.");
            (first ? encoder : rest).add(name, SafetensorsDType.F32, p.shape(), v);
            index.append(i[0]++ == 0 ? "" : ", ").append('"').append(name).append("\": \"")
                    .append(first ? "m-00001.safetensors" : "m-00002.safetensors").append('"');
        });
        encoder.write(dir.resolve("m-00001.safetensors"));
        rest.write(dir.resolve("m-00002.safetensors"));
        Files.writeString(dir.resolve("diffusion_pytorch_model.safetensors.index.json"), index.append("}}").toString());
        DiffusersComponent c = DiffusersComponent.of(root, "vae");
        assertEquals(2, c.weightFiles().size());
        Path archive = root.resolve("sharded.pt");
        ArchiveWriter.write(vae.emit(c.weightsFor(vae), StorageType.FLOAT32), archive);
        try (Network net = Network.load(archive, Device.cpu(), OptionalLong.empty())) {
            assertParametersEqual(all, net);
        }
    }

    /** Writes the network's parameters (seeded values, stored as {@code dtype}) and returns the values as stored. */
    private static Map<String, float[]> writeCheckpoint(Layer network, Path file, SafetensorsDType dtype,
                                                        UnaryOperator<String> rename, Map<String, long[]> extraLongs)
            throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        Map<String, float[]> stored = new LinkedHashMap<>();
        network.namedParameters().forEach((name, p) -> {
            float[] v = seeded(name, p);
            w.add(rename.apply(name), dtype, p.shape(), v);
            float[] s = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                s[i] = switch (dtype) {
                    case F16 -> HalfFloats.fromFloat16(HalfFloats.toFloat16(v[i]));
                    case BF16 -> HalfFloats.fromBFloat16(HalfFloats.toBFloat16(v[i]));
                    default -> v[i];
                };
            }
            stored.put(name, s);
        });
        extraLongs.forEach((name, v) -> w.addLongs(name, new long[] {1, v.length}, v));
        w.write(file);
        return stored;
    }

    /** Distinct, non-trivial values per parameter (norm weights included, so identity inits cannot pass by chance). */
    private static float[] seeded(String name, ParamSpec p) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        float[] v = new float[(int) p.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 0.1);
        }
        return v;
    }

    private static void assertParametersEqual(Map<String, float[]> expected, Network net) {
        Map<String, float[]> loaded = new LinkedHashMap<>();
        net.block().getParameters().forEach(p -> loaded.put(p.getKey(), p.getValue().getArray().toType(DataType.FLOAT32, true).toFloatArray()));
        assertEquals(expected.keySet(), loaded.keySet());
        expected.forEach((name, v) -> assertArrayEquals(v, loaded.get(name), name));
    }
}
