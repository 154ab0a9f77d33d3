package diffbench.schema;

/** The type of weights and activations; the constant's name is its CSV id, and the declaration order its display order. */
public enum Dtype implements CellTerm {
    fp16, bf16, fp32;

    @Override
    public String id() {
        return name();
    }

    /** The dtype a cell runs in when none is given: fp16 on a GPU, fp32 on CPU (both front doors). */
    public static Dtype defaultOn(DeviceKind device) {
        return device == DeviceKind.gpu ? fp16 : fp32;
    }

    public static Dtype fromId(String id) {
        return CellTerm.fromId(Dtype.class, "dtype", id);
    }
}
