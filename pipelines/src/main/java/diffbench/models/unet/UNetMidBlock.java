package diffbench.models.unet;

import diffbench.nn.Layer;
import diffbench.nn.LayerList;
import diffbench.nn.ResnetBlock2D;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

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
        Body body = new Body();
        Var h = body.let("h", LayerList.callItem("resnets", 0, X, TEMB));
        h = body.let("h", LayerList.callItem("attentions", 0, h, CONTEXT));
        body.ret(LayerList.callItem("resnets", 1, h, TEMB));
        return List.of(new ScriptMethod("forward", Argument.tensors(X.name(), TEMB.name(), CONTEXT.name()), "Tensor",
                body.statements()));
    }
}
