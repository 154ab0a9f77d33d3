package diffbench.torchscript.code;

import diffbench.torchscript.code.Expr.Attr;
import diffbench.torchscript.code.Expr.Literal;
import diffbench.torchscript.code.Expr.Op;
import diffbench.torchscript.code.Expr.Var;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builders of the expressions the networks' methods are written in, one per aten operator with
 * that operator's arguments; the arguments TorchScript's schema needs but the networks never vary
 * ({@code group_norm}'s cudnn_enabled, {@code embedding}'s padding_idx, ...) are filled in here.
 * Meant for static import: {@code add(h, call("conv1", x))}.
 */
public final class Torch {
    public static final Var SELF = new Var("self");
    public static final Literal NONE = new Literal("None");
    public static final Literal TRUE = new Literal("True");
    public static final Literal FALSE = new Literal("False");
    public static final Literal MINUS_INFINITY = new Literal("float(\"-inf\")");

    private Torch() {
    }

    // ---- names and constants ----

    public static Var var(String name) {
        return new Var(name);
    }

    /** {@code self.name}: a parameter, attribute or submodule of the module whose method this is. */
    public static Attr self(String name) {
        return new Attr(SELF, name);
    }

    /** An int constant. */
    public static Literal num(long value) {
        return new Literal(Long.toString(value));
    }

