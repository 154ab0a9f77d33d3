package diffbench.torchscript.code;

import diffbench.torchscript.code.Expr.Invoke;
import diffbench.torchscript.code.Expr.Op;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes statements as the TorchScript source of an archive, in the forms {@code torch.jit.save}
 * itself writes: aten builtins as {@code torch.op(...)}, dtypes as ScalarType codes, a device as
 * {@code ops.prim.device(x)}, and a submodule's method as {@code (self.m).forward(x, )}.
 */
public final class TorchScriptText extends CodeWriter {
    public static final TorchScriptText WRITER = new TorchScriptText();

    private TorchScriptText() {
    }

    @Override
    protected String invoke(Invoke i) {
        return i.module().equals(Torch.SELF)
                ? "self." + i.method() + "(" + join(i.args()) + ")"
                : "(" + expr(i.module()) + ")." + i.method() + "("
                        + i.args().stream().map(a -> expr(a) + ", ").collect(Collectors.joining()) + ")";
    }

    @Override
    protected String op(Op o) {
        List<String> args = new ArrayList<>(o.args().stream().map(this::expr).toList());
        o.kwargs().forEach((k, v) -> args.add(k + "=" + expr(v)));
        return "torch." + o.op().torchScriptName() + "(" + String.join(", ", args) + ")";
    }

    @Override
    protected String dtype(ScalarType type) {
        return Integer.toString(type.code());
    }

    @Override
    protected String deviceOf(Expr tensor) {
        return "ops.prim.device(" + expr(tensor) + ")";
    }
}
