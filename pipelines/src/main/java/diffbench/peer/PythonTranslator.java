package diffbench.peer;

import diffbench.peer.ScriptExpr.Attr;
import diffbench.peer.ScriptExpr.Call;
import diffbench.peer.ScriptExpr.Index;
import diffbench.peer.ScriptExpr.ListOf;
import diffbench.peer.ScriptExpr.Name;
import diffbench.peer.ScriptExpr.Neg;
import diffbench.peer.ScriptExpr.Num;
import diffbench.peer.ScriptExpr.Str;
import diffbench.peer.ScriptExpr.TupleOf;
import diffbench.torchscript.ScriptMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Translates the TorchScript methods the project emits into eager PyTorch: aten builtins become the
 * Python API calls that dispatch to the same aten op ({@code torch.linear} → {@code F.linear},
 * {@code torch.type_as(a, b)} → {@code a.type_as(b)}, scalar type codes → {@code torch.float32}, ...),
 * {@code torch.add/mul/div/pow} become operators (they also combine the ints and floats TorchScript
 * passes them), submodule calls stay calls. Every builtin is listed here with the argument forms the
 * project uses; any other construct is an {@link UnsupportedScriptException}.
 */
final class PythonTranslator {
    /** Names the generated file imports; a local variable of the same name would shadow them. */
    private static final Set<String> RESERVED = Set.of("torch", "F", "nn", "Tensor", "List", "Optional", "Tuple",
            "getattr", "float", "self");
    /** Builtins passed through unchanged: Python's torch namespace has them with the same positional arguments. */
    private static final Set<String> SAME = Set.of("cat", "chunk", "unsqueeze", "reshape", "permute", "transpose", "exp",
            "cos", "sin", "sigmoid", "matmul", "gather", "argmax", "clamp", "mean", "triu", "masked_fill", "numel",
            "randn_like", "zeros_like", "conv2d");

    private final String where;
    private final Set<String> parameterNames;

    /**
     * @param where the class and method, for error messages
     * @param parameterNames the class's parameters: init_weights assigns new values to them
     */
    private PythonTranslator(String where, Set<String> parameterNames) {
        this.where = where;
        this.parameterNames = parameterNames;
    }

    /** TRANSITION: one line of TorchScript text as Python. */
    static String rawLine(String where, String line) {
        return new PythonTranslator(where, Set.of()).statement(line);
    }

    private String statement(String line) {
        ScriptParser.Statement s;
        try {
            s = ScriptParser.statement(line);
        } catch (UnsupportedScriptException e) {
            throw error(e.getMessage());
        }
        return switch (s.kind()) {
            case RETURN -> "return " + expr(s.value());
            case EXPR -> {
                if (!(s.value() instanceof Call)) {
                    throw error("a bare expression that is not a call: '" + line + "'");
                }
                yield expr(s.value());
            }
            case ASSIGN -> assignment(s, line);
        };
    }

    private String assignment(ScriptParser.Statement s, String line) {
        if (s.targets().size() == 1 && !s.trailingComma() && s.targets().get(0) instanceof Attr a
                && a.target() instanceof Name n && n.id().equals("self")) {
            if (!parameterNames.contains(a.name())) {
                throw error("assignment to self." + a.name() + ", which is not a parameter: '" + line + "'");
            }
            // nn.Module accepts only a Parameter for a parameter's slot
            return "self." + a.name() + " = nn.Parameter(" + expr(s.value()) + ", requires_grad=False)";
        }
        List<String> names = new ArrayList<>();
        for (ScriptExpr target : s.targets()) {
            if (!(target instanceof Name n)) {
                throw error("unsupported assignment target in '" + line + "'");
            }
            local(n.id());
            names.add(n.id());
        }
        return String.join(", ", names) + (s.trailingComma() ? "," : "") + " = " + expr(s.value());
    }

    private void local(String name) {
        if (RESERVED.contains(name) || name.equals("ops")) {
            throw error("local name '" + name + "' would shadow a name the Python twin uses");
        }
    }

    /** Argument and return types: the TorchScript spellings the project emits, which typing also knows. */
    private String type(String t) {
        if (t.equals("NoneType")) {
            return "None";
        }
        if (!t.matches("(Tensor|int|float|bool|str|List|Tuple|Optional|[\\[\\], ])+")) {
            throw error("unsupported type '" + t + "'");
        }
        return t;
    }

