package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;

import java.util.List;

import static diffbench.torchscript.code.Torch.layerNorm;
import static diffbench.torchscript.code.Torch.self;

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
        Body body = new Body();
        body.ret(layerNorm(X, self("normalized_shape"), self("weight"), self("bias"), self("eps")));
        return List.of(forward(body));
    }
}
