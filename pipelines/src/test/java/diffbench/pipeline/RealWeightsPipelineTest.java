package diffbench.pipeline;

import diffbench.models.ConfigReader;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.models.clip.CLIPTextConfig;
import diffbench.models.clip.CLIPTextModel;
import diffbench.models.vae.AutoencoderKL;
import diffbench.models.vae.AutoencoderKLConfig;
import diffbench.nn.AttentionKernel;
import diffbench.schedulers.StepCounting;
import diffbench.schema.Attention;
import diffbench.schema.DeviceKind;
import diffbench.schema.Dtype;
import diffbench.schema.Mode;
import diffbench.schema.PipelineId;
import diffbench.weights.TinyCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sd-txt2img from a local diffusers folder (tokenizer, text_encoder, unet, vae written by the test at
 * tiny sizes): the architecture comes from each config.json, the weights from the safetensors, the
 * tokens from the checkpoint's own vocab.json/merges.txt, and the pipeline produces finite images.
 */
class RealWeightsPipelineTest {
    @TempDir
    Path root;

    @Test
    void sdTxt2ImgRunsFromADiffusersFolder() throws Exception {
        writeTokenizer(root.resolve("tokenizer"));
        CLIPTextConfig clip = CLIPTextConfig.clipL().tiny();
        TinyCheckpoints.write(root.resolve("text_encoder"), ConfigReader.toJson(clip),
                new CLIPTextModel(clip, AttentionKernel.SDPA));
        String unetConfig;
        try (InputStream in = getClass().getResourceAsStream("/diffbench/models/unet/sd15-tiny.json")) {
            unetConfig = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        TinyCheckpoints.write(root.resolve("unet"), "{\"_class_name\": \"UNet2DConditionModel\", " + unetConfig.substring(1),
                NetworkCatalog.SD15_UNET.tiny(AttentionKernel.SDPA));
        AutoencoderKLConfig vae = AutoencoderKLConfig.sd15().tiny();
        TinyCheckpoints.write(root.resolve("vae"), ConfigReader.toJson(vae),
                new AutoencoderKL(vae, AttentionKernel.SDPA));

        List<long[]> shapes = new ArrayList<>();
        List<Boolean> finite = new ArrayList<>();
        ImageSink sink = recording(shapes, finite);
        PipelineSpec spec = new PipelineSpec(PipelineId.SD_TXT2IMG, 1, Mode.eager, Attention.sdpa,
                Dtype.fp32, 2, false, DeviceKind.cpu, Optional.of(root));
        PipelineOptions options = new PipelineOptions("a castle", Optional.empty(), Optional.empty(), sink, StepCounting.PLAIN);
        try (BenchmarkPipeline p = Pipelines.open(spec, options)) {
            assertTrue(p.notes().get(0).contains("CLIP BPE tokenizer from"), "the checkpoint's own tokenizer runs: " + p.notes());
            CallResult r = p.call();
            assertEquals(2, r.stages().get(0).unetCalls());
        }
        assertEquals(1, shapes.size());
        assertArrayEquals(new long[] {1, 3, 512, 512}, shapes.get(0), "the checkpoint's default resolution");
        assertTrue(finite.get(0), "finite images");
    }

    @Test
    void sdxlReadsBothTextEncodersAndTokenizers() throws Exception {
        writeTokenizer(root.resolve("tokenizer"));
        writeTokenizer(root.resolve("tokenizer_2"));
        writeText(root.resolve("text_encoder"), CLIPTextConfig.clipL().tiny());
        writeText(root.resolve("text_encoder_2"), CLIPTextConfig.openClipBigG().tiny());
        writeUNet(root.resolve("unet"), "sdxl", NetworkCatalog.SDXL_UNET);
        writeVae(root.resolve("vae"), AutoencoderKLConfig.sdxl().tiny());
        assertRuns(PipelineId.SDXL_TXT2IMG, root, new long[] {1, 3, 1024, 1024});
    }

    @Test
    void ifReadsItsThreeCheckpointsFromStageFolders() throws Exception {
        writeUNet(root.resolve("stage_1/unet"), "if_i_m", NetworkCatalog.IF_I_M_UNET);
        writeUNet(root.resolve("stage_2/unet"), "if_ii_m", NetworkCatalog.IF_II_M_UNET);
        writeUNet(root.resolve("stage_3/unet"), "x4", NetworkCatalog.X4_UNET);
        writeTokenizer(root.resolve("stage_3/tokenizer"));
        writeText(root.resolve("stage_3/text_encoder"), CLIPTextConfig.openClipH23().tiny());
        writeVae(root.resolve("stage_3/vae"), AutoencoderKLConfig.x4().tiny());
        assertRuns(PipelineId.IF, root, new long[] {1, 3, 256, 256});
    }

    /** A sink that records each output's shape and whether all its values are finite. */
    private static ImageSink recording(List<long[]> shapes, List<Boolean> finite) {
        return (name, images) -> {
            shapes.add(images.getShape().getShape());
            boolean ok = true;
            for (float v : images.toFloatArray()) {
                ok &= Float.isFinite(v);
            }
            finite.add(ok);
        };
    }

    /** Runs the pipeline once from the folder; its last images have {@code shape} and are finite. */
    private static void assertRuns(PipelineId id, Path weights, long[] shape) {
        List<long[]> shapes = new ArrayList<>();
        List<Boolean> finite = new ArrayList<>();
        ImageSink sink = recording(shapes, finite);
        PipelineSpec spec = new PipelineSpec(id, 1, Mode.eager, Attention.sdpa,
                Dtype.fp32, 1, false, DeviceKind.cpu, Optional.of(weights));
        PipelineOptions options = new PipelineOptions("a castle", Optional.empty(), Optional.empty(), sink, StepCounting.PLAIN);
        try (BenchmarkPipeline p = Pipelines.open(spec, options)) {
            p.call();
        }
        assertArrayEquals(shape, shapes.get(shapes.size() - 1), id + ": the checkpoints' default resolution");
        assertTrue(finite.stream().allMatch(b -> b), id + ": finite images");
    }

    private static void writeText(Path dir, CLIPTextConfig config) throws Exception {
        TinyCheckpoints.write(dir, ConfigReader.toJson(config), new CLIPTextModel(config, AttentionKernel.SDPA));
    }

    private static void writeVae(Path dir, AutoencoderKLConfig config) throws Exception {
        TinyCheckpoints.write(dir, ConfigReader.toJson(config), new AutoencoderKL(config, AttentionKernel.SDPA));
    }

    private void writeUNet(Path dir, String tinyConfig, NetworkCatalog.Entry<?> network) throws Exception {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/diffbench/models/unet/" + tinyConfig + "-tiny.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        TinyCheckpoints.write(dir, "{\"_class_name\": \"UNet2DConditionModel\", " + json.substring(1),
                network.tiny(AttentionKernel.SDPA));
    }

    private static void writeTokenizer(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("vocab.json"), "{\"a</w>\": 320, \"c\": 66, \"astle</w>\": 12000, \"castle</w>\": 14114, "
                + "\"<|startoftext|>\": 49406, \"<|endoftext|>\": 49407}");
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nc astle</w>\n");
    }
}
