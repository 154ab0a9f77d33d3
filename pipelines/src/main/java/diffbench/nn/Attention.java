package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * diffusers' {@code Attention} over token sequences, as BasicTransformerBlock uses it: {@code to_q}
 * from the queries' width, {@code to_k}/{@code to_v} from the context's width (the queries'
 * own for self-attention), projections without bias, {@code to_out.0} with bias.
 * {@code forward(x, context)}: self-attention passes x twice.
 */
public final class Attention extends Layer {
    private final long queryDim;
    private final long contextDim;
    private final long innerDim;
    private final AttentionKernel kernel;

    public Attention(long queryDim, long contextDim, long heads, long headDim, AttentionKernel kernel) {
        this.queryDim = queryDim;
        this.contextDim = contextDim;
        this.innerDim = heads * headDim;
        this.kernel = kernel;
        child("to_q", new Linear(queryDim, innerDim, false));
        child("to_k", new Linear(contextDim, innerDim, false));
        child("to_v", new Linear(contextDim, innerDim, false));
        child("to_out", new LayerList<>(List.of(new Linear(innerDim, queryDim, true))));
        AttentionKernel.declare(this, heads, headDim);
    }

    @Override
    public String className() {
        return "Attention_" + kernel.id();
    }

    @Override
    protected List<ScriptMethod> methods() {
        List<String> body = new ArrayList<>();
        body.add("q = " + callText("to_q", "x"));
        body.add("k = " + callText("to_k", "context"));
        body.add("v = " + callText("to_v", "context"));
        body.addAll(kernel.textLines(false));
        body.add("return " + LayerList.callItemText("to_out", 0, "out"));
        return List.of(ScriptMethod.legacy("forward", List.of("x: Tensor", "context: Tensor"), "Tensor", body));
    }

    /** FLOPs for x of (batch, queries, queryDim) and a context of {@code keys} tokens. */
    public long flops(long batch, long queries, long keys) {
        return 2L * batch * queries * queryDim * innerDim * 2
                + 2L * 2L * batch * keys * contextDim * innerDim
                + AttentionKernel.flops(batch, queries, keys, innerDim);
    }
}
