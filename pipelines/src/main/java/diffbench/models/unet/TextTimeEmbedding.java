package diffbench.models.unet;

import diffbench.models.ModelLayer;
import diffbench.nn.LayerNorm;
import diffbench.nn.Linear;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;

/**
 * diffusers' TextTimeEmbedding (IF's {@code add_embedding}, addition_embed_type "text"): the raw
 * text states (before {@code encoder_hid_proj}) → {@code norm1} → attention {@code pool} →
 * {@code proj} to the time-embedding width → {@code norm2}; added to the time embedding.
 */
public final class TextTimeEmbedding extends ModelLayer {
    private final AttentionPooling pool;
    private final Linear proj;

    public TextTimeEmbedding(long textDim, long timeEmbedDim, long heads) {
        child("norm1", new LayerNorm(textDim, 1e-5));
        pool = child("pool", new AttentionPooling(textDim, heads));
        proj = child("proj", new Linear(textDim, timeEmbedDim));
        child("norm2", new LayerNorm(timeEmbedDim, 1e-5));
    }

    @Override
    public String className() {
        return "TextTimeEmbedding";
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var h = body.let("h", call("pool", call("norm1", X)));
        body.ret(call("norm2", call("proj", h)));
        return List.of(forward(body));
    }

    /** FLOPs for (batch, tokens, textDim) text. */
    public long flops(long batch, long tokens) {
        return pool.flops(batch, tokens) + proj.flops(batch);
    }
}
