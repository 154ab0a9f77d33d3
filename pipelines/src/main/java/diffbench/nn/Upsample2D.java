package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;

import java.util.List;

import static diffbench.torchscript.code.Torch.upsampleNearest2d;

/** diffusers' Upsample2D: nearest-neighbour x2, then a 3x3 conv ({@code conv}). */
public final class Upsample2D extends Layer {
    private final Conv2d conv;

    public Upsample2D(long channels) {
        conv = child("conv", Conv2d.same3x3(channels, channels));
    }

    @Override
    public String className() {
        return "Upsample2D";
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        body.ret(call("conv", upsampleNearest2d(X, 2.0)));
        return List.of(forward(body));
    }

    public long[] outputShape(long[] x) {
        return conv.outputShape(new long[] {x[0], x[1], 2 * x[2], 2 * x[3]});
    }

    public long flops(long[] x) {
        return conv.flops(new long[] {x[0], x[1], 2 * x[2], 2 * x[3]});
    }
}
