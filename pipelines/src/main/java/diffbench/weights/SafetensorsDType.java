package diffbench.weights;

import diffbench.torchscript.StorageType;

/** The element types this project reads and writes in safetensors files, by their header names. */
public enum SafetensorsDType {
    F32(4, StorageType.FLOAT32),
    F16(2, StorageType.FLOAT16),
    BF16(2, StorageType.BFLOAT16),
    I64(8, StorageType.INT64);

    private final int bytes;
    private final StorageType storageType;

    SafetensorsDType(int bytes, StorageType storageType) {
        this.bytes = bytes;
        this.storageType = storageType;
    }

    public int bytes() {
        return bytes;
    }

    public StorageType storageType() {
        return storageType;
    }

    public boolean isFloatingPoint() {
        return this != I64;
    }

    public static SafetensorsDType of(StorageType type) {
        for (SafetensorsDType d : values()) {
            if (d.storageType == type) {
                return d;
            }
        }
        throw new IllegalArgumentException("no safetensors dtype for " + type);
    }

    /** The dtype a header names, or null when this project does not read it. */
    static SafetensorsDType fromHeader(String name) {
        for (SafetensorsDType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
