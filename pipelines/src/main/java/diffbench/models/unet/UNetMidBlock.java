package diffbench.models.unet;

import diffbench.nn.Layer;
import diffbench.nn.LayerList;
import diffbench.nn.ResnetBlock2D;
import diffbench.torchscript.ScriptMethod;

import java.util.List;

/**
 * The UNet's mid block (UNetMidBlock2DCrossAttn, UNetMidBlock2DSimpleCrossAttn): resnet, attention,
 * resnet at the lowest resolution. {@code forward(x, temb, context)}.
 */
public final class UNetMidBlock extends Layer {
    private final BlockType type;
    private final ResnetBlock2D first;
    private final ResnetBlock2D second;
    private final Layer attention;

    public UNetMidBlock(BlockType type, ResnetBlock2D first, Layer attention, ResnetBlock2D second) {
        this.type = type;
        this.first = first;
        this.second = second;
        this.attention = attention;
        child("attentions", new LayerList<>(List.of(attention)));
        child("resnets", new LayerList<>(List.of(first, second)));
    }

    @Override
    public String className() {
        return ClassNames.unique(type.diffusersName(), this);
    }

    @Override
    protected String qualifier() {
        return ClassNames.MODELS;
    }

    @Override
    protected List<ScriptMethod> methods() {
        return List.of(new ScriptMethod("forward", List.of("x: Tensor", "temb: Tensor", "context: Tensor"), "Tensor", List.of(
                "h = " + LayerList.callItem("resnets", 0, "x", "temb"),
                "h = " + LayerList.callItem("attentions", 0, "h", "context"),
                "return " + LayerList.callItem("resnets", 1, "h", "temb"))));
    }

    public long flops(long[] x, long contextTokens) {
        return first.flops(x) + BlockParts.attentionFlops(attention, first.outputShape(x), contextTokens)
                + second.flops(first.outputShape(x));
    }
}
