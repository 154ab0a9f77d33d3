package diffbench.models.clip;

import diffbench.models.ModelLayer;
import diffbench.nn.AttentionKernel;
import diffbench.nn.LayerNorm;
import diffbench.torchscript.ScriptMethod;

import java.util.List;

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
        return List.of(forwardText(List.of(
                "x = torch.add(x, " + callText("self_attn", callText("layer_norm1", "x")) + ")",
                "return torch.add(x, " + callText("mlp", callText("layer_norm2", "x")) + ")")));
    }

    long flops(long batch, long tokens) {
        return attention.flops(batch, tokens) + mlp.flops(batch, tokens);
    }
}
