package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;
import java.util.Map;

import static diffbench.torchscript.code.Torch.chunk;
import static diffbench.torchscript.code.Torch.mul;

/**
 * diffusers' FeedForward with a GEGLU input projection: {@code net.0} (GEGLU, dim → 2·inner),
 * {@code net.1} (Dropout, no parameters), {@code net.2} (Linear inner → dim).
 */
public final class FeedForward extends Layer {
    private final long dim;
    private final long inner;

    public FeedForward(long dim, long inner) {
        this.dim = dim;
        this.inner = inner;
        child("net", LayerList.sparse(Map.of(0, new Geglu(dim, inner), 2, new Linear(inner, dim))));
    }

    @Override
    public String className() {
        return "FeedForward";
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var h = body.let("h", LayerList.callItem("net", 0, X));
        body.ret(LayerList.callItem("net", 2, h));
        return List.of(forward(body));
    }

    public long flops(long rows) {
        return 2L * rows * dim * 2 * inner + 2L * rows * inner * dim;
    }

    /** GEGLU: one projection to twice the width; the first half gated by GELU of the second. */
    public static final class Geglu extends Layer {
        public Geglu(long dim, long inner) {
            child("proj", new Linear(dim, 2 * inner));
        }

        @Override
        public String className() {
            return "GEGLU";
        }

        @Override
        protected List<ScriptMethod> methods() {
            Body body = new Body();
            Var h = body.let("h", call("proj", X));
            List<Var> halves = body.unpack(chunk(h, 2, -1), "value", "gate");
            Var value = halves.get(0);
            Var gate = halves.get(1);
            body.ret(mul(value, Activation.GELU.apply(gate)));
            return List.of(forward(body));
        }
    }
}
