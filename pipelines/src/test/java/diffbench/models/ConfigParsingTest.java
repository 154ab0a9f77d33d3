package diffbench.models;

import diffbench.models.clip.CLIPTextConfig;
import diffbench.models.vae.AutoencoderKL;
import diffbench.models.vae.AutoencoderKLConfig;
import diffbench.models.vae.Vaes;
import diffbench.nn.AttentionKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config.json parsing: defaults for missing keys, unknown keys reported, unsupported values named with their key. */
class ConfigParsingTest {
    @TempDir
    Path dir;

    @Test
    void vaeConfigTakesDiffusersDefaultsAndReportsUnknownKeys() throws Exception {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"_class_name\": \"AutoencoderKL\", \"_diffusers_version\": \"0.30.0\", \"block_out_channels\": [64, 128],"
                + " \"down_block_types\": [\"DownEncoderBlock2D\", \"DownEncoderBlock2D\"], \"up_block_types\": [\"UpDecoderBlock2D\","
                + " \"UpDecoderBlock2D\"], \"shift_factor\": 0.0609, \"new_option\": 3, \"other\": null}");
        var parsed = AutoencoderKLConfig.read(f);
        AutoencoderKLConfig c = parsed.config();
        assertEquals(List.of("new_option", "other"), parsed.unknownKeys());
        assertEquals(1, c.layersPerBlock());
        assertEquals(32, c.normNumGroups());
        assertEquals(0.18215, c.scalingFactor());
        assertEquals(0.0609, c.shiftFactor());
        assertTrue(c.useQuantConv() && c.forceUpcast() && c.midBlockAddAttention());
        assertEquals(List.of("new_option", "other"), Vaes.fromConfig(f, AttentionKernel.SDPA).unknownConfigKeys());
    }

    @Test
    void vaeConfigWithoutQuantConvsOrMidAttentionBuildsWithoutThem() {
        AutoencoderKLConfig c = AutoencoderKLConfig.parse("{\"block_out_channels\": [32], \"use_quant_conv\": false,"
                + " \"use_post_quant_conv\": false, \"mid_block_add_attention\": false}", "test").config();
        var names = new AutoencoderKL(c, AttentionKernel.MATH).namedParameters().keySet();
        assertFalse(names.stream().anyMatch(n -> n.contains("quant_conv") || n.contains("attentions")), names.toString());
    }

    @Test
    void unsupportedValuesAreNamedWithTheirKey() {
        assertError("{\"down_block_types\": [\"AttnDownEncoderBlock2D\"]}", "unsupported down_block_types value 'AttnDownEncoderBlock2D'");
        assertError("{\"up_block_types\": [\"AttnUpDecoderBlock2D\"]}", "unsupported up_block_types value 'AttnUpDecoderBlock2D'");
        assertError("{\"_class_name\": \"AutoencoderTiny\"}", "unsupported _class_name value 'AutoencoderTiny'");
        assertError("{\"act_fn\": \"mish\"}", "unsupported act_fn 'mish'");
        assertError("{\"block_out_channels\": [48]}", "block_out_channels value 48 does not split into norm_num_groups 32");
        assertError("{\"block_out_channels\": [64, 64]}", "block_out_channels has 2 entries, down_block_types 1");
        assertError("{\"layers_per_block\": \"two\"}", "wrong type");
        assertError("{\"layers_per_block\": 2", "not valid JSON");
        assertClipError("{\"hidden_act\": \"gelu_new\"}", "unsupported hidden_act value 'gelu_new'");
        assertClipError("{\"architectures\": [\"CLIPVisionModel\"]}", "unsupported architectures value [CLIPVisionModel]");
        assertClipError("{\"model_type\": \"clip\"}", "unsupported model_type value 'clip'");
        assertClipError("{\"hidden_size\": 100, \"num_attention_heads\": 8}", "hidden_size 100 does not split into num_attention_heads 8");
    }

    @Test
    void missingConfigFileIsNamed() {
        Path f = dir.resolve("none/config.json");
        String m = assertThrows(IllegalArgumentException.class, () -> AutoencoderKLConfig.read(f)).getMessage();
        assertTrue(m.contains(f.toString()) && m.contains("does not exist"), m);
    }

    @Test
    void clipConfigDefaultsAndInertKeys() {
        var p = CLIPTextConfig.parse("{\"architectures\": [\"CLIPTextModelWithProjection\"], \"torch_dtype\": \"float16\","
                + " \"bos_token_id\": 0, \"output_hidden_states\": false}", "test");
        assertEquals(List.of("output_hidden_states"), p.unknownKeys());
        assertTrue(p.config().withProjection());
        assertEquals(512, p.config().hiddenSize());
        assertEquals("quick_gelu", p.config().hiddenAct());
        assertFalse(p.config().poolsAtArgmax(), "transformers' default eos_token_id 49407 pools at the first end-of-text");
    }

    private static void assertError(String json, String message) {
        String m = assertThrows(IllegalArgumentException.class, () -> AutoencoderKLConfig.parse(json, "vae/config.json")).getMessage();
        assertTrue(m.contains(message), m);
    }

    private static void assertClipError(String json, String message) {
        String m = assertThrows(IllegalArgumentException.class, () -> CLIPTextConfig.parse(json, "text_encoder/config.json")).getMessage();
        assertTrue(m.contains(message), m);
    }
}
