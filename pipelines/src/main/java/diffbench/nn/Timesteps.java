package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Var;
import diffbench.torchscript.code.ScalarType;

import java.util.List;

import static diffbench.torchscript.code.Torch.arange;
import static diffbench.torchscript.code.Torch.cat;
import static diffbench.torchscript.code.Torch.cos;
import static diffbench.torchscript.code.Torch.deviceOf;
import static diffbench.torchscript.code.Torch.div;
import static diffbench.torchscript.code.Torch.exp;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.self;
import static diffbench.torchscript.code.Torch.sin;
import static diffbench.torchscript.code.Torch.to;
import static diffbench.torchscript.code.Torch.unsqueeze;

/**
 * diffusers' sinusoidal Timesteps embedding (no parameters): for t of shape (N,), frequencies
 * exp(-ln(10000)·k / (dim/2 - freq_shift)), output [cos, sin] when flip_sin_to_cos else [sin, cos],
 * computed in fp32 (the caller casts to the model's dtype).
 */
public final class Timesteps extends Layer {
    private final boolean flipSinToCos;

    public Timesteps(long dim, boolean flipSinToCos, double freqShift) {
        if (dim % 2 != 0) {
            throw new IllegalArgumentException("odd timestep embedding width " + dim + " is not supported");
        }
        this.flipSinToCos = flipSinToCos;
        attribute("half_dim", dim / 2);
        attribute("denominator", dim / 2 - freqShift);
    }

    @Override
    public String className() {
        return flipSinToCos ? "Timesteps_cosSin" : "Timesteps_sinCos";
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        Var k = body.let("k", arange(self("half_dim"), ScalarType.FLOAT32, deviceOf(X)));
        // exponent -ln(10000)·k / (half_dim - freq_shift); StrictMath so every JVM writes the same literal
        Var freqs = body.let("freqs", exp(div(mul(k, num(-StrictMath.log(10000))), self("denominator"))));
        Var arg = body.let("arg", mul(unsqueeze(to(X, ScalarType.FLOAT32), 1), unsqueeze(freqs, 0)));
        Expr first = flipSinToCos ? cos(arg) : sin(arg);
        Expr second = flipSinToCos ? sin(arg) : cos(arg);
        body.ret(cat(List.of(first, second), -1));
        return List.of(forward(body));
    }
}
