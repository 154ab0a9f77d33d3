package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;

import java.util.List;
import java.util.Locale;

/** diffusers' TimestepEmbedding: {@code linear_1} → act → {@code linear_2}. */
public final class TimestepEmbedding extends Layer {
    private final Activation act;
    private final Linear linear1;
    private final Linear linear2;

    public TimestepEmbedding(long in, long timeEmbedDim, Activation act) {
        this.act = act;
        linear1 = child("linear_1", new Linear(in, timeEmbedDim));
        linear2 = child("linear_2", new Linear(timeEmbedDim, timeEmbedDim));
    }

    @Override
    public String className() {
        return "TimestepEmbedding_" + act.name().toLowerCase(Locale.ROOT);
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        body.ret(call("linear_2", act.apply(call("linear_1", X))));
        return List.of(forward(body));
    }

    public long flops(long batch) {
        return linear1.flops(batch) + linear2.flops(batch);
    }
}
