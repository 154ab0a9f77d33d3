package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.List;

/** {@code nn.LayerNorm} over the last dimension, with affine weight and bias. */
public final class LayerNorm extends Layer {
    public LayerNorm(long dim, double eps) {
        param("weight", new long[] {dim}, Init.ones());
        param("bias", new long[] {dim}, Init.zeros());
        attribute("normalized_shape", List.of(dim));
        attribute("eps", eps);
    }

    @Override
    public String className() {
        return "LayerNorm";
    }

    @Override
    protected List<ScriptMethod> methods() {
        return List.of(forwardText(List.of(
                "return torch.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps, True)")));
    }
}
