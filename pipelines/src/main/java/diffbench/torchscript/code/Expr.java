package diffbench.torchscript.code;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An expression of a method body the project emits: what the computation is, not how either
 * language spells it. {@link TorchScriptText} writes it as the archive's TorchScript, the peer's
 * Python writer as eager PyTorch; build expressions with {@link Torch}.
 */
public sealed interface Expr {

    /** A local variable or argument, or {@code self}. */
    record Var(String name) implements Expr {
        public Var {
            if (!Names.isIdentifier(name)) {
                throw new IllegalArgumentException("not a variable name: '" + name + "'");
            }
        }
    }

    /**
     * A constant both languages spell alike: a number ({@code 1}, {@code -1}, {@code 0.5}),
     * {@code None}, {@code True}, {@code False}, or {@code float("-inf")}. Made by {@link Torch#num}
     * and the constants there, never from arbitrary text.
     */
    record Literal(String text) implements Expr {
    }

    /** A string constant (ASCII without quotes or backslashes: what the networks pass). */
    record Str(String value) implements Expr {
        public Str {
            if (!value.matches("[ -!#-\\[\\]-~]*")) {
                throw new IllegalArgumentException("string constant with a quote, backslash or non-ASCII character: " + value);
            }
        }
    }

    /** A member of a module: a parameter, plain attribute or submodule ({@code self.conv1}, item {@code "0"} of a list). */
    record Attr(Expr owner, String name) implements Expr {
    }

    /** A call of a module's method: {@code forward} of a submodule, or another method of {@code self}. */
    record Invoke(Expr module, String method, List<Expr> args) implements Expr {
        public Invoke {
            args = List.copyOf(args);
        }
    }

    /** An aten operator with its TorchScript schema's positional arguments and keyword arguments in order. */
    record Op(Aten op, List<Expr> args, Map<String, Expr> kwargs) implements Expr {
        public Op {
            args = List.copyOf(args);
            kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
        }
    }

    /** An element type argument ({@code dtype=}). */
    record Dtype(ScalarType type) implements Expr {
    }

    /** The device a tensor lives on. */
    record DeviceOf(Expr tensor) implements Expr {
    }

    record ListOf(List<Expr> items) implements Expr {
        public ListOf {
            items = List.copyOf(items);
        }
    }

    record TupleOf(List<Expr> items) implements Expr {
        public TupleOf {
            items = List.copyOf(items);
        }
    }

    /** Element {@code index} of a list or tuple held in a variable. */
    record Item(Var list, int index) implements Expr {
    }
}
