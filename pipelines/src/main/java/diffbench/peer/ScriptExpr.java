package diffbench.peer;

import java.util.List;
import java.util.Map;

/** The expressions of the TorchScript method bodies the project emits, parsed by {@link ScriptParser}. */
sealed interface ScriptExpr {

    /** A local variable, {@code self}, {@code torch}, {@code ops}, or a builtin name. */
    record Name(String id) implements ScriptExpr {
    }

    /** A number literal as written ({@code 1}, {@code 0.}, {@code 1e-05}). */
    record Num(String text) implements ScriptExpr {
    }

    /** A string literal's value (no escapes occur in the emitted source). */
    record Str(String value) implements ScriptExpr {
    }

    record Neg(ScriptExpr operand) implements ScriptExpr {
    }

    record Attr(ScriptExpr target, String name) implements ScriptExpr {
    }

    record Call(ScriptExpr function, List<ScriptExpr> args, Map<String, ScriptExpr> kwargs) implements ScriptExpr {
    }

    record Index(ScriptExpr target, ScriptExpr index) implements ScriptExpr {
    }

    record ListOf(List<ScriptExpr> items) implements ScriptExpr {
    }

    record TupleOf(List<ScriptExpr> items) implements ScriptExpr {
    }
}
