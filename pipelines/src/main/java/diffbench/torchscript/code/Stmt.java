package diffbench.torchscript.code;

import java.util.List;

/** A statement of a method body: one line, no control flow (the networks' methods are straight-line code). */
public sealed interface Stmt {

    /** {@code x = value}, or with {@code unpack} {@code a, b, = value} (a tuple or list split into names). */
    record Assign(List<Expr.Var> targets, boolean unpack, Expr value) implements Stmt {
        public Assign {
            targets = List.copyOf(targets);
            if (targets.isEmpty() || !unpack && targets.size() != 1) {
                throw new IllegalArgumentException("an assignment to " + targets + (unpack ? "" : " without unpacking"));
            }
        }
    }

    /** Replaces parameter {@code name} of this module ({@code init_weights}). */
    record SetParameter(String name, Expr value) implements Stmt {
    }

    /** Appends to a list held in a variable. */
    record Append(Expr.Var list, Expr value) implements Stmt {
    }

    record Return(Expr value) implements Stmt {
    }
}
