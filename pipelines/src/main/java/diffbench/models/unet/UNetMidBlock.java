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
public final class UNetMidBlock extends UNetBlock {

    public UNetMidBlock(BlockType type, ResnetBlock2D first, Layer attention, ResnetBlock2D second) {
        super(type, List.of(first, second), List.of(attention));
    }

    @Override
    protected List<ScriptMethod> methods() {
        return List.of(ScriptMethod.legacy("forward", List.of("x: Tensor", "temb: Tensor", "context: Tensor"), "Tensor", List.of(
                "h = " + LayerList.callItemText("resnets", 0, "x", "temb"),
                "h = " + LayerList.callItemText("attentions", 0, "h", "context"),
                "return " + LayerList.callItemText("resnets", 1, "h", "temb"))));
    }
}
