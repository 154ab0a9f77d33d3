package diffbench.nn;

import diffbench.torchscript.ScriptMethod;

import java.util.List;
import java.util.stream.Collectors;

/** A two-level tree around a block (`outer.inner`), to check names and calls through a parent. */
final class Nest extends Layer {
    private final List<String> args;
    private final String name;

    Nest(Layer inner, String... args) {
        this.args = List.of(args);
        this.name = "Nest_" + inner.className();
        child("inner", LayerList.sparse(java.util.Map.of(0, inner)));
    }

    @Override
    public String className() {
        return name;
    }

    @Override
    protected List<ScriptMethod> methods() {
        return List.of(ScriptMethod.legacy("forward", args.stream().map(a -> a + ": Tensor").collect(Collectors.toList()),
                "Tensor", List.of("return " + LayerList.callItemText("inner", 0, args.toArray(new String[0])))));
    }
}
