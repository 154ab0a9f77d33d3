package diffbench.torchscript.code;

/**
 * Element types as code names them: TorchScript by c10's ScalarType code ({@code torch.to(x, 6)}),
 * Python by {@code torch.float32}.
 */
public enum ScalarType {
    INT32(3, "torch.int32"),
    INT64(4, "torch.int64"),
    FLOAT16(5, "torch.float16"),
    FLOAT32(6, "torch.float32"),
    FLOAT64(7, "torch.float64"),
    BOOL(11, "torch.bool"),
    BFLOAT16(15, "torch.bfloat16");

    private final int code;
    private final String python;

    ScalarType(int code, String python) {
        this.code = code;
        this.python = python;
    }

    /** c10::ScalarType's number, as TorchScript source writes a dtype. */
    public int code() {
        return code;
    }

    /** The {@code torch.*} dtype name. */
    public String python() {
        return python;
    }
}
