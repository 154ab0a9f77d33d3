package diffbench.nn;

import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Torch;

/**
 * The parameter-free activations of these networks, written inline in the callers' source (they
 * have no state_dict entries, so they are not modules). diffusers' "gelu" is the exact (erf) GELU.
 */
public enum Activation {
    SILU("silu"),
    GELU("gelu");

    private final String op;

    Activation(String op) {
        this.op = op;
    }

    /** This activation applied to {@code x}. */
    public Expr apply(Expr x) {
        return switch (this) {
            case SILU -> Torch.silu(x);
            case GELU -> Torch.gelu(x);
        };
    }

    /** Parses a diffusers {@code act_fn} value. */
    public static Activation fromConfig(String actFn) {
        return switch (actFn) {
            case "silu", "swish" -> SILU;
            case "gelu" -> GELU;
            default -> throw new IllegalArgumentException("unsupported act_fn '" + actFn + "': use silu or gelu");
        };
    }
}
