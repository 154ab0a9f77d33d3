package diffbench.peer;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.CodeWriter;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Expr.Attr;
import diffbench.torchscript.code.Expr.Invoke;
import diffbench.torchscript.code.Expr.Item;
import diffbench.torchscript.code.Expr.Literal;
import diffbench.torchscript.code.Expr.Op;
import diffbench.torchscript.code.Expr.Var;
import diffbench.torchscript.code.ScalarType;
import diffbench.torchscript.code.Stmt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes a method's statements as eager PyTorch for the Python twin: each aten operator as the
 * Python call that dispatches to it ({@code linear} → {@code F.linear}, {@code type_as(a, b)} →
 * {@code a.type_as(b)}, {@code add} → {@code +}, which also combines the ints and floats TorchScript
 * passes), dtypes as {@code torch.float32}, submodule calls as calls.
 */
final class PythonText extends CodeWriter {
    /** Names the generated file imports; a local variable of the same name would shadow them. */
    private static final Set<String> RESERVED = Set.of("torch", "F", "nn", "Tensor", "List", "Optional", "Tuple",
            "getattr", "float", "self", "ops");

    private final String where;

    private PythonText(String where) {
        this.where = where;
    }

    /** The method as Python source lines, indented for a class body (4 spaces). */
    static List<String> method(String className, ScriptMethod m) {
        PythonText t = new PythonText(className + "." + m.name());
        List<String> out = new ArrayList<>();
        StringBuilder signature = new StringBuilder("    def ").append(m.name()).append("(self");
        for (ScriptMethod.Argument a : m.arguments()) {
            t.assigned(a.name());
            signature.append(", ").append(a.name()).append(": ").append(t.type(a.type()));
        }
        signature.append(") -> ").append(t.type(m.returnType())).append(':');
        out.add(signature.toString());
        for (Stmt s : m.body()) {
            out.add("        " + t.statement(s));
        }
        return out;
    }


    /** nn.Module accepts only a Parameter for a parameter's slot. */
    @Override
    protected String parameterValue(String value) {
        return "nn.Parameter(" + value + ", requires_grad=False)";
    }

    /** Arguments and assigned locals: refused where they would shadow a name the twin file uses. */
    @Override
    protected void assigned(String name) {
        if (RESERVED.contains(name)) {
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

    @Override
    protected String invoke(Invoke i) {
        return expr(i.module()) + "." + i.method() + "(" + join(i.args()) + ")";
    }

    @Override
    protected String dtype(ScalarType type) {
        return type.python();
    }

    @Override
    protected String deviceOf(Expr tensor) {
        return target(tensor) + ".device";
    }

    @Override
    protected String op(Op o) {
        List<Expr> a = o.args();
        String name = o.op().torchScriptName();
        return switch (o.op()) {
            case ADD -> binary(a, " + ");
            case SUB -> binary(a, " - ");
            case MUL -> binary(a, " * ");
            case DIV -> binary(a, " / "); // aten::div is true division for tensors and ints alike
            case POW -> binary(a, " ** ");
            case CAT, CHUNK, UNSQUEEZE, RESHAPE, PERMUTE, TRANSPOSE, FLIP, EXP, COS, SIN, SIGMOID, MATMUL, GATHER,
                    ARGMAX, EQ, CLAMP, MEAN, TRIU, MASKED_FILL, NUMEL, RANDN_LIKE, ZEROS_LIKE, CONV2D -> "torch." + name + "(" + join(a) + ")";
            case ONES_LIKE, ARANGE -> "torch." + name + "(" + join(a) + keywords(o, "dtype", "device") + ")";
            case SOFTMAX -> "torch.softmax(" + join(a.subList(0, 2)) + (a.size() == 3 ? ", dtype=" + expr(a.get(2)) : "") + ")";
            case TYPE_AS, CONTIGUOUS, EXPAND, SIZE, TO -> target(a.get(0)) + "." + name + "(" + join(a.subList(1, a.size())) + ")";
            case LINEAR, SILU, AVG_POOL2D -> "F." + name + "(" + join(a) + ")";
            case GELU -> "F.gelu(" + expr(a.get(0)) + (a.size() == 2 ? ", approximate=" + expr(a.get(1)) : "") + ")";
            // (x, groups | shape, weight, bias, eps, cudnn_enabled): F has the first five
            case GROUP_NORM, LAYER_NORM -> "F." + name + "(" + join(a.subList(0, 5)) + ")";
            case SCALED_DOT_PRODUCT_ATTENTION -> {
                String[] keys = {"attn_mask", "dropout_p", "is_causal"};
                StringBuilder s = new StringBuilder("F.scaled_dot_product_attention(").append(join(a.subList(0, 3)));
                for (int i = 3; i < a.size(); i++) {
                    s.append(", ").append(keys[i - 3]).append('=').append(expr(a.get(i)));
                }
                yield s.append(')').toString();
            }
            // (weight, indices, padding_idx, scale_grad_by_freq, sparse): F takes indices first
            case EMBEDDING -> "F.embedding(" + expr(a.get(1)) + ", " + expr(a.get(0)) + ")";
            case UPSAMPLE_NEAREST2D -> "F.interpolate(" + expr(a.get(0)) + ", scale_factor=" + expr(a.get(2)) + ", mode=\"nearest\")";
            case UPSAMPLE_BILINEAR2D -> "F.interpolate(" + expr(a.get(0)) + ", size=" + expr(a.get(1))
                    + ", mode=\"bilinear\", align_corners=" + expr(a.get(2)) + ")";
            case CONSTANT_PAD_ND -> "F.pad(" + expr(a.get(0)) + ", " + expr(a.get(1)) + ", \"constant\", " + expr(a.get(2)) + ")";
            // (x, dim, start, end, step) as indexing: the builder passes dim as an int constant
            case SLICE -> target(a.get(0)) + "[" + ":, ".repeat(Integer.parseInt(((Literal) a.get(1)).text()))
                    + expr(a.get(2)) + ":" + expr(a.get(3)) + ":" + expr(a.get(4)) + "]";
        };
    }

    /** The keyword arguments among {@code names} that the operator has, in that order. */
    private String keywords(Op o, String... names) {
        StringBuilder s = new StringBuilder();
        for (String k : names) {
            if (o.kwargs().containsKey(k)) {
                s.append(", ").append(k).append('=').append(expr(o.kwargs().get(k)));
            }
        }
        return s.toString();
    }

    private String binary(List<Expr> a, String operator) {
        return "(" + operand(a.get(0)) + operator + operand(a.get(1)) + ")";
    }

    /** An operand of a binary operator: a non-negative constant as it is, anything else as a {@link #target}. */
    private String operand(Expr e) {
        return e instanceof Literal l && !l.text().startsWith("-") ? l.text() : target(e);
    }

    /** An expression in a position where Python binds tighter than it (before '.', '[' or '('). */
    private String target(Expr e) {
        String s = expr(e);
        return e instanceof Var || e instanceof Attr || e instanceof Invoke || e instanceof Op || e instanceof Item ? s : "(" + s + ")";
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
