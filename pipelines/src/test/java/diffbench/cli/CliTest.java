package diffbench.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import diffbench.models.ConfigReader;
import diffbench.models.catalog.ConfiguredNetwork;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.models.unet.UNet2DConditionModel;
import diffbench.models.vae.AutoencoderKL;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;
import diffbench.runtime.Network;
import diffbench.weights.SafetensorsDType;
import diffbench.weights.SafetensorsFile;
import diffbench.weights.SafetensorsWriter;
import diffbench.weights.TinyCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The `diffbench` commands run in-process on CPU through the real engine, output captured. */
class CliTest {
    @TempDir
    Path dir;

    private static CliRun.Result run(String... args) {
        return CliRun.execute(args);
    }

    @Test
    void modelsListsEveryNetworkWithThePublishedCounts() {
        CliRun.Result r = run("models");
        assertEquals(0, r.exitCode(), r.err());
        Map<String, String> published = new LinkedHashMap<>();
        published.put("sd15-unet", "859,520,964");
        published.put("sd-inpaint-unet", "859,535,364");
        published.put("sd15-controlnet-canny", "361,279,120");
        published.put("sd15-vae", "83,653,863");
        published.put("clip-l-text-encoder", "123,060,480");
        published.put("sdxl-unet", "2,567,463,684");
        published.put("sdxl-vae", "83,653,863");
        published.put("sdxl-text-encoder-2", "694,659,840");
        published.put("if-i-m-unet *", "371,605,830");
        published.put("if-ii-m-unet *", "535,441,926");
        published.put("x4-unet", "473,398,020");
        published.put("x4-vae", "55,325,927");
        published.put("x4-text-encoder", "340,387,840");
        List<String> lines = r.out().lines().toList();
        published.forEach((id, count) -> {
            String line = lines.stream().filter(l -> l.startsWith(id + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + id + " in\n" + r.out()));
            assertTrue(line.contains(" " + count + " "), line);
        });
        assertEquals(NetworkCatalog.ALL.size(), published.size());
        String sd15 = lines.stream().filter(l -> l.startsWith("sd15-unet ")).findFirst().orElseThrow();
        assertTrue(sd15.contains("1.72 GB") && sd15.contains("803.3"), "fp16 size and GFLOPs: " + sd15);
        assertTrue(r.out().contains("A real config.json corrects it"), r.out());
    }

    @Test
    void exportOfATinyModelWritesAnArchiveThatLoads() throws Exception {
        Path file = dir.resolve("vae.pt");
        CliRun.Result r = run("export", "--model", "sd15-vae", "--tiny", "--dtype", "fp32", "--seed", "3", "--out", file.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("drawn on the device at load time from the seed (3)"), r.out());
        long expected = NetworkCatalog.SD15_VAE.tiny(AttentionKernel.SDPA).parameterCount();
        assertTrue(r.out().contains(String.format("%,d parameters", expected)), r.out());
        try (Network net = Network.load(file, Device.cpu(), OptionalLong.of(3))) {
            long loaded = net.block().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            assertEquals(expected, loaded);
            NDArray image = net.forward(new NDList(net.manager().randomNormal(new Shape(1, 4, 8, 8)))).singletonOrThrow();
            assertArrayEquals(new long[] {1, 3, 64, 64}, image.getShape().getShape());
            assertTrue(image.abs().max().getFloat() > 0, "weights were drawn at load");
        }
    }