    /** A float constant, always written with a decimal point so both languages read a float. */
    public static Literal num(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("no literal for " + value);
        }
        // Java's shortest round-trip digits; both languages read 1.0e-5 as Java writes 1.0E-5
        return new Literal(Double.toString(value).replace('E', 'e'));
    }

    public static Expr.Str str(String value) {
        return new Expr.Str(value);
    }

    public static Expr.ListOf list(Expr... items) {
        return new Expr.ListOf(List.of(items));
    }

    public static Expr.ListOf list(List<? extends Expr> items) {
        return new Expr.ListOf(List.copyOf(items));
    }

    /** A list of int constants, e.g. a shape or a kernel size. */
    public static Expr.ListOf ints(long... values) {
        return new Expr.ListOf(Arrays.stream(values).mapToObj(Torch::num).map(Expr.class::cast).toList());
    }

    public static Expr.TupleOf tuple(Expr... items) {
        return new Expr.TupleOf(List.of(items));
    }

    public static Expr.Item item(Var list, int index) {
        return new Expr.Item(list, index);
    }

    public static Expr.Invoke invoke(Expr module, String method, List<? extends Expr> args) {
        return new Expr.Invoke(module, method, List.copyOf(args));
    }

    public static Expr.Dtype dtype(ScalarType type) {
        return new Expr.Dtype(type);
    }

    public static Expr.DeviceOf deviceOf(Expr tensor) {
        return new Expr.DeviceOf(tensor);
    }

    // ---- arithmetic ----

    public static Op add(Expr a, Expr b) {
        return op(Aten.ADD, a, b);
    }

    public static Op sub(Expr a, Expr b) {
        return op(Aten.SUB, a, b);
    }

    public static Op mul(Expr a, Expr b) {
        return op(Aten.MUL, a, b);
    }

    /** True division, for tensors and ints alike. */
    public static Op div(Expr a, Expr b) {
        return op(Aten.DIV, a, b);
    }

    public static Op pow(Expr a, Expr b) {
        return op(Aten.POW, a, b);
    }

    // ---- shapes ----

    public static Op size(Expr x) {
        return op(Aten.SIZE, x);
    }

    public static Op size(Expr x, long dim) {
        return op(Aten.SIZE, x, num(dim));
    }

    public static Op numel(Expr x) {
        return op(Aten.NUMEL, x);
    }

    public static Op reshape(Expr x, Expr shape) {
        return op(Aten.RESHAPE, x, shape);
    }

    public static Op expand(Expr x, Expr shape) {
        return op(Aten.EXPAND, x, shape);
    }

    public static Op permute(Expr x, long... dims) {
        return op(Aten.PERMUTE, x, ints(dims));
    }

    public static Op transpose(Expr x, long dim0, long dim1) {
        return op(Aten.TRANSPOSE, x, num(dim0), num(dim1));
    }

    public static Op unsqueeze(Expr x, long dim) {
        return op(Aten.UNSQUEEZE, x, num(dim));
    }

    public static Op contiguous(Expr x) {
        return op(Aten.CONTIGUOUS, x);
    }

    public static Op flip(Expr x, long... dims) {
        return op(Aten.FLIP, x, ints(dims));
    }

    public static Op cat(List<? extends Expr> tensors, long dim) {
        return op(Aten.CAT, list(tensors), num(dim));
    }

    public static Op chunk(Expr x, long chunks, long dim) {
        return op(Aten.CHUNK, x, num(chunks), num(dim));
    }

    /** {@code x[..., start:end:step]} along {@code dim}. */
    public static Op slice(Expr x, long dim, Expr start, Expr end, long step) {
        return op(Aten.SLICE, x, num(dim), start, end, num(step));
    }

    public static Op gather(Expr x, long dim, Expr index) {
        return op(Aten.GATHER, x, num(dim), index);
    }

    // ---- element types and new tensors ----

    public static Op to(Expr x, ScalarType type) {
        return op(Aten.TO, x, dtype(type));
    }

    /** {@code a} in {@code b}'s dtype. */
    public static Op typeAs(Expr a, Expr b) {
        return op(Aten.TYPE_AS, a, b);
    }

    public static Op randnLike(Expr x) {
        return op(Aten.RANDN_LIKE, x);
    }

    public static Op zerosLike(Expr x) {
        return op(Aten.ZEROS_LIKE, x);
    }

    public static Op onesLike(Expr x) {
        return op(Aten.ONES_LIKE, x);
    }

    public static Op onesLike(Expr x, ScalarType type) {
        return new Op(Aten.ONES_LIKE, List.of(x), Map.of("dtype", dtype(type)));
    }

    /** {@code 0, 1, ..., n-1} as {@code type} on {@code device}. */
    public static Op arange(Expr n, ScalarType type, Expr device) {
        Map<String, Expr> k = new LinkedHashMap<>();
        k.put("dtype", dtype(type));
        k.put("layout", NONE);
        k.put("device", device);
        k.put("pin_memory", NONE);
        return new Op(Aten.ARANGE, List.of(n), k);
    }

    // ---- element-wise and reductions ----

    public static Op exp(Expr x) {
        return op(Aten.EXP, x);
    }

    public static Op cos(Expr x) {
        return op(Aten.COS, x);
    }

    public static Op sin(Expr x) {
        return op(Aten.SIN, x);
    }

    public static Op sigmoid(Expr x) {
        return op(Aten.SIGMOID, x);
    }

    public static Op silu(Expr x) {
        return op(Aten.SILU, x);
    }

    /** The exact (erf) GELU. */
    public static Op gelu(Expr x) {
        return op(Aten.GELU, x);
    }

    /** GELU with {@code approximate} "tanh" or "none". */
    public static Op gelu(Expr x, String approximate) {
        return op(Aten.GELU, x, str(approximate));
    }

    public static Op clamp(Expr x, Expr min, Expr max) {
        return op(Aten.CLAMP, x, min, max);
    }

    public static Op eq(Expr a, Expr b) {
        return op(Aten.EQ, a, b);
    }

    public static Op argmax(Expr x, long dim) {
        return op(Aten.ARGMAX, x, num(dim));
    }

    public static Op mean(Expr x, long dim, boolean keepDim) {
        return op(Aten.MEAN, x, ints(dim), keepDim ? TRUE : FALSE);
    }

    public static Op triu(Expr x, long diagonal) {
        return op(Aten.TRIU, x, num(diagonal));
    }

    public static Op maskedFill(Expr x, Expr mask, Expr value) {
        return op(Aten.MASKED_FILL, x, mask, value);
    }

    public static Op softmax(Expr x, long dim) {
        return op(Aten.SOFTMAX, x, num(dim));
    }

    /** Softmax computed in {@code type}. */
    public static Op softmax(Expr x, long dim, ScalarType type) {
        return op(Aten.SOFTMAX, x, num(dim), dtype(type));
    }

    public static Op matmul(Expr a, Expr b) {
        return op(Aten.MATMUL, a, b);
    }

    // ---- layers' functions ----

    public static Op linear(Expr x, Expr weight, Expr bias) {
        return op(Aten.LINEAR, x, weight, bias);
    }

    public static Op conv2d(Expr x, Expr weight, Expr bias, Expr stride, Expr padding, Expr dilation, Expr groups) {
        return op(Aten.CONV2D, x, weight, bias, stride, padding, dilation, groups);
    }

    public static Op groupNorm(Expr x, Expr groups, Expr weight, Expr bias, Expr eps) {
        return op(Aten.GROUP_NORM, x, groups, weight, bias, eps, TRUE);
    }

    public static Op layerNorm(Expr x, Expr normalizedShape, Expr weight, Expr bias, Expr eps) {
        return op(Aten.LAYER_NORM, x, normalizedShape, weight, bias, eps, TRUE);
    }

    /** Rows of {@code weight} picked by {@code indices}. */
    public static Op embedding(Expr weight, Expr indices) {
        return op(Aten.EMBEDDING, weight, indices, num(-1), FALSE, FALSE);
    }

    public static Op scaledDotProductAttention(Expr q, Expr k, Expr v) {
        return op(Aten.SCALED_DOT_PRODUCT_ATTENTION, q, k, v);
    }

    /** Attention in which token i sees tokens 0..i only. */
    public static Op causalScaledDotProductAttention(Expr q, Expr k, Expr v) {
        return op(Aten.SCALED_DOT_PRODUCT_ATTENTION, q, k, v, NONE, num(0.0), TRUE);
    }

    public static Op avgPool2d(Expr x, long kernel, long stride) {
        return op(Aten.AVG_POOL2D, x, ints(kernel, kernel), ints(stride, stride));
    }

    /** Nearest-neighbour upsampling by {@code factor} in both spatial dimensions. */
    public static Op upsampleNearest2d(Expr x, double factor) {
        return op(Aten.UPSAMPLE_NEAREST2D, x, NONE, list(num(factor), num(factor)));
    }

    /** Bilinear resize to {@code size} with align_corners=True. */
    public static Op upsampleBilinear2dAlignCorners(Expr x, Expr size) {
        return op(Aten.UPSAMPLE_BILINEAR2D, x, size, TRUE, NONE);
    }

    /** Pads with a constant; {@code pad} lists (before, after) pairs from the last dimension back. */
    public static Op constantPad(Expr x, Expr pad, Expr value) {
        return op(Aten.CONSTANT_PAD_ND, x, pad, value);
    }

    private static Op op(Aten op, Expr... args) {
        return new Op(op, List.of(args), Map.of());
    }
}