    String expr(ScriptExpr e) {
        if (e instanceof Name n) {
            if (n.id().equals("None") || n.id().equals("True") || n.id().equals("False") || n.id().equals("self")
                    || !RESERVED.contains(n.id()) && !n.id().equals("ops")) {
                return n.id();
            }
            throw error("bare name '" + n.id() + "'");
        } else if (e instanceof Num num) {
            return num.text();
        } else if (e instanceof Str str) {
            return quote(str.value());
        } else if (e instanceof Neg neg) {
            return neg.operand() instanceof Num num ? "-" + num.text() : "-(" + expr(neg.operand()) + ")";
        } else if (e instanceof Attr a) {
            return attribute(a);
        } else if (e instanceof Index i) {
            return target(i.target()) + "[" + expr(i.index()) + "]";
        } else if (e instanceof ListOf l) {
            return "[" + join(l.items()) + "]";
        } else if (e instanceof TupleOf t) {
            return "(" + join(t.items()) + (t.items().size() == 1 ? ",)" : ")");
        } else if (e instanceof Call c) {
            return call(c);
        }
        throw error("unsupported expression " + e);
    }

    private String attribute(Attr a) {
        if (a.target() instanceof Name n && (n.id().equals("torch") || n.id().equals("ops"))) {
            throw error("'" + n.id() + "." + a.name() + "' used as a value");
        }
        if (!isModuleExpr(a.target()) && !(a.target() instanceof Name)) {
            throw error("attribute '" + a.name() + "' of an expression that is not a module or local");
        }
        return target(a.target()) + "." + a.name();
    }

    /** self, self.x, getattr(self.xs, "0"), and attribute chains of those. */
    private static boolean isModuleExpr(ScriptExpr e) {
        if (e instanceof Name n) {
            return n.id().equals("self");
        } else if (e instanceof Attr a) {
            return isModuleExpr(a.target());
        } else if (e instanceof Call c) {
            return c.function() instanceof Name n && n.id().equals("getattr") && !c.args().isEmpty()
                    && isModuleExpr(c.args().get(0));
        }
        return false;
    }

    /** An expression in a position where Python binds tighter than it (before '.', '[' or '('). */
    private String target(ScriptExpr e) {
        String s = expr(e);
        return e instanceof Name || e instanceof Attr || e instanceof Call || e instanceof Index ? s : "(" + s + ")";
    }

    private String call(Call c) {
        if (c.function() instanceof Attr a && a.target() instanceof Name n && n.id().equals("torch")) {
            return builtin(a.name(), c);
        }
        if (c.function() instanceof Attr a && a.target() instanceof Attr p && p.name().equals("prim")
                && p.target() instanceof Name n && n.id().equals("ops")) {
            arity(c, "ops.prim." + a.name(), 1, 1);
            return switch (a.name()) {
                case "device" -> target(c.args().get(0)) + ".device";
                case "dtype" -> target(c.args().get(0)) + ".dtype";
                default -> throw error("unknown builtin ops.prim." + a.name());
            };
        }
        if (c.function() instanceof Attr a && isModuleExpr(a.target())) {
            noKeywords(c, a.name());
            return target(a.target()) + "." + a.name() + "(" + join(c.args()) + ")";
        }
        if (c.function() instanceof Attr a && a.target() instanceof Name n && a.name().equals("append")) {
            arity(c, "append", 1, 1);
            return expr(n) + ".append(" + expr(c.args().get(0)) + ")";
        }
        if (c.function() instanceof Name n && n.id().equals("getattr")) {
            arity(c, "getattr", 2, 2);
            if (!(c.args().get(1) instanceof Str) || !isModuleExpr(c.args().get(0))) {
                throw error("getattr other than a module's named child");
            }
            return "getattr(" + join(c.args()) + ")";
        }
        if (c.function() instanceof Name n && n.id().equals("float")) {
            arity(c, "float", 1, 1);
            if (c.args().get(0) instanceof Str s && Set.of("inf", "-inf", "nan").contains(s.value())) {
                return "float(" + quote(s.value()) + ")";
            }
            throw error("float() of anything but \"inf\", \"-inf\", \"nan\"");
        }
        throw error("unknown call of '" + expr(c.function()) + "'");
    }