    @Test
    void exportWithRealWeightsReadsTheComponentAndNamesWhatDoesNotFit() throws Exception {
        Path unet = dir.resolve("pipeline/unet");
        Map<String, float[]> values = writeTinyUNetFolder(unet, ", \"new_key\": 1");
        Path file = dir.resolve("unet.pt");
        CliRun.Result r = run("export", "--model", "sd15-unet", "--dtype", "fp32", "--weights", dir.resolve("pipeline").toString(),
                "--out", file.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("keys not known to diffbench, ignored: [new_key]"), r.err());
        assertTrue(r.out().contains("weights: from " + unet.resolve("diffusion_pytorch_model.safetensors")), r.out());
        try (Network net = Network.load(file, Device.cpu(), OptionalLong.empty())) {
            float[] loaded = net.block().getParameters().get("conv_out.weight").getArray().toFloatArray();
            assertArrayEquals(values.get("conv_out.weight"), loaded);
        }

        SafetensorsWriter partial = new SafetensorsWriter();
        values.forEach((name, v) -> {
            if (!name.equals("conv_out.bias")) {
                partial.add(name, SafetensorsDType.F32, shapeOf(unet, name), v);
            }
        });
        partial.add("extra.weight", SafetensorsDType.F32, new long[] {2}, new float[2]);
        partial.write(unet.resolve("diffusion_pytorch_model.safetensors"));
        r = run("export", "--model", "sd15-unet", "--weights", unet.toString(), "--out", file.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("diffbench: ") && r.err().contains("missing: conv_out.bias [4]")
                && r.err().contains("unexpected: extra.weight F32[2]"), r.err());
    }

    @Test
    void forwardOnATinyUNetFolderEqualsADirectForwardOfTheSameArchive() throws Exception {
        Path unet = dir.resolve("unet");
        writeTinyUNetFolder(unet, "");
        SplittableRandom random = new SplittableRandom(11);
        float[] sample = gaussian(random, 4 * 8 * 8);
        float[] context = gaussian(random, 7 * 32);
        Path inputs = dir.resolve("inputs.safetensors");
        new SafetensorsWriter().add("sample", SafetensorsDType.F32, new long[] {1, 4, 8, 8}, sample)
                .addLongs("timestep", new long[0], new long[] {981})
                .add("encoder_hidden_states", SafetensorsDType.F32, new long[] {1, 7, 32}, context).write(inputs);
        Path out = dir.resolve("out.safetensors");
        CliRun.Result r = run("forward", "--model-dir", unet.toString(), "--inputs", inputs.toString(), "--out", out.toString(),
                "--cache", dir.resolve("cache").toString());
        assertEquals(0, r.exitCode(), r.err());
        Path archive = Path.of(r.out().lines().filter(l -> l.startsWith("archive ")).findFirst().orElseThrow().substring(8));
        assertTrue(archive.startsWith(dir.resolve("cache")), archive.toString());
        SafetensorsFile written = SafetensorsFile.open(out);
        assertEquals(List.of("sample"), List.copyOf(written.entries().keySet()));
        assertArrayEquals(new long[] {1, 4, 8, 8}, written.entry("sample").shape());
        float[] viaCli = written.readFloats("sample");

        try (Network net = Network.load(archive, Device.cpu(), OptionalLong.empty()); NDManager nd = net.manager().newSubManager()) {
            NDArray direct = net.forward(new NDList(nd.create(sample, new Shape(1, 4, 8, 8)), nd.create(981L),
                    nd.create(context, new Shape(1, 7, 32)))).singletonOrThrow();
            assertArrayEquals(direct.toFloatArray(), viaCli);
        }

        // a float32 timestep is accepted too and means the same
        new SafetensorsWriter().add("sample", SafetensorsDType.F32, new long[] {1, 4, 8, 8}, sample)
                .add("timestep", SafetensorsDType.F32, new long[0], new float[] {981f})
                .add("encoder_hidden_states", SafetensorsDType.F32, new long[] {1, 7, 32}, context).write(inputs);
        r = run("forward", "--model-dir", unet.toString(), "--inputs", inputs.toString(), "--out", out.toString(),
                "--cache", dir.resolve("cache").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(viaCli, SafetensorsFile.open(out).readFloats("sample"));
    }

    @Test
    void forwardOnACatalogNetworkDrawsTheSameSyntheticWeightsAsAnExportedArchive() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        float[] sample = gaussian(random, 2 * 4 * 8 * 8);
        float[] context = gaussian(random, 2 * 7 * 32);
        Path inputs = dir.resolve("inputs.safetensors");
        new SafetensorsWriter().add("sample", SafetensorsDType.F32, new long[] {2, 4, 8, 8}, sample)
                .addLongs("timestep", new long[0], new long[] {981})
                .add("encoder_hidden_states", SafetensorsDType.F32, new long[] {2, 7, 32}, context).write(inputs);
        Path out = dir.resolve("out.safetensors");
        CliRun.Result r = run("forward", "--model", "sd15-unet", "--tiny", "--seed", "7", "--inputs", inputs.toString(),
                "--out", out.toString(), "--cache", dir.resolve("cache").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("synthetic weights drawn on the device from seed 7"), r.out());
        float[] viaCli = SafetensorsFile.open(out).readFloats("sample");

        // what peer/check_equivalence.py loads: the exported archive, init_weights from the same seed
        Path archive = dir.resolve("sd15-unet-tiny.pt");
        assertEquals(0, run("export", "--model", "sd15-unet", "--tiny", "--dtype", "fp32", "--out", archive.toString()).exitCode());
        try (Network net = Network.load(archive, Device.cpu(), OptionalLong.of(7)); NDManager nd = net.manager().newSubManager()) {
            NDArray direct = net.forward(new NDList(nd.create(sample, new Shape(2, 4, 8, 8)), nd.create(981L),
                    nd.create(context, new Shape(2, 7, 32)))).singletonOrThrow();
            assertArrayEquals(direct.toFloatArray(), viaCli);
        }

        CliRun.Result both = run("forward", "--model", "sd15-unet", "--model-dir", dir.toString(), "--inputs", inputs.toString(),
                "--out", out.toString());
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        CliRun.Result tinyFolder = run("forward", "--model-dir", dir.toString(), "--tiny", "--inputs", inputs.toString(),
                "--out", out.toString());
        assertTrue(tinyFolder.err().contains("--tiny goes with --model"), tinyFolder.err());
    }

