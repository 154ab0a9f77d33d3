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

import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes statements in a Python-syntax language: what TorchScript and Python spell alike (names,
 * constants, members, lists, tuples, assignments, returns) is written here once; a language
 * spells operators, dtypes, devices, method calls and parameter updates its own way.
 */
public abstract class CodeWriter {

    public final String statement(Stmt s) {
        if (s instanceof Stmt.Assign a) {
            a.targets().forEach(v -> assigned(v.name()));
            return a.targets().stream().map(Var::name).collect(Collectors.joining(", "))
                    + (a.unpack() ? "," : "") + " = " + expr(a.value());
        } else if (s instanceof Stmt.SetParameter p) {
            return "self." + p.name() + " = " + parameterValue(expr(p.value()));
        } else if (s instanceof Stmt.Append a) {
            return a.list().name() + ".append(" + expr(a.value()) + ")";
        } else if (s instanceof Stmt.Return r) {
            return "return " + expr(r.value());
        }
        throw new IllegalArgumentException("unknown statement " + s);
    }

    public final String expr(Expr e) {
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
            return invoke(i);
        } else if (e instanceof Op o) {
            return op(o);
        } else if (e instanceof Dtype d) {
            return dtype(d.type());
        } else if (e instanceof DeviceOf d) {
            return deviceOf(d.tensor());
        } else if (e instanceof ListOf l) {
            return "[" + join(l.items()) + "]";
        } else if (e instanceof TupleOf t) {
            return "(" + join(t.items()) + (t.items().size() == 1 ? ",)" : ")");
        } else if (e instanceof Item i) {
            return i.list().name() + "[" + i.index() + "]";
        }
        throw new IllegalArgumentException("unknown expression " + e);
    }

    protected final String join(List<Expr> items) {
        return items.stream().map(this::expr).collect(Collectors.joining(", "));
    }

    /** A local variable is about to be assigned (a language may refuse names it reserves). */
    protected void assigned(String name) {
    }

    /** The value stored into a parameter's slot, given the expression computing it. */
    protected String parameterValue(String value) {
        return value;
    }

    /** A call of a module's method. */
    protected abstract String invoke(Invoke call);

    /** An aten operator. */
    protected abstract String op(Op op);

    protected abstract String dtype(ScalarType type);

    protected abstract String deviceOf(Expr tensor);
}
