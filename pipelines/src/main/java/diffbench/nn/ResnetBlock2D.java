package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Var;

import java.util.List;
import java.util.Locale;

import static diffbench.torchscript.code.Torch.add;
import static diffbench.torchscript.code.Torch.avgPool2d;
import static diffbench.torchscript.code.Torch.chunk;
import static diffbench.torchscript.code.Torch.div;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.self;
import static diffbench.torchscript.code.Torch.unsqueeze;
import static diffbench.torchscript.code.Torch.upsampleNearest2d;
import static diffbench.torchscript.code.Torch.var;

/**
 * diffusers' ResnetBlock2D: norm1 → act → [resample] → conv1 → (+ time embedding, or scale/shift
 * after norm2) → norm2 → act → conv2, plus the (1x1-projected when widths differ) input, divided by
 * the output scale factor. The VAE's blocks have no time embedding; IF's down/up samplers are
 * resnets that average-pool or nearest-upsample inside.
 */
public final class ResnetBlock2D extends Layer {

    /** Resampling inside the block (IF's ResnetDownsample/Upsample blocks). */
    public enum Resample { NONE, UP, DOWN }

    /** The options of one block; {@code tembChannels} 0 means no time embedding. */
    public record Options(int groups, double eps, long tembChannels, boolean scaleShift, boolean skipTimeAct,
                          Resample resample, double outputScaleFactor, Activation act) {

        /** SD / SDXL UNet resnets: 32 groups, eps 1e-5, SiLU, additive time embedding. */
        public static Options unet(long tembChannels, double eps) {
            return new Options(32, eps, tembChannels, false, false, Resample.NONE, 1.0, Activation.SILU);
        }

        /** VAE resnets: 32 groups, eps 1e-6, no time embedding. */
        public static Options vae() {
            return new Options(32, 1e-6, 0, false, false, Resample.NONE, 1.0, Activation.SILU);
        }

        public Options withResample(Resample r) {
            return new Options(groups, eps, tembChannels, scaleShift, skipTimeAct, r, outputScaleFactor, act);
        }
    }

    private final long in;
    private final long out;
    private final Options o;

    public ResnetBlock2D(long in, long out, Options options) {
        this.in = in;
        this.out = out;
        this.o = options;
        child("norm1", new GroupNorm(o.groups(), in, o.eps()));
        child("conv1", Conv2d.same3x3(in, out));
        if (hasTemb()) {
            child("time_emb_proj", new Linear(o.tembChannels(), o.scaleShift() ? 2 * out : out));
        }
        child("norm2", new GroupNorm(o.groups(), out, o.eps()));
        child("conv2", Conv2d.same3x3(out, out));
        if (in != out) {
            child("conv_shortcut", new Conv2d(in, out, 1, 1, 0));
        }
        if (o.outputScaleFactor() != 1.0) {
            attribute("output_scale_factor", o.outputScaleFactor());
        }
    }

    private boolean hasTemb() {
        return o.tembChannels() > 0;
    }

    @Override
    public String className() {
        StringBuilder n = new StringBuilder("ResnetBlock2D");
        if (!hasTemb()) {
            n.append("_noTemb");
        }
        if (in != out) {
            n.append("_shortcut");
        }
        if (o.scaleShift()) {
            n.append("_scaleShift");
        }
        if (o.skipTimeAct()) {
            n.append("_skipTimeAct");
        }
        if (o.resample() != Resample.NONE) {
            n.append('_').append(o.resample().name().toLowerCase(Locale.ROOT));
        }
        if (o.outputScaleFactor() != 1.0) {
            n.append("_scaled");
        }
        if (o.act() != Activation.SILU) {
            n.append('_').append(o.act().name().toLowerCase(Locale.ROOT));
        }
        return n.toString();
    }

    @Override
    protected List<ScriptMethod> methods() {
        Activation act = o.act();
        Body body = new Body();
        Var h = body.let("h", act.apply(call("norm1", X)));
        // the skip path is resampled alongside the main one so the two still add up
        Var skip = X;
        switch (o.resample()) {
            case UP -> {
                skip = body.let("x0", upsampleNearest2d(X, 2.0));
                h = body.let("h", upsampleNearest2d(h, 2.0));
            }
            case DOWN -> {
                skip = body.let("x0", avgPool2d(X, 2, 2));
                h = body.let("h", avgPool2d(h, 2, 2));
            }
            case NONE -> { }
        }
        h = body.let("h", call("conv1", h));
        if (hasTemb()) {
            Var temb = var("temb");
            Expr projected = call("time_emb_proj", o.skipTimeAct() ? temb : act.apply(temb));
            // (batch, channels) broadcast over the map's height and width
            Var t = body.let("t", unsqueeze(unsqueeze(projected, 2), 3));
            if (o.scaleShift()) {
                h = body.let("h", call("norm2", h));
                List<Var> scaleShift = body.unpack(chunk(t, 2, 1), "scale", "shift");
                Var scale = scaleShift.get(0);
                Var shift = scaleShift.get(1);
                h = body.let("h", add(mul(h, add(scale, num(1))), shift));
            } else {
                h = body.let("h", call("norm2", add(h, t)));
            }
        } else {
            h = body.let("h", call("norm2", h));
        }
        h = body.let("h", call("conv2", act.apply(h)));
        Expr shortcut = in != out ? call("conv_shortcut", skip) : skip;
        body.ret(o.outputScaleFactor() != 1.0
                ? div(add(shortcut, h), self("output_scale_factor"))
                : add(shortcut, h));
        List<ScriptMethod.Argument> args = hasTemb() ? ScriptMethod.Argument.tensors("x", "temb") : ScriptMethod.Argument.tensors("x");
        return List.of(new ScriptMethod("forward", args, "Tensor", body.statements()));
    }

    /** Output shape for an NCHW input. */
    public long[] outputShape(long[] x) {
        long scale = switch (o.resample()) {
            case UP -> 2;
            case DOWN -> -2;
            case NONE -> 1;
        };
        long h = scale > 0 ? x[2] * scale : x[2] / 2;
        long w = scale > 0 ? x[3] * scale : x[3] / 2;
        return new long[] {x[0], out, h, w};
    }

    /** FLOPs of the convolutions, time projection and shortcut for an NCHW input. */
    public long flops(long[] x) {
        long[] y = outputShape(x);
        long positions = y[0] * y[2] * y[3];
        long f = 2L * positions * out * in * 9 + 2L * positions * out * out * 9;
        if (hasTemb()) {
            f += 2L * x[0] * o.tembChannels() * (o.scaleShift() ? 2 * out : out);
        }
        if (in != out) {
            f += 2L * positions * in * out;
        }
        return f;
    }
}
