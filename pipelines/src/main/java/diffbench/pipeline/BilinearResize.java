package diffbench.pipeline;

import diffbench.nn.Layer;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;

import java.util.List;

import static diffbench.torchscript.code.Torch.self;
import static diffbench.torchscript.code.Torch.upsampleBilinear2dAlignCorners;

/**
 * Bilinear resize with align_corners=True, as IF stage II upsamples stage I's image: a
 * parameter-free TorchScript module, because DJL's NDArray resize fixes align_corners to false.
 */
final class BilinearResize extends Layer {
    BilinearResize(long size) {
        attribute("size", List.of(size, size));
    }

    @Override
    public String className() {
        return "BilinearResize";
    }

    @Override
    protected String qualifier() {
        return "__torch__.diffbench.pipeline";
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        body.ret(upsampleBilinear2dAlignCorners(X, self("size")));
        return List.of(forward(body));
    }
}
