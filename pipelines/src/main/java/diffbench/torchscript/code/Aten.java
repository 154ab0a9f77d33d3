package diffbench.torchscript.code;

import java.util.Locale;

/**
 * The aten operators the networks use. An {@link Expr.Op} holds an operator's arguments as its
 * TorchScript schema orders them, so TorchScript writes {@code torch.<name>(args)}; the Python
 * writer maps each constant to the eager call that dispatches to the same operator. A new operator
 * is a constant here, a builder in {@link Torch} and a case in the Python writer (the compiler
 * finds the missing case).
 */
public enum Aten {
    // arithmetic (Python: operators, which also combine the ints and floats TorchScript passes)
    ADD, SUB, MUL, DIV, POW,
    // spelled alike in torch's Python namespace
    CAT, CHUNK, UNSQUEEZE, RESHAPE, PERMUTE, TRANSPOSE, FLIP, EXP, COS, SIN, SIGMOID, MATMUL, GATHER, ARGMAX,
    EQ, CLAMP, MEAN, TRIU, MASKED_FILL, NUMEL, RANDN_LIKE, ZEROS_LIKE, ONES_LIKE, CONV2D, SOFTMAX, ARANGE,
    // Tensor methods in Python
    TYPE_AS, CONTIGUOUS, EXPAND, SIZE, TO,
    // torch.nn.functional in Python
    LINEAR, SILU, GELU, AVG_POOL2D, GROUP_NORM, LAYER_NORM, SCALED_DOT_PRODUCT_ATTENTION, EMBEDDING,
    UPSAMPLE_NEAREST2D, UPSAMPLE_BILINEAR2D, CONSTANT_PAD_ND,
    // Python indexing
    SLICE;

    /** The builtin's name after {@code torch.} in TorchScript. */
    public String torchScriptName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
