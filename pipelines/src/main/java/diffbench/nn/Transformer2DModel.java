package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Var;

import java.util.ArrayList;
import java.util.List;

import static diffbench.torchscript.code.Torch.add;
import static diffbench.torchscript.code.Torch.contiguous;
import static diffbench.torchscript.code.Torch.list;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.permute;
import static diffbench.torchscript.code.Torch.reshape;
import static diffbench.torchscript.code.Torch.var;

/**
 * diffusers' Transformer2DModel for NCHW feature maps: GroupNorm(norm_num_groups, eps 1e-6), {@code proj_in}
 * (1x1 conv, or Linear when {@code use_linear_projection}), a stack of BasicTransformerBlocks over
 * the H·W tokens, {@code proj_out} of the same kind, and a residual add.
 */
public final class Transformer2DModel extends Layer {
    private final long channels;
    private final boolean linearProjection;
    private final LayerList<BasicTransformerBlock> blocks;

    /** @param groups the norm's groups: diffusers' blocks pass the UNet's norm_num_groups (32 in every published config) */
    public Transformer2DModel(long channels, long heads, long crossAttentionDim, int layers, boolean linearProjection,
                              boolean onlyCrossAttention, int groups, AttentionKernel kernel) {
        this.channels = channels;
        this.linearProjection = linearProjection;
        child("norm", new GroupNorm(groups, channels, 1e-6));
        child("proj_in", linearProjection ? new Linear(channels, channels) : new Conv2d(channels, channels, 1, 1, 0));
        List<BasicTransformerBlock> list = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            list.add(new BasicTransformerBlock(channels, heads, crossAttentionDim, onlyCrossAttention, kernel));
        }
        blocks = child("transformer_blocks", new LayerList<>(list));
        child("proj_out", linearProjection ? new Linear(channels, channels) : new Conv2d(channels, channels, 1, 1, 0));
    }

    @Override
    public String className() {
        return "Transformer2DModel_" + (linearProjection ? "linear" : "conv") + "_" + blocks.size() + "_"
                + blocks.get(0).className();
    }

    @Override
    protected List<ScriptMethod> methods() {
        Var context = var("context");
        Body body = new Body();
        MapSize size = MapSize.of(body, X, "b");
        Var y = body.let("y", call("norm", X));
        // a Linear projects tokens, a 1x1 conv the map: the projection sits on its side of the reshape
        Var t = body.let("t", linearProjection ? call("proj_in", toTokens(y, size)) : toTokens(call("proj_in", y), size));
        for (int i = 0; i < blocks.size(); i++) {
            t = body.let("t", LayerList.callItem("transformer_blocks", i, t, context));
        }
        Var o = body.let("o", linearProjection ? toMap(call("proj_out", t), size) : call("proj_out", toMap(t, size)));
        body.ret(add(o, X));
        return List.of(new ScriptMethod("forward", ScriptMethod.Argument.tensors("x", "context"), "Tensor", body.statements()));
    }

    /** An NCHW map as (batch, H·W tokens, channels), through a channels-last permute (diffusers' Transformer2DModel). */
    private static Expr toTokens(Expr map, MapSize s) {
        return reshape(permute(map, 0, 2, 3, 1), list(s.batch(), mul(s.height(), s.width()), s.channels()));
    }

    /**
     * Tokens back to a contiguous NCHW map, as diffusers does: a permuted view would carry a
     * channels-last layout into the residual add and every layer after it (each GroupNorm then
     * copies it back).
     */
    private static Expr toMap(Expr tokens, MapSize s) {
        return contiguous(permute(reshape(tokens, list(s.batch(), s.height(), s.width(), s.channels())), 0, 3, 1, 2));
    }

    /** FLOPs for an NCHW input and a text context of {@code contextTokens}. */
    public long flops(long[] x, long contextTokens) {
        long tokens = x[2] * x[3];
        long f = 2L * 2L * x[0] * tokens * channels * channels; // proj_in + proj_out
        for (BasicTransformerBlock b : blocks.items()) {
            f += b.flops(x[0], tokens, contextTokens);
        }
        return f;
    }
}
