package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.List;

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
        return List.of(forwardText(List.of("return torch.linear(x, self.weight, " + (bias ? "self.bias" : "None") + ")")));
    }

    /** FLOPs for {@code rows} input vectors (the product of all but the last input dimension). */
    public long flops(long rows) {
        return 2L * rows * in * out;
    }
}
