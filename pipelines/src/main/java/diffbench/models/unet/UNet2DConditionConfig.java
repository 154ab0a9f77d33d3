package diffbench.models.unet;

import diffbench.models.ConfigReader;
import diffbench.nn.Activation;
import diffbench.nn.AddedKvAttention;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The fields of a diffusers {@code UNet2DConditionModel} config.json that decide its architecture,
 * named after the JSON keys, with diffusers' defaults for absent keys. Values diffusers accepts as
 * one int/bool or a per-block list are held per down block. Values this project does not build (a
 * block type it lacks, a Fourier time embedding, ...) are rejected by {@link #parse} with the key
 * and value named; keys it does not know are returned with the config.
 *
 * <p>Quirk kept from diffusers: {@code attention_head_dim} is the <em>number of heads</em> of the
 * Transformer2D blocks (CrossAttn*, UNetMidBlock2DCrossAttn) and a true head width only for IF's
 * SimpleCrossAttn blocks.
 */
public record UNet2DConditionConfig(
        int sampleSize,
        int inChannels,
        int outChannels,
        boolean centerInputSample,
        boolean flipSinToCos,
        double freqShift,
        List<BlockType> downBlockTypes,
        BlockType midBlockType,
        List<BlockType> upBlockTypes,
        List<Boolean> onlyCrossAttention,
        List<Integer> blockOutChannels,
        List<Integer> layersPerBlock,
        int downsamplePadding,
        double midBlockScaleFactor,
        double dropout,
        Activation actFn,
        int normNumGroups,
        double normEps,
        List<Integer> crossAttentionDim,
        List<Integer> transformerLayersPerBlock,
        Integer encoderHidDim,
        String encoderHidDimType,
        List<Integer> attentionHeadDim,
        boolean dualCrossAttention,
        boolean useLinearProjection,
        String classEmbedType,
        String additionEmbedType,
        int additionEmbedTypeNumHeads,
        Integer additionTimeEmbedDim,
        Integer numClassEmbeds,
        boolean upcastAttention,
        String resnetTimeScaleShift,
        boolean resnetSkipTimeAct,
        double resnetOutScaleFactor,
        String timeEmbeddingType,
        Integer timeEmbeddingDim,
        Activation timeEmbeddingActFn,
        int convInKernel,
        int convOutKernel,
        Integer projectionClassEmbeddingsInputDim,
        String crossAttentionNorm,
        boolean midBlockOnlyCrossAttention) {

    public UNet2DConditionConfig {
        downBlockTypes = List.copyOf(downBlockTypes);
        upBlockTypes = List.copyOf(upBlockTypes);
        onlyCrossAttention = List.copyOf(onlyCrossAttention);
        blockOutChannels = List.copyOf(blockOutChannels);
        layersPerBlock = List.copyOf(layersPerBlock);
        crossAttentionDim = List.copyOf(crossAttentionDim);
        transformerLayersPerBlock = List.copyOf(transformerLayersPerBlock);
        attentionHeadDim = List.copyOf(attentionHeadDim);
    }

    /** Reads a config.json file. */
    public static ConfigReader.Parsed<UNet2DConditionConfig> read(Path configJson) {
        return ConfigReader.read(configJson, UNet2DConditionConfig::parse);
    }

    /** A config built into the project, by resource name under {@code diffbench/models/unet/}. */
    public static UNet2DConditionConfig builtIn(String name) {
        return ConfigReader.builtIn("/diffbench/models/unet/" + name + ".json", UNet2DConditionConfig::parse);
    }

    public static ConfigReader.Parsed<UNet2DConditionConfig> parse(String json) {
        return new ConfigReader(json, "config.json").parse(UNet2DConditionConfig::parse);
    }

    /** Reads the UNet keys from {@code r}, leaving other keys to the caller. */
    public static UNet2DConditionConfig parse(ConfigReader r) {
        return parse(r, true);
    }

    /**
     * Reads the keys of a UNet's encoder half as diffusers' ControlNetModel has them: the UNet-only keys
     * ({@code up_block_types}, {@code out_channels}, {@code conv_in_kernel}, {@code time_embedding_dim},
     * ...) are left unread (so reported if present) and take the values ControlNetModel fixes; the up
     * blocks mirror the down blocks; {@code num_attention_heads}, which ControlNetModel takes, gives the
     * head count.
     */
    public static UNet2DConditionConfig parseEncoder(ConfigReader r) {
        return parse(r, false);
    }

    /**
     * @param withUpBlocks a UNet; false for a ControlNet, whose diffusers class has none of the UNet's
     *     up-block, output, time-embedding-variant and IF-resnet keys: those are left unread (so reported
     *     if present, as diffusers ignores them) and take the values its constructor fixes
     */
    private static UNet2DConditionConfig parse(ConfigReader r, boolean withUpBlocks) {
        boolean unet = withUpBlocks;
        List<BlockType> down = BlockType.parseAll("down_block_types", r.strings("down_block_types",
                List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D")),
                BlockType.Position.DOWN);
        List<BlockType> up = withUpBlocks
                ? BlockType.parseAll("up_block_types", r.strings("up_block_types",
                        List.of("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D")),
                        BlockType.Position.UP)
                : mirrored(down);
        int n = down.size();
        if (up.size() != n) {
            throw new IllegalArgumentException("config.json: " + n + " down_block_types but " + up.size() + " up_block_types");
        }
        if (r.isNull("mid_block_type")) { // diffusers: no mid block at all
            throw ConfigReader.unsupported("mid_block_type", "null", "a mid block");
        }
        String midName = r.stringOrNull("mid_block_type");
        BlockType mid = BlockType.parse("mid_block_type", midName == null ? "UNetMidBlock2DCrossAttn" : midName,
                BlockType.Position.MID);
        List<Integer> channels = r.ints("block_out_channels", List.of(320, 640, 1280, 1280));
        if (channels.size() != n) {
            throw new IllegalArgumentException("config.json: block_out_channels has " + channels.size()
                    + " entries but there are " + n + " down blocks");
        }
        Boolean onlyCrossScalar = r.isList("only_cross_attention") ? null : r.boolOrNull("only_cross_attention");
        List<Boolean> onlyCross = r.boolsPerBlock("only_cross_attention", n, false);
        Boolean midOnlyCross = unet ? r.boolOrNull("mid_block_only_cross_attention") : Boolean.FALSE;
        if (midOnlyCross == null) {
            // diffusers: inherits a scalar only_cross_attention, else false
            midOnlyCross = onlyCrossScalar != null && onlyCrossScalar;
        }
        List<Integer> attentionHeadDim = r.intsPerBlock("attention_head_dim", n, 8);
        if (r.has("num_attention_heads")) {
            if (unet) {
                // diffusers' UNet2DConditionModel rejects it too: attention_head_dim carries the head count
                throw ConfigReader.unsupported("num_attention_heads", "a value", "null; set attention_head_dim");
            }
            // diffusers' ControlNetModel takes it as the Transformer2D blocks' head count, over attention_head_dim
            attentionHeadDim = r.intsPerBlock("num_attention_heads", n, null);
        }
        if (!unet) {
            // diffusers' ControlNetModel builds IF's attention without the norm_cross this project's has
            for (BlockType t : down) {
                if (t.attention() == BlockType.Attention.ADDED_KV) {
                    throw ConfigReader.unsupported("down_block_types", "\"" + t + "\"",
                            "in a ControlNet: DownBlock2D, CrossAttnDownBlock2D, ResnetDownsampleBlock2D");
                }
            }
            if (mid.attention() == BlockType.Attention.ADDED_KV) {
                throw ConfigReader.unsupported("mid_block_type", "\"" + mid + "\"", "in a ControlNet: UNetMidBlock2DCrossAttn");
            }
        }

        String classEmbedType = oneOf(r, "class_embed_type", null, "timestep");
        String additionEmbedType = oneOf(r, "addition_embed_type", null, "text", "text_time");
        Integer encoderHidDim = r.intOrNull("encoder_hid_dim");
        String encoderHidDimType = oneOf(r, "encoder_hid_dim_type", null, "text_proj");
        if (encoderHidDim != null && encoderHidDimType == null) {
            encoderHidDimType = "text_proj"; // diffusers' default when only the width is given
        }
        if (encoderHidDimType != null && encoderHidDim == null) {
            throw new IllegalArgumentException("config.json: encoder_hid_dim_type " + encoderHidDimType
                    + " needs encoder_hid_dim");
        }
        String crossAttentionNorm = unet ? oneOf(r, "cross_attention_norm", null, "group_norm") : null;
        boolean hasAddedKv = mid.attention() == BlockType.Attention.ADDED_KV
                || down.stream().anyMatch(t -> t.attention() == BlockType.Attention.ADDED_KV)
                || up.stream().anyMatch(t -> t.attention() == BlockType.Attention.ADDED_KV);
        if (hasAddedKv && crossAttentionNorm == null) {
            throw ConfigReader.unsupported("cross_attention_norm", "null",
                    "\"group_norm\" with SimpleCrossAttn blocks (IF)");
        }
        int groups = normNumGroups(r, channels);
        if (hasAddedKv) {
            for (int dim : r.intsPerBlock("cross_attention_dim", n, 1280)) {
                if (dim % AddedKvAttention.NORM_CROSS_GROUPS != 0) { // norm_cross keeps 32 groups whatever norm_num_groups says
                    throw ConfigReader.unsupported("cross_attention_dim", dim, "a multiple of "
                            + AddedKvAttention.NORM_CROSS_GROUPS + " with SimpleCrossAttn blocks (their norm_cross has 32 groups)");
                }
            }
        }
        int downsamplePadding = r.intOr("downsample_padding", 1);
        if (downsamplePadding != 1) {
            throw ConfigReader.unsupported("downsample_padding", downsamplePadding, "1");
        }
        if (unet) {
            requireValue(r, "time_embedding_type", "positional");
            requireValue(r, "attention_type", "default");
            requireAbsent(r, "time_cond_proj_dim");
            requireAbsent(r, "timestep_post_act");
            requireAbsent(r, "reverse_transformer_layers_per_block");
            requireFalse(r, "class_embeddings_concat");
            requireFalse(r, "dual_cross_attention");
        }
        requireFalse(r, "upcast_attention");
        String scaleShift = oneOf(r, "resnet_time_scale_shift", "default", "default", "scale_shift");
        String timeActName = unet ? r.stringOrNull("time_embedding_act_fn") : null;

        UNet2DConditionConfig c = new UNet2DConditionConfig(
                unet ? sampleSize(r) : 64,
                r.intOr("in_channels", 4),
                unet ? r.intOr("out_channels", 4) : 4,
                unet && r.boolOr("center_input_sample", false),
                r.boolOr("flip_sin_to_cos", true),
                r.doubleOr("freq_shift", 0),
                down, mid, up, onlyCross, channels,
                r.intsPerBlock("layers_per_block", n, 2),
                downsamplePadding,
                r.doubleOr("mid_block_scale_factor", 1),
                unet ? r.doubleOr("dropout", 0) : 0,
                activation("act_fn", r.stringOr("act_fn", "silu")),
                groups,
                r.doubleOr("norm_eps", 1e-5),
                r.intsPerBlock("cross_attention_dim", n, 1280),
                r.intsPerBlock("transformer_layers_per_block", n, 1),
                encoderHidDim, encoderHidDimType,
                attentionHeadDim,
                false,
                r.boolOr("use_linear_projection", false),
                classEmbedType, additionEmbedType,
                r.intOr("addition_embed_type_num_heads", 64),
                r.intOrNull("addition_time_embed_dim"),
                r.intOrNull("num_class_embeds"),
                false,
                scaleShift,
                unet && r.boolOr("resnet_skip_time_act", false),
                unet ? r.doubleOr("resnet_out_scale_factor", 1.0) : 1.0,
                "positional",
                unet ? r.intOrNull("time_embedding_dim") : null,
                timeActName == null ? null : activation("time_embedding_act_fn", timeActName),
                unet ? oddKernel(r, "conv_in_kernel") : 3,
                unet ? oddKernel(r, "conv_out_kernel") : 3,
                r.intOrNull("projection_class_embeddings_input_dim"),
                crossAttentionNorm,
                midOnlyCross);
        c.checkEmbeddings();
        return c;
    }

    private void checkEmbeddings() {
        if ("text_time".equals(additionEmbedType) && (additionTimeEmbedDim == null || projectionClassEmbeddingsInputDim == null)) {
            throw new IllegalArgumentException("config.json: addition_embed_type \"text_time\" needs addition_time_embed_dim"
                    + " and projection_class_embeddings_input_dim");
        }
        if ("text".equals(additionEmbedType) && encoderHidDim == null && crossAttentionDim.stream().distinct().count() > 1) {
            throw new IllegalArgumentException("config.json: addition_embed_type \"text\" with per-block cross_attention_dim");
        }
    }

    // ---- values derived the way diffusers' constructor derives them ----

    public int blocks() {
        return downBlockTypes.size();
    }

    /** Width of the time embedding every resnet receives. */
    public int timeEmbedDim() {
        return timeEmbeddingDim != null ? timeEmbeddingDim : 4 * blockOutChannels.get(0);
    }

    /** Whether the forward takes {@code class_labels}. */
    public boolean hasClassEmbedding() {
        return classEmbedType != null || numClassEmbeds != null;
    }

    /** Width of the text that reaches the attention blocks (after {@code encoder_hid_proj}). */
    public int contextDim(int block) {
        return crossAttentionDim.get(block);
    }

    /** Width of {@code encoder_hidden_states} as the caller passes it. */
    public int encoderHiddenStatesDim() {
        return encoderHidDim != null ? encoderHidDim : crossAttentionDim.get(0);
    }

    /** Whether some down block holds cross-attention transformers (SD-style, ControlNet-compatible). */
    public boolean hasCrossAttnDownBlocks() {
        return downBlockTypes.stream().anyMatch(t -> t == BlockType.CROSS_ATTN_DOWN_BLOCK_2D);
    }

    /** A copy with another input width (the inpainting UNet is SD 1.5 with 9 input channels). */
    public UNet2DConditionConfig withInChannels(int in) {
        return new UNet2DConditionConfig(sampleSize, in, outChannels, centerInputSample, flipSinToCos, freqShift,
                downBlockTypes, midBlockType, upBlockTypes, onlyCrossAttention, blockOutChannels, layersPerBlock,
                downsamplePadding, midBlockScaleFactor, dropout, actFn, normNumGroups, normEps, crossAttentionDim,
                transformerLayersPerBlock, encoderHidDim, encoderHidDimType, attentionHeadDim, dualCrossAttention,
                useLinearProjection, classEmbedType, additionEmbedType, additionEmbedTypeNumHeads, additionTimeEmbedDim,
                numClassEmbeds, upcastAttention, resnetTimeScaleShift, resnetSkipTimeAct, resnetOutScaleFactor,
                timeEmbeddingType, timeEmbeddingDim, timeEmbeddingActFn, convInKernel, convOutKernel,
                projectionClassEmbeddingsInputDim, crossAttentionNorm, midBlockOnlyCrossAttention);
    }

    // ---- parse helpers ----

    private static List<BlockType> mirrored(List<BlockType> down) {
        List<BlockType> up = new ArrayList<>(down.stream().map(BlockType::mirror).toList());
        Collections.reverse(up);
        return up;
    }

    /** The string at {@code key} when it is one of {@code allowed}; {@code fallback} when absent or null. */
    private static String oneOf(ConfigReader r, String key, String fallback, String... allowed) {
        String v = r.stringOrNull(key);
        if (v == null || List.of(allowed).contains(v)) {
            return v == null ? fallback : v;
        }
        String choices = Arrays.stream(allowed).map(a -> "\"" + a + "\"").collect(Collectors.joining(", "));
        throw ConfigReader.unsupported(key, "\"" + v + "\"", fallback == null ? "null, " + choices : choices);
    }

    private static void requireValue(ConfigReader r, String key, String only) {
        String v = r.stringOrNull(key);
        if (v != null && !v.equals(only)) {
            throw ConfigReader.unsupported(key, "\"" + v + "\"", "\"" + only + "\"");
        }
    }

    private static void requireAbsent(ConfigReader r, String key) {
        if (r.has(key)) {
            throw ConfigReader.unsupported(key, "a value", "null");
        }
    }

    private static void requireFalse(ConfigReader r, String key) {
        if (r.boolOr(key, false)) {
            throw ConfigReader.unsupported(key, "true", "false or null");
        }
    }

    /**
     * diffusers passes norm_num_groups to every resnet and attention norm (and conv_norm_out), so it
     * must divide every block's width; null, which diffusers' down and up blocks cannot build, is refused.
     */
    private static int normNumGroups(ConfigReader r, List<Integer> channels) {
        if (r.isNull("norm_num_groups")) {
            throw ConfigReader.unsupported("norm_num_groups", "null", "a group count that divides every block_out_channels value");
        }
        int groups = r.intOr("norm_num_groups", 32);
        if (groups < 1 || channels.stream().anyMatch(c -> c % groups != 0)) {
            throw ConfigReader.unsupported("norm_num_groups", groups, "a group count that divides every block_out_channels value "
                    + channels);
        }
        return groups;
    }

    /** diffusers takes one size or (height, width); it sizes nothing in the network, so the first is kept. */
    private static int sampleSize(ConfigReader r) {
        List<Integer> sizes = r.isList("sample_size") ? r.ints("sample_size", List.of()) : List.of(r.intOr("sample_size", 64));
        if (sizes.isEmpty() || sizes.size() > 2) {
            throw ConfigReader.unsupported("sample_size", sizes, "one size or [height, width]");
        }
        return sizes.get(0);
    }

    private static int oddKernel(ConfigReader r, String key) {
        int k = r.intOr(key, 3);
        if (k % 2 == 0 || k < 1) {
            throw ConfigReader.unsupported(key, k, "an odd size");
        }
        return k;
    }

    private static Activation activation(String key, String name) {
        try {
            return Activation.fromConfig(name);
        } catch (IllegalArgumentException e) {
            throw ConfigReader.unsupported(key, "\"" + name + "\"", "\"silu\", \"swish\", \"gelu\"");
        }
    }
}