    @Test
    void controlNetResidualsRunTheUNetsForwardWithControl() throws Exception {
        Path unet = dir.resolve("unet");
        writeTinyUNetFolder(unet, "");
        UNet2DConditionModel model = (UNet2DConditionModel) ConfiguredNetwork.read(unet.resolve("config.json"),
                AttentionKernel.SDPA).network();
        List<long[]> skips = model.skipShapes(new long[] {1, 4, 8, 8});
        SplittableRandom random = new SplittableRandom(5);
        SafetensorsWriter w = new SafetensorsWriter().add("sample", SafetensorsDType.F32, new long[] {1, 4, 8, 8}, gaussian(random, 256))
                .addLongs("timestep", new long[0], new long[] {500})
                .add("encoder_hidden_states", SafetensorsDType.F32, new long[] {1, 7, 32}, gaussian(random, 7 * 32));
        Path plain = dir.resolve("plain.safetensors");
        w.write(plain);
        for (int k = 0; k < skips.size(); k++) {
            long[] s = skips.get(k);
            w.add("down_block_additional_residuals." + k, SafetensorsDType.F32, s, gaussian(random, (int) (s[1] * s[2] * s[3])));
        }
        long[] last = skips.get(skips.size() - 1);
        w.add("mid_block_additional_residual", SafetensorsDType.F32, last, gaussian(random, (int) (last[1] * last[2] * last[3])));
        Path control = dir.resolve("control.safetensors");
        w.write(control);
        String cache = dir.resolve("cache").toString();
        CliRun.Result a = run("forward", "--model-dir", unet.toString(), "--inputs", plain.toString(), "--out", dir.resolve("a.safetensors").toString(), "--cache", cache);
        CliRun.Result b = run("forward", "--model-dir", unet.toString(), "--inputs", control.toString(), "--out", dir.resolve("b.safetensors").toString(), "--cache", cache);
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(0, b.exitCode(), b.err());
        assertTrue(b.out().contains("UNet2DConditionModel.forward_with_control"), b.out());
        float[] without = SafetensorsFile.open(dir.resolve("a.safetensors")).readFloats("sample");
        float[] with = SafetensorsFile.open(dir.resolve("b.safetensors")).readFloats("sample");
        assertFalse(Arrays.equals(without, with), "the residuals change the output");
    }

