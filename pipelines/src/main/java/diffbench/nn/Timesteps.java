package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.List;

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
        String first = flipSinToCos ? "torch.cos(arg)" : "torch.sin(arg)";
        String second = flipSinToCos ? "torch.sin(arg)" : "torch.cos(arg)";
        return List.of(forwardText(List.of(
                "k = torch.arange(self.half_dim, dtype=6, layout=None, device=ops.prim.device(x), pin_memory=None)",
                "freqs = torch.exp(torch.div(torch.mul(k, -9.210340371976184), self.denominator))",
                "arg = torch.mul(torch.unsqueeze(torch.to(x, 6), 1), torch.unsqueeze(freqs, 0))",
                "return torch.cat([" + first + ", " + second + "], -1)")));
    }
}
