package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.List;

/**
 * diffusers' Downsample2D: a stride-2 3x3 conv ({@code conv}). The UNet pads 1 on every side; the
 * VAE encoder pads 0 and zero-pads right and bottom by one first (asymmetric, as the checkpoint
 * was trained).
 */
public final class Downsample2D extends Layer {
    private final boolean asymmetricPad;
    private final Conv2d conv;

    public Downsample2D(long channels, boolean asymmetricPad) {
        this.asymmetricPad = asymmetricPad;
        conv = child("conv", new Conv2d(channels, channels, 3, 2, asymmetricPad ? 0 : 1));
    }

    @Override
    public String className() {
        return asymmetricPad ? "Downsample2D_padRightBottom" : "Downsample2D";
    }

    @Override
    protected List<ScriptMethod> methods() {
        String in = asymmetricPad ? "torch.constant_pad_nd(x, [0, 1, 0, 1], 0.)" : "x";
        return List.of(forwardText(List.of("return " + callText("conv", in))));
    }

    public long[] outputShape(long[] x) {
        return conv.outputShape(asymmetricPad ? new long[] {x[0], x[1], x[2] + 1, x[3] + 1} : x);
    }

    public long flops(long[] x) {
        return conv.flops(asymmetricPad ? new long[] {x[0], x[1], x[2] + 1, x[3] + 1} : x);
    }
}
