package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;

import java.util.List;

import static diffbench.torchscript.code.Torch.conv2d;
import static diffbench.torchscript.code.Torch.ints;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.self;

/** {@code nn.Conv2d} with bias: square kernel, stride and symmetric padding. */
public final class Conv2d extends Layer {
    private final long in;
    private final long out;
    private final int kernel;
    private final int stride;
    private final int padding;

    public Conv2d(long in, long out, int kernel, int stride, int padding) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        param("weight", new long[] {out, in, kernel, kernel}, Init.fanIn());
        param("bias", new long[] {out}, Init.zeros());
        attribute("stride", List.of((long) stride, (long) stride));
        attribute("padding", List.of((long) padding, (long) padding));
    }

    /** A 3x3 convolution that keeps the spatial size. */
    public static Conv2d same3x3(long in, long out) {
        return new Conv2d(in, out, 3, 1, 1);
    }

    @Override
    public String className() {
        return "Conv2d";
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        body.ret(conv2d(X, self("weight"), self("bias"), self("stride"), self("padding"), ints(1, 1), num(1)));
        return List.of(forward(body));
    }

    /** Output shape for an NCHW input. */
    public long[] outputShape(long[] x) {
        return new long[] {x[0], out, (x[2] + 2L * padding - kernel) / stride + 1, (x[3] + 2L * padding - kernel) / stride + 1};
    }

    /** 2 FLOPs (multiply + add) per weight per output position. */
    public long flops(long[] x) {
        long[] y = outputShape(x);
        return 2L * y[0] * y[2] * y[3] * out * in * kernel * kernel;
    }
}
