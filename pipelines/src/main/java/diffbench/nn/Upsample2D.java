package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.List;

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
        return List.of(forwardText(List.of(
                "return " + callText("conv", "torch.upsample_nearest2d(x, None, [2., 2.])"))));
    }

    public long[] outputShape(long[] x) {
        return conv.outputShape(new long[] {x[0], x[1], 2 * x[2], 2 * x[3]});
    }

    public long flops(long[] x) {
        return conv.flops(new long[] {x[0], x[1], 2 * x[2], 2 * x[3]});
    }
}
