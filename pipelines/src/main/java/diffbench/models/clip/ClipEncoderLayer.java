package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.LayerNorm;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

import static diffbench.torchscript.code.Torch.add;

/** A pre-LN transformer layer: x + attn(LN1(x)), then + mlp(LN2(·)). */
final class ClipEncoderLayer extends ModelLayer {
    private final ClipAttention attention;
    private final ClipMlp mlp;

    ClipEncoderLayer(CLIPTextConfig c, AttentionKernel kernel) {
        attention = child("self_attn", new ClipAttention(c.hiddenSize(), c.numAttentionHeads(), kernel));
        child("layer_norm1", new LayerNorm(c.hiddenSize(), c.layerNormEps()));
        mlp = child("mlp", new ClipMlp(c.hiddenSize(), c.intermediateSize(), c.activation()));
        child("layer_norm2", new LayerNorm(c.hiddenSize(), c.layerNormEps()));
    }

    @Override
    public String className() {
        return "ClipEncoderLayer_" + attention.className() + "_" + mlp.className();
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var x = body.let("x", add(X, call("self_attn", call("layer_norm1", X))));
        body.ret(add(x, call("mlp", call("layer_norm2", x))));
        return List.of(forward(body));
    }

    long flops(long batch, long tokens) {
        return attention.flops(batch, tokens) + mlp.flops(batch, tokens);
    }
}