    @Test
    void vaeMethodsAndTextEncoderOutputsAreNamed() throws Exception {
        Path vae = dir.resolve("vae");
        Layer vaeNet = NetworkCatalog.SD15_VAE.tiny(AttentionKernel.SDPA);
        writeFolder(vae, ConfigReader.toJson(((AutoencoderKL) vaeNet).config()), vaeNet);
        SplittableRandom random = new SplittableRandom(2);
        Path image = dir.resolve("image.safetensors");
        new SafetensorsWriter().add("sample", SafetensorsDType.F32, new long[] {1, 3, 16, 16}, gaussian(random, 3 * 256)).write(image);
        Path out = dir.resolve("latents.safetensors");
        CliRun.Result r = run("forward", "--model-dir", vae.toString(), "--inputs", image.toString(), "--out", out.toString(),
                "--cache", dir.resolve("cache").toString(), "--dtype", "bf16");
        assertEquals(0, r.exitCode(), r.err());
        SafetensorsFile latents = SafetensorsFile.open(out);
        assertEquals(List.of("latent_dist.mean", "latent_dist.logvar"), List.copyOf(latents.entries().keySet()));
        assertEquals(SafetensorsDType.BF16, latents.entry("latent_dist.mean").dtype());
        assertArrayEquals(new long[] {1, 4, 2, 2}, latents.entry("latent_dist.mean").shape());

        Path z = dir.resolve("z.safetensors");
        new SafetensorsWriter().add("z", SafetensorsDType.F32, new long[] {1, 4, 2, 2}, gaussian(random, 16)).write(z);
        r = run("forward", "--model-dir", vae.toString(), "--inputs", z.toString(), "--out", out.toString(), "--cache", dir.resolve("cache").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(new long[] {1, 3, 16, 16}, SafetensorsFile.open(out).entry("sample").shape());

        Path clipDir = dir.resolve("text_encoder_2");
        var clip = NetworkCatalog.SDXL_TEXT_ENCODER_2.tiny(AttentionKernel.SDPA);
        writeFolder(clipDir, ConfigReader.toJson(clip.config()), clip);
        Path ids = dir.resolve("ids.safetensors");
        long[] tokens = new long[77];
        for (int i = 0; i < 77; i++) {
            tokens[i] = i == 5 ? 999 : i < 5 ? 320 + i : 0; // the tiny vocabulary has 1000 ids; end of text is the largest
        }
        new SafetensorsWriter().addLongs("input_ids", new long[] {1, 77}, tokens).write(ids);
        r = run("forward", "--model-dir", clipDir.toString(), "--inputs", ids.toString(), "--out", out.toString(), "--cache", dir.resolve("cache").toString());
        assertEquals(0, r.exitCode(), r.err());
        SafetensorsFile states = SafetensorsFile.open(out);
        assertEquals(clip.outputNames(), List.copyOf(states.entries().keySet()));
        assertTrue(clip.outputNames().contains("text_embeds"));
    }

    @Test
    void badInputGivesOneLineErrors() throws Exception {
        Path unet = dir.resolve("unet");
        writeTinyUNetFolder(unet, "");
        Path inputs = dir.resolve("inputs.safetensors");
        new SafetensorsWriter().add("sample", SafetensorsDType.F32, new long[] {1, 4, 8, 8}, new float[256])
                .add("encoder_states", SafetensorsDType.F32, new long[] {1, 7, 32}, new float[224]).write(inputs);
        String out = dir.resolve("o.safetensors").toString();
        String cache = dir.resolve("cache").toString();
        Path corrupt = dir.resolve("corrupt.safetensors");
        Files.write(corrupt, new byte[] {(byte) 200, 0, 0, 0, 0, 0, 0, 0, '{'});
        Path aFile = dir.resolve("a-file");
        Files.writeString(aFile, "x");

        assertOneLineError("unknown model 'sd3-unet': use one of sd15-unet,", "export", "--model", "sd3-unet", "--out", out);
        assertOneLineError("unknown dtype 'fp8'", "export", "--model", "sd15-unet", "--tiny", "--dtype", "fp8", "--out", out);
        assertOneLineError("unknown attention 'flash'", "export", "--model", "sd15-unet", "--tiny", "--attention", "flash", "--out", out);
        assertOneLineError("cannot write " + aFile.resolve("x.pt"), "export", "--model", "sd15-vae", "--tiny", "--out", aFile.resolve("x.pt").toString());
        assertOneLineError("model folder " + dir.resolve("nope") + " does not exist", "export", "--model", "sd15-unet",
                "--weights", dir.resolve("nope").toString(), "--out", out);
        assertOneLineError("component folder " + dir.resolve("nope") + " does not exist", "forward", "--model-dir",
                dir.resolve("nope").toString(), "--inputs", inputs.toString(), "--out", out, "--cache", cache);
        assertOneLineError(corrupt + ": declares a header of 200 bytes", "forward", "--model-dir", unet.toString(),
                "--inputs", corrupt.toString(), "--out", out, "--cache", cache);
        assertOneLineError("missing [timestep, encoder_hidden_states], unknown [encoder_states]; UNet2DConditionModel.forward takes "
                + "sample, timestep, encoder_hidden_states", "forward", "--model-dir", unet.toString(), "--inputs", inputs.toString(),
                "--out", out, "--cache", cache);
        assertOneLineError("--method is for AutoencoderKL", "forward", "--model-dir", unet.toString(), "--inputs",
                inputs.toString(), "--out", out, "--method", "encode", "--cache", cache);
        new SafetensorsWriter().add("sample", SafetensorsDType.F32, new long[] {1, 4, 8, 8}, new float[256])
                .addLongs("timestep", new long[0], new long[] {1})
                .add("encoder_hidden_states", SafetensorsDType.F32, new long[] {1, 7, 32}, new float[224]).write(inputs);
        assertOneLineError("cannot write " + aFile.resolve("o.safetensors"), "forward", "--model-dir", unet.toString(),
                "--inputs", inputs.toString(), "--out", aFile.resolve("o.safetensors").toString(), "--cache", cache);
        assertOneLineError("libtorch folder " + dir.resolve("no-libtorch") + " does not exist", "--libtorch",
                dir.resolve("no-libtorch").toString(), "forward", "--model-dir", unet.toString(), "--inputs", inputs.toString(), "--out", out);
    }

    /** Issue 16 item 8: an archive is never labelled with another checkpoint's id. */
    @Test
    void exportRefusesAFolderOfAnotherKindOfUNet() throws Exception {
        Path unet = dir.resolve("sd15/unet");
        writeTinyUNetFolder(unet, "");
        Path out = dir.resolve("sdxl.pt");
        assertOneLineError(unet.resolve("config.json") + " describes a UNet with in_channels 4, out_channels 4, "
                + "addition_embed_type null, class_embed_type null, not the sdxl-unet (in_channels 4, out_channels 4, "
                + "addition_embed_type text_time, class_embed_type null): give the sdxl-unet checkpoint's folder, or the --model "
                + "id of this one (`diffbench models`)", "export", "--model", "sdxl-unet", "--weights", unet.toString(),
                "--out", out.toString());
        assertTrue(Files.notExists(out), "nothing written");
    }

    /** Issue 16 item 8: no subcommand is no success. */
    @Test
    void noSubcommandIsAnErrorWithTheUsage() {
        CliRun.Result r = run();
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("diffbench: name a subcommand: models, export, "), r.err());
        assertTrue(r.err().contains("Usage: diffbench"), r.err());
    }

    private static void assertOneLineError(String expected, String... args) {
        CliRun.Result r = run(args);
        assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r.out() + r.err());
        assertTrue(r.err().startsWith("diffbench: ") && r.err().contains(expected), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    /** A diffusers-style unet folder: the tiny SD 1.5 config (+ extra JSON) and seeded fp32 weights. */
    private static Map<String, float[]> writeTinyUNetFolder(Path unet, String extraJson) throws IOException {
        String config;
        try (InputStream in = CliTest.class.getResourceAsStream("/diffbench/models/unet/sd15-tiny.json")) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        config = "{\"_class_name\": \"UNet2DConditionModel\", " + config.substring(1, config.length() - 1) + extraJson + "}";
        Layer network = NetworkCatalog.SD15_UNET.tiny(AttentionKernel.SDPA);
        return writeFolder(unet, config, network);
    }

    private static Map<String, float[]> writeFolder(Path folder, String configJson, Layer network) throws IOException {
        return TinyCheckpoints.write(folder, configJson, network);
    }

    private static long[] shapeOf(Path unet, String name) {
        return SafetensorsFile.open(unet.resolve("diffusion_pytorch_model.safetensors")).entry(name).shape();
    }

    private static float[] gaussian(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
