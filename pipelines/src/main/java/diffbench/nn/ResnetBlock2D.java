package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;

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
            n.append('_').append(o.resample().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (o.outputScaleFactor() != 1.0) {
            n.append("_scaled");
        }
        if (o.act() != Activation.SILU) {
            n.append('_').append(o.act().name().toLowerCase(java.util.Locale.ROOT));
        }
        return n.toString();
    }

    @Override
    protected List<ScriptMethod> methods() {
        Activation act = o.act();
        List<String> s = new ArrayList<>();
        s.add("h = " + act.applyText(callText("norm1", "x")));
        String skip = "x";
        switch (o.resample()) {
            case UP -> {
                s.add("x0 = torch.upsample_nearest2d(x, None, [2., 2.])");
                s.add("h = torch.upsample_nearest2d(h, None, [2., 2.])");
                skip = "x0";
            }
            case DOWN -> {
                s.add("x0 = torch.avg_pool2d(x, [2, 2], [2, 2])");
                s.add("h = torch.avg_pool2d(h, [2, 2], [2, 2])");
                skip = "x0";
            }
            case NONE -> { }
        }
        s.add("h = " + callText("conv1", "h"));
        if (hasTemb()) {
            String t = o.skipTimeAct() ? "temb" : act.applyText("temb");
            s.add("t = torch.unsqueeze(torch.unsqueeze(" + callText("time_emb_proj", t) + ", 2), 3)");
            if (o.scaleShift()) {
                s.add("h = " + callText("norm2", "h"));
                s.add("scale, shift, = torch.chunk(t, 2, 1)");
                s.add("h = torch.add(torch.mul(h, torch.add(scale, 1)), shift)");
            } else {
                s.add("h = " + callText("norm2", "torch.add(h, t)"));
            }
        } else {
            s.add("h = " + callText("norm2", "h"));
        }
        s.add("h = " + callText("conv2", act.applyText("h")));
        String shortcut = in != out ? callText("conv_shortcut", skip) : skip;
        s.add(o.outputScaleFactor() != 1.0
                ? "return torch.div(torch.add(" + shortcut + ", h), self.output_scale_factor)"
                : "return torch.add(" + shortcut + ", h)");
        List<String> args = hasTemb() ? List.of("x: Tensor", "temb: Tensor") : List.of("x: Tensor");
        return List.of(ScriptMethod.legacy("forward", args, "Tensor", s));
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
