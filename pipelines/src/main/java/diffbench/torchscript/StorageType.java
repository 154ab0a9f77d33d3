package diffbench.torchscript;

import diffbench.torchscript.code.ScalarType;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The element types a storage in an archive can hold, with the name torch's unpickler knows each
 * by ({@code torch.HalfStorage}, ...) and its width on disk.
 */
public enum StorageType {
    FLOAT32("FloatStorage", 4, "fp32"),
    FLOAT16("HalfStorage", 2, "fp16"),
    BFLOAT16("BFloat16Storage", 2, "bf16"),
    INT64("LongStorage", 8, "int64");

    private final String torchName;
    private final int bytes;
    private final String shortName;

    StorageType(String torchName, int bytes, String shortName) {
        this.torchName = torchName;
        this.bytes = bytes;
        this.shortName = shortName;
    }

    /** The class name under module {@code torch} that the pickle names, e.g. {@code HalfStorage}. */
    public String torchName() {
        return torchName;
    }

    public int bytes() {
        return bytes;
    }

    /** The name users type: fp32, fp16, bf16. */
    public String shortName() {
        return shortName;
    }

    /** The element type code names for this storage's tensors. */
    public ScalarType scalarType() {
        return switch (this) {
            case FLOAT32 -> ScalarType.FLOAT32;
            case FLOAT16 -> ScalarType.FLOAT16;
            case BFLOAT16 -> ScalarType.BFLOAT16;
            case INT64 -> ScalarType.INT64;
        };
    }

    public boolean isFloatingPoint() {
        return this != INT64;
    }

    /** Parses a user-facing name (fp16, bf16, fp32), naming the valid ones when it is unknown. */
    public static StorageType fromShortName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (StorageType t : values()) {
            if (t.shortName.equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "': use one of "
                + Arrays.stream(values()).filter(StorageType::isFloatingPoint)
                        .map(StorageType::shortName).collect(Collectors.joining(", ")));
    }

    /** Looks a pickled storage class up; empty names are rejected by the caller with the record name. */
    static StorageType fromTorchName(String torchName) {
        for (StorageType t : values()) {
            if (t.torchName.equals(torchName)) {
                return t;
            }
        }
        return null;
    }
}
