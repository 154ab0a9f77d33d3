package diffbench.nn;

import diffbench.torchscript.TensorRef;
import diffbench.torchscript.code.Expr;

import static diffbench.torchscript.code.Torch.div;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.numel;
import static diffbench.torchscript.code.Torch.onesLike;
import static diffbench.torchscript.code.Torch.pow;
import static diffbench.torchscript.code.Torch.randnLike;
import static diffbench.torchscript.code.Torch.size;
import static diffbench.torchscript.code.Torch.zerosLike;

/**
 * How a parameter is initialised when no checkpoint supplies it: the scheme synthetic weights
 * follow. Weights draw from N(0, std²) with std = gain / sqrt(fan_in), fan_in = numel / shape[0]
 * (inputs summed per output), so each layer keeps its input's variance and activations stay O(1)
 * through deep stacks in fp16; embeddings draw with a fixed std; norms start as identity (ones /
 * zeros); biases at zero. The rule depends only on the shape, so one TorchScript
 * {@code init_weights} per class serves every instance.
 */
public record Init(Kind kind, double value) {

    public enum Kind { NORMAL_FAN_IN, NORMAL, ONES, ZEROS }

    /** N(0, (gain / sqrt(fan_in))²). */
    public static Init fanIn(double gain) {
        return new Init(Kind.NORMAL_FAN_IN, gain);
    }

    /** Variance-preserving: N(0, 1 / fan_in). */
    public static Init fanIn() {
        return fanIn(1.0);
    }

    /** N(0, std²), for embedding tables. */
    public static Init normal(double std) {
        return new Init(Kind.NORMAL, std);
    }

    public static Init ones() {
        return new Init(Kind.ONES, 1);
    }

    public static Init zeros() {
        return new Init(Kind.ZEROS, 0);
    }

    /** The standard deviation of a normal init for a parameter of this shape. */
    public double std(long[] shape) {
        return switch (kind) {
            case NORMAL_FAN_IN -> value / Math.sqrt((double) TensorRef.numel(shape) / shape[0]);
            case NORMAL -> value;
            case ONES, ZEROS -> 0;
        };
    }

    /** The expression that redraws {@code param} (e.g. {@code self.weight}) by this rule. */
    Expr redraw(Expr param) {
        return switch (kind) {
            case NORMAL_FAN_IN -> mul(randnLike(param),
                    mul(num(value), pow(div(numel(param), size(param, 0)), num(-0.5))));
            case NORMAL -> mul(randnLike(param), num(value));
            case ONES -> onesLike(param);
            case ZEROS -> zerosLike(param);
        };
    }
}
