package diffbench.models.vae;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.LayerList;
import diffbench.nn.ResnetBlock2D;
import diffbench.nn.SpatialAttention;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

/**
 * diffusers' UNetMidBlock2D without time embedding: resnet, [single-head spatial attention], resnet
 * at the deepest width. The state_dict lists {@code attentions} before {@code resnets}, as here.
 */
final class VaeMidBlock extends ModelLayer {
    private final long channels;
    private final ResnetBlock2D resnet;
    private final SpatialAttention attention;

    VaeMidBlock(long channels, boolean withAttention, ResnetBlock2D.Options options, AttentionKernel kernel) {
        this.channels = channels;
        attention = withAttention ? new SpatialAttention(channels, 1, options.groups(), options.eps(), kernel) : null;
        if (withAttention) {
            child("attentions", new LayerList<>(List.of(attention)));
        }
        resnet = new ResnetBlock2D(channels, channels, options);
        child("resnets", new LayerList<>(List.of(resnet, new ResnetBlock2D(channels, channels, options))));
    }

    @Override
    public String className() {
        return structuralName("VaeMidBlock");
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var x = body.let("x", LayerList.callItem("resnets", 0, X));
        if (attention != null) {
            x = body.let("x", LayerList.callItem("attentions", 0, x));
        }
        body.ret(LayerList.callItem("resnets", 1, x));
        return List.of(forward(body));
    }

    long flops(long[] x) {
        return 2 * resnet.flops(x) + (attention != null ? attention.flops(x) : 0);
    }
}
