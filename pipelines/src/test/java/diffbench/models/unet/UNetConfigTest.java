package diffbench.models.unet;

import diffbench.models.ConfigReader;
import diffbench.models.controlnet.ControlNetConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading diffusers config.json: defaults, per-block values, unknown keys reported, unsupported values named. */
class UNetConfigTest {

    @Test
    void unknownKeysAreReportedAndMetadataIsNot() {
        ConfigReader.Parsed<UNet2DConditionConfig> p = UNet2DConditionConfig.parse("""
                {"_class_name": "UNet2DConditionModel", "_diffusers_version": "0.30.0",
                 "block_out_channels": [32, 64], "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
                 "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"], "cross_attention_dim": 32,
                 "frobnicate_attention": true, "dropout": 0.0}
                """);
        assertEquals(List.of("frobnicate_attention"), p.unknownKeys());
        UNet2DConditionConfig c = p.config();
        assertEquals(List.of(2, 2), c.layersPerBlock(), "diffusers default layers_per_block, per block");
        assertEquals(List.of(8, 8), c.attentionHeadDim(), "diffusers default attention_head_dim");
        assertEquals(128, c.timeEmbedDim(), "4 x block_out_channels[0]");
    }

    @Test
    void builtInConfigsHaveNoUnknownKeys() {
        for (UNets.Variant v : UNets.Variant.values()) {
            assertEquals(v.config().blockOutChannels().size(), v.config().blocks(), v + " parses");
            v.tinyConfig();
        }
        ControlNetConfig.builtIn("canny");
        ControlNetConfig.builtIn("canny-tiny");
    }

    @Test
    void perBlockValuesAndDiffusersDefaultsFollowTheConfig() {
        UNet2DConditionConfig sdxl = UNets.Variant.SDXL.config();
        assertEquals(List.of(1, 2, 10), sdxl.transformerLayersPerBlock());
        assertEquals(List.of(5, 10, 20), sdxl.attentionHeadDim());
        UNet2DConditionConfig x4 = UNets.Variant.X4.config();
        assertEquals(List.of(true, true, true, false), x4.onlyCrossAttention());
        assertEquals(false, x4.midBlockOnlyCrossAttention(), "a per-block only_cross_attention leaves the mid block off");
        UNet2DConditionConfig ifI = UNets.Variant.IF_I_M.config();
        assertEquals("text_proj", ifI.encoderHidDimType());
        assertEquals(4096, ifI.encoderHiddenStatesDim());
        assertEquals(768, ifI.contextDim(0));
    }

    @Test
    void unsupportedValuesNameTheKey() {
        IllegalArgumentException block = assertThrows(IllegalArgumentException.class, () -> UNet2DConditionConfig.parse("""
                {"down_block_types": ["KDownBlock2D"], "up_block_types": ["KUpBlock2D"], "block_out_channels": [32]}
                """));
        assertTrue(block.getMessage().contains("down_block_types") && block.getMessage().contains("KDownBlock2D"),
                block.getMessage());
        IllegalArgumentException fourier = assertThrows(IllegalArgumentException.class,
                () -> UNet2DConditionConfig.parse("{\"time_embedding_type\": \"fourier\"}"));
        assertTrue(fourier.getMessage().contains("time_embedding_type") && fourier.getMessage().contains("fourier"),
                fourier.getMessage());
        IllegalArgumentException lists = assertThrows(IllegalArgumentException.class,
                () -> UNet2DConditionConfig.parse("{\"layers_per_block\": [1, 2]}"));
        assertTrue(lists.getMessage().contains("layers_per_block"), lists.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> UNet2DConditionConfig.parse("{\"in_channels\": \"four\"}"));
        assertTrue(type.getMessage().contains("in_channels"), type.getMessage());
    }

    @Test
    void controlNetReportsItsUnknownKeysToo() {
        ConfigReader.Parsed<ControlNetConfig> p = ControlNetConfig.parse("""
                {"block_out_channels": [32, 64], "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
                 "conditioning_embedding_out_channels": [8, 16], "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"]}
                """);
        assertEquals(List.of("up_block_types"), p.unknownKeys(), "a ControlNet has no up blocks");
        assertEquals(List.of(BlockType.UP_BLOCK_2D, BlockType.CROSS_ATTN_UP_BLOCK_2D), p.config().unet().upBlockTypes());
    }

    /** ControlNetModel's own signature: the UNet-only keys are ignored there (diffusers warns), num_attention_heads counts. */
    @Test
    void controlNetKeysAreDiffusersControlNetModelsNotTheUNets() {
        ConfigReader.Parsed<ControlNetConfig> p = ControlNetConfig.parse("""
                {"block_out_channels": [32, 64], "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
                 "conditioning_embedding_out_channels": [8, 16], "cross_attention_dim": 32,
                 "conv_in_kernel": 1, "center_input_sample": true, "time_embedding_dim": 64, "out_channels": 9,
                 "num_attention_heads": [2, 4], "attention_head_dim": 8}
                """);
        assertEquals(List.of("conv_in_kernel", "center_input_sample", "time_embedding_dim", "out_channels"), p.unknownKeys());
        UNet2DConditionConfig c = p.config().unet();
        assertEquals(3, c.convInKernel());
        assertEquals(false, c.centerInputSample());
        assertEquals(128, c.timeEmbedDim(), "4 x block_out_channels[0], as ControlNetModel fixes it");
        assertEquals(List.of(2, 4), c.attentionHeadDim(), "num_attention_heads gives the heads");
        IllegalArgumentException ifBlocks = assertThrows(IllegalArgumentException.class, () -> ControlNetConfig.parse("""
                {"block_out_channels": [32, 64], "down_block_types": ["ResnetDownsampleBlock2D", "SimpleCrossAttnDownBlock2D"],
                 "mid_block_type": "UNetMidBlock2DCrossAttn", "cross_attention_dim": 32}
                """));
        assertTrue(ifBlocks.getMessage().contains("unsupported down_block_types = \"SimpleCrossAttnDownBlock2D\""),
                ifBlocks.getMessage());
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> UNet2DConditionConfig.parse("{\"num_attention_heads\": 8}"));
        assertTrue(heads.getMessage().contains("num_attention_heads"), heads.getMessage());
    }

    @Test
    void sampleSizeMayBeHeightAndWidth() {
        assertEquals(96, UNet2DConditionConfig.parse("{\"sample_size\": [96, 64]}").config().sampleSize());
    }

    @Test
    void aNullMidBlockIsRefusedNotReplacedByTheDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UNet2DConditionConfig.parse("{\"mid_block_type\": null}"));
        assertTrue(e.getMessage().contains("unsupported mid_block_type = null"), e.getMessage());
    }
}
