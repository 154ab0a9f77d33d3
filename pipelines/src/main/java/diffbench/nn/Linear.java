package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;

import java.util.List;

import static diffbench.torchscript.code.Torch.NONE;
import static diffbench.torchscript.code.Torch.linear;
import static diffbench.torchscript.code.Torch.self;

/** {@code nn.Linear}, applied over the last dimension; the bias is optional (attention projections have none). */
public final class Linear extends Layer {
    private final long in;
    private final long out;
    private final boolean bias;

    public Linear(long in, long out, boolean bias) {
        this.in = in;
        this.out = out;
        this.bias = bias;
        param("weight", new long[] {out, in}, Init.fanIn());
        if (bias) {
            param("bias", new long[] {out}, Init.zeros());
        }
    }

    public Linear(long in, long out) {
        this(in, out, true);
    }

    public long in() {
        return in;
    }

    public long out() {
        return out;
    }

    @Override
    public String className() {
        return bias ? "Linear" : "LinearNoBias";
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        body.ret(linear(X, self("weight"), bias ? self("bias") : NONE));
        return List.of(forward(body));
    }

    /** FLOPs for {@code rows} input vectors (the product of all but the last input dimension). */
    public long flops(long rows) {
        return 2L * rows * in * out;
    }
}
