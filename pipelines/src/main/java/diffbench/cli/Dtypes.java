package diffbench.cli;

import diffbench.torchscript.StorageType;

/** The --dtype values: the floating-point storage types. */
final class Dtypes {
    private Dtypes() {
    }

    static StorageType parse(String name) {
        StorageType t = StorageType.fromShortName(name);
        if (!t.isFloatingPoint()) {
            throw new IllegalArgumentException("unknown dtype '" + name + "': use fp16, bf16 or fp32");
        }
        return t;
    }
}
