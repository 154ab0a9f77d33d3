package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Torch;

import java.util.List;
import java.util.Map;

/** A two-level tree around a block (`outer.inner`), to check names and calls through a parent. */
final class Nest extends Layer {
    private final List<String> args;
    private final String name;

    Nest(Layer inner, String... args) {
        this.args = List.of(args);
        this.name = "Nest_" + inner.className();
        child("inner", LayerList.sparse(Map.of(0, inner)));
    }

    @Override
    public String className() {
        return name;
    }

    @Override
    protected List<ScriptMethod> methods() {
        Body body = new Body();
        body.ret(LayerList.callItem("inner", 0, args.stream().map(Torch::var).toArray(Expr[]::new)));
        return List.of(new ScriptMethod("forward", ScriptMethod.Argument.tensors(args.toArray(String[]::new)), "Tensor",
                body.statements()));
    }
}
