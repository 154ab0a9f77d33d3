package diffbench.models.unet;

import diffbench.models.ConfigReader;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The diffusers block types this project builds, by their config.json names. A block is resnets,
 * optionally each followed by an attention (a Transformer2DModel, or IF's added-KV attention), and
 * a resampler at its end (a strided or upsampling conv, or IF's resampling resnet).
 */
public enum BlockType {
    DOWN_BLOCK_2D("DownBlock2D", Position.DOWN, Attention.NONE, false),
    CROSS_ATTN_DOWN_BLOCK_2D("CrossAttnDownBlock2D", Position.DOWN, Attention.TRANSFORMER, false),
    RESNET_DOWNSAMPLE_BLOCK_2D("ResnetDownsampleBlock2D", Position.DOWN, Attention.NONE, true),
    SIMPLE_CROSS_ATTN_DOWN_BLOCK_2D("SimpleCrossAttnDownBlock2D", Position.DOWN, Attention.ADDED_KV, true),
    UP_BLOCK_2D("UpBlock2D", Position.UP, Attention.NONE, false),
    CROSS_ATTN_UP_BLOCK_2D("CrossAttnUpBlock2D", Position.UP, Attention.TRANSFORMER, false),
    RESNET_UPSAMPLE_BLOCK_2D("ResnetUpsampleBlock2D", Position.UP, Attention.NONE, true),
    SIMPLE_CROSS_ATTN_UP_BLOCK_2D("SimpleCrossAttnUpBlock2D", Position.UP, Attention.ADDED_KV, true),
    MID_BLOCK_2D_CROSS_ATTN("UNetMidBlock2DCrossAttn", Position.MID, Attention.TRANSFORMER, false),
    MID_BLOCK_2D_SIMPLE_CROSS_ATTN("UNetMidBlock2DSimpleCrossAttn", Position.MID, Attention.ADDED_KV, true);

    public enum Position { DOWN, UP, MID }

    public enum Attention { NONE, TRANSFORMER, ADDED_KV }

    private final String diffusersName;
    private final Position position;
    private final Attention attention;
    private final boolean deepFloyd;

    BlockType(String diffusersName, Position position, Attention attention, boolean deepFloyd) {
        this.diffusersName = diffusersName;
        this.position = position;
        this.attention = attention;
        this.deepFloyd = deepFloyd;
    }

    public String diffusersName() {
        return diffusersName;
    }

    public Position position() {
        return position;
    }

    public Attention attention() {
        return attention;
    }

    /**
     * IF's block family: resamples with a resnet, and its resnets take {@code resnet_out_scale_factor} and
     * {@code resnet_skip_time_act} (diffusers passes both only to these blocks).
     */
    public boolean deepFloyd() {
        return deepFloyd;
    }

    /** The up block that mirrors this down block (DownBlock2D → UpBlock2D, ...). */
    public BlockType mirror() {
        if (position != Position.DOWN) {
            throw new IllegalStateException(diffusersName + " is not a down block");
        }
        return parse("up_block_types", diffusersName.replace("Downsample", "Upsample").replace("Down", "Up"), Position.UP);
    }

    /** The block type named {@code name} at {@code position}, or an error naming the config key. */
    public static BlockType parse(String key, String name, Position position) {
        for (BlockType t : values()) {
            if (t.position == position && t.diffusersName.equals(name)) {
                return t;
            }
        }
        throw ConfigReader.unsupported(key, "\"" + name + "\"", Arrays.stream(values())
                .filter(t -> t.position == position).map(t -> t.diffusersName).collect(Collectors.joining(", ")));
    }

    static List<BlockType> parseAll(String key, List<String> names, Position position) {
        return names.stream().map(n -> parse(key, n, position)).toList();
    }

    @Override
    public String toString() {
        return diffusersName;
    }
}
