package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;

import java.util.List;

import static diffbench.torchscript.code.Torch.constantPad;
import static diffbench.torchscript.code.Torch.ints;
import static diffbench.torchscript.code.Torch.num;

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
        // pad = (left, right, top, bottom): one zero column on the right, one zero row at the bottom
        Expr in = asymmetricPad ? constantPad(X, ints(0, 1, 0, 1), num(0.0)) : X;
        Body body = new Body();
        body.ret(call("conv", in));
        return List.of(forward(body));
    }

    public long[] outputShape(long[] x) {
        return conv.outputShape(asymmetricPad ? new long[] {x[0], x[1], x[2] + 1, x[3] + 1} : x);
    }

    public long flops(long[] x) {
        return conv.flops(asymmetricPad ? new long[] {x[0], x[1], x[2] + 1, x[3] + 1} : x);
    }
}