    private String builtin(String name, Call c) {
        List<ScriptExpr> a = c.args();
        if (SAME.contains(name)) {
            noKeywords(c, name);
            return "torch." + name + "(" + join(a) + ")";
        }
        return switch (name) {
            case "add", "mul", "div", "pow" -> {
                arity(c, name, 2, 2);
                String op = switch (name) {
                    case "add" -> " + ";
                    case "mul" -> " * ";
                    case "div" -> " / "; // aten::div is true division for tensors and ints alike
                    default -> " ** ";
                };
                yield "(" + operand(a.get(0)) + op + operand(a.get(1)) + ")";
            }
            case "softmax" -> {
                arity(c, name, 2, 3);
                yield "torch.softmax(" + expr(a.get(0)) + ", " + expr(a.get(1))
                        + (a.size() == 3 ? ", dtype=" + dtype(a.get(2)) : "") + ")";
            }
            case "ones_like" -> {
                keywords(c, name, "dtype");
                arity(c, name, 1, 1);
                yield "torch.ones_like(" + expr(a.get(0))
                        + (c.kwargs().containsKey("dtype") ? ", dtype=" + dtype(c.kwargs().get("dtype")) : "") + ")";
            }
            case "type_as" -> method(c, name, 2, 2);
            case "contiguous" -> method(c, name, 1, 1);
            case "expand" -> method(c, name, 2, 2);
            case "size" -> method(c, name, 1, 2);
            case "to" -> {
                arity(c, name, 2, 2);
                yield target(a.get(0)) + ".to(" + dtype(a.get(1)) + ")";
            }
            case "linear" -> functional(c, name, 2, 3);
            case "silu" -> functional(c, name, 1, 1);
            case "gelu" -> {
                arity(c, name, 1, 2);
                yield "F.gelu(" + expr(a.get(0)) + (a.size() == 2 ? ", approximate=" + expr(a.get(1)) : "") + ")";
            }
            case "group_norm", "layer_norm" -> {
                // (x, groups | shape, weight, bias, eps, cudnn_enabled): F has the first five
                arity(c, name, 6, 6);
                requireLiteral(a.get(5), "True", name + "'s cudnn_enabled");
                yield "F." + name + "(" + join(a.subList(0, 5)) + ")";
            }
            case "scaled_dot_product_attention" -> {
                noKeywords(c, name);
                arity(c, name, 3, 6);
                String[] keys = {"attn_mask", "dropout_p", "is_causal"};
                StringBuilder s = new StringBuilder("F.scaled_dot_product_attention(").append(join(a.subList(0, 3)));
                for (int i = 3; i < a.size(); i++) {
                    s.append(", ").append(keys[i - 3]).append('=').append(expr(a.get(i)));
                }
                yield s.append(')').toString();
            }
            case "embedding" -> {
                // (weight, indices, padding_idx, scale_grad_by_freq, sparse)
                arity(c, name, 5, 5);
                requireLiteral(a.get(2), "-1", "embedding's padding_idx");
                requireLiteral(a.get(3), "False", "embedding's scale_grad_by_freq");
                requireLiteral(a.get(4), "False", "embedding's sparse");
                yield "F.embedding(" + expr(a.get(1)) + ", " + expr(a.get(0)) + ")";
            }
            case "avg_pool2d" -> functional(c, name, 3, 3);
            case "upsample_nearest2d" -> {
                arity(c, name, 3, 3);
                requireLiteral(a.get(1), "None", "upsample_nearest2d's output_size");
                yield "F.interpolate(" + expr(a.get(0)) + ", scale_factor=" + expr(a.get(2)) + ", mode=\"nearest\")";
            }
            case "constant_pad_nd" -> {
                arity(c, name, 3, 3);
                yield "F.pad(" + expr(a.get(0)) + ", " + expr(a.get(1)) + ", \"constant\", " + expr(a.get(2)) + ")";
            }
            case "slice" -> slice(c);
            case "arange" -> {
                arity(c, name, 1, 1);
                keywords(c, name, "dtype", "layout", "device", "pin_memory");
                Map<String, ScriptExpr> k = c.kwargs();
                if (k.containsKey("layout")) {
                    requireLiteral(k.get("layout"), "None", "arange's layout");
                }
                if (k.containsKey("pin_memory")) {
                    requireLiteral(k.get("pin_memory"), "None", "arange's pin_memory");
                }
                StringBuilder s = new StringBuilder("torch.arange(").append(expr(a.get(0)));
                if (k.containsKey("dtype")) {
                    s.append(", dtype=").append(dtype(k.get("dtype")));
                }
                if (k.containsKey("device")) {
                    s.append(", device=").append(expr(k.get("device")));
                }
                yield s.append(')').toString();
            }
            default -> throw error("unknown builtin torch." + name);
        };
    }

