package diffbench.torchscript.code;

import diffbench.torchscript.code.Expr.Var;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A method body written statement by statement: {@code Var h = body.let("h", ...)}. */
public final class Body {
    private final List<Stmt> statements = new ArrayList<>();

    /** {@code name = value}; returns the variable. */
    public Var let(String name, Expr value) {
        Var v = new Var(name);
        statements.add(new Stmt.Assign(List.of(v), false, value));
        return v;
    }

    /** {@code a, b, = value}: a tuple or list split into names; returns the variables. */
    public List<Var> unpack(Expr value, String... names) {
        List<Var> vars = Arrays.stream(names).map(Var::new).toList();
        statements.add(new Stmt.Assign(vars, true, value));
        return vars;
    }

    public void setParameter(String name, Expr value) {
        statements.add(new Stmt.SetParameter(name, value));
    }

    public void append(Var list, Expr value) {
        statements.add(new Stmt.Append(list, value));
    }

    public void ret(Expr value) {
        statements.add(new Stmt.Return(value));
    }

    /** The statements so far. */
    public List<Stmt> statements() {
        return List.copyOf(statements);
    }
}
