package diffbench.torchscript.code;

import diffbench.torchscript.code.Expr.Attr;
import diffbench.torchscript.code.Expr.DeviceOf;
import diffbench.torchscript.code.Expr.Dtype;
import diffbench.torchscript.code.Expr.Invoke;
import diffbench.torchscript.code.Expr.Item;
import diffbench.torchscript.code.Expr.ListOf;
import diffbench.torchscript.code.Expr.Literal;
import diffbench.torchscript.code.Expr.Op;
import diffbench.torchscript.code.Expr.Str;
import diffbench.torchscript.code.Expr.TupleOf;
import diffbench.torchscript.code.Expr.Var;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes statements as the TorchScript source of an archive, in the forms {@code torch.jit.save}
 * itself writes: aten builtins as {@code torch.op(...)}, dtypes as ScalarType codes, a device as
 * {@code ops.prim.device(x)}, and a submodule's method as {@code (self.m).forward(x, )}.
 */
public final class TorchScriptText {
    private TorchScriptText() {
    }

    public static String statement(Stmt s) {
        if (s instanceof Stmt.Assign a) {
            return a.targets().stream().map(Var::name).collect(Collectors.joining(", "))
                    + (a.unpack() ? "," : "") + " = " + expr(a.value());
        } else if (s instanceof Stmt.SetParameter p) {
            return "self." + p.name() + " = " + expr(p.value());
        } else if (s instanceof Stmt.Append a) {
            return a.list().name() + ".append(" + expr(a.value()) + ")";
        } else if (s instanceof Stmt.Return r) {
            return "return " + expr(r.value());
        }
        throw new IllegalArgumentException("unknown statement " + s);
    }

    public static String expr(Expr e) {
        if (e instanceof Var v) {
            return v.name();
        } else if (e instanceof Literal l) {
            return l.text();
        } else if (e instanceof Str s) {
            return "\"" + s.value() + "\"";
        } else if (e instanceof Attr a) {
            return Names.isIdentifier(a.name()) ? expr(a.owner()) + "." + a.name()
                    : "getattr(" + expr(a.owner()) + ", \"" + a.name() + "\")";
        } else if (e instanceof Invoke i) {
            return i.module().equals(Torch.SELF)
                    ? "self." + i.method() + "(" + join(i.args()) + ")"
                    : "(" + expr(i.module()) + ")." + i.method() + "("
                            + i.args().stream().map(a -> expr(a) + ", ").collect(Collectors.joining()) + ")";
        } else if (e instanceof Op o) {
            List<String> args = new ArrayList<>(o.args().stream().map(TorchScriptText::expr).toList());
            o.kwargs().forEach((k, v) -> args.add(k + "=" + expr(v)));
            return "torch." + o.op().torchScriptName() + "(" + String.join(", ", args) + ")";
        } else if (e instanceof Dtype d) {
            return Integer.toString(d.type().code());
        } else if (e instanceof DeviceOf d) {
            return "ops.prim.device(" + expr(d.tensor()) + ")";
        } else if (e instanceof ListOf l) {
            return "[" + join(l.items()) + "]";
        } else if (e instanceof TupleOf t) {
            return "(" + join(t.items()) + (t.items().size() == 1 ? ",)" : ")");
        } else if (e instanceof Item i) {
            return i.list().name() + "[" + i.index() + "]";
        }
        throw new IllegalArgumentException("unknown expression " + e);
    }

    private static String join(List<Expr> items) {
        return items.stream().map(TorchScriptText::expr).collect(Collectors.joining(", "));
    }
}