    /** torch.slice(x, dim, start, end, step) as Python indexing on a literal dim. */
    private String slice(Call c) {
        arity(c, "slice", 5, 5);
        if (!(c.args().get(1) instanceof Num dim) || !dim.text().matches("[0-9]+")) {
            throw error("torch.slice with a dim that is not an int literal");
        }
        String range = expr(c.args().get(2)) + ":" + expr(c.args().get(3)) + ":" + expr(c.args().get(4));
        return target(c.args().get(0)) + "[" + ":, ".repeat(Integer.parseInt(dim.text())) + range + "]";
    }

    /** {@code torch.f(x, rest...)} → {@code x.f(rest...)}. */
    private String method(Call c, String name, int min, int max) {
        arity(c, name, min, max);
        List<ScriptExpr> a = c.args();
        return target(a.get(0)) + "." + name + "(" + join(a.subList(1, a.size())) + ")";
    }

    private String functional(Call c, String name, int min, int max) {
        arity(c, name, min, max);
        return "F." + name + "(" + join(c.args()) + ")";
    }

    /** An operand of a binary operator: parenthesised unless atomic. */
    private String operand(ScriptExpr e) {
        String s = expr(e);
        return e instanceof Num || e instanceof Name || e instanceof Attr || e instanceof Call || e instanceof Index
                ? s : "(" + s + ")";
    }

    /** c10::ScalarType codes as TorchScript writes them. */
    private String dtype(ScriptExpr e) {
        if (!(e instanceof Num n)) {
            throw error("a dtype that is not a scalar type code: " + e);
        }
        return switch (n.text()) {
            case "4" -> "torch.int64";
            case "5" -> "torch.float16";
            case "6" -> "torch.float32";
            case "7" -> "torch.float64";
            case "11" -> "torch.bool";
            case "15" -> "torch.bfloat16";
            default -> throw error("unknown scalar type code " + n.text());
        };
    }

    private void requireLiteral(ScriptExpr e, String literal, String what) {
        boolean ok = e instanceof Name n && n.id().equals(literal) || e instanceof Num num && num.text().equals(literal)
                || e instanceof Neg neg && neg.operand() instanceof Num num2 && ("-" + num2.text()).equals(literal);
        if (!ok) {
            throw error(what + " must be " + literal + ", not " + expr(e));
        }
    }

    private void arity(Call c, String name, int min, int max) {
        if (c.args().size() < min || c.args().size() > max) {
            throw error(name + " with " + c.args().size() + " positional arguments (expected " + min
                    + (max == min ? "" : " to " + max) + ")");
        }
    }

    private void noKeywords(Call c, String name) {
        if (!c.kwargs().isEmpty()) {
            throw error(name + " with keyword arguments " + c.kwargs().keySet());
        }
    }

    private void keywords(Call c, String name, String... allowed) {
        for (String k : c.kwargs().keySet()) {
            if (!List.of(allowed).contains(k)) {
                throw error(name + " with keyword argument " + k);
            }
        }
    }

    private String join(List<ScriptExpr> items) {
        return items.stream().map(this::expr).collect(Collectors.joining(", "));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                b.append('\\');
            }
            if (ch < 0x20 || ch > 0x7e) {
                throw new UnsupportedScriptException("string with a control or non-ASCII character: " + s);
            }
            b.append(ch);
        }
        return b.append('"').toString();
    }

    private UnsupportedScriptException error(String what) {
        return new UnsupportedScriptException(where + ": " + what);
    }
}
