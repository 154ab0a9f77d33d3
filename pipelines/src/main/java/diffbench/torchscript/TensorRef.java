package diffbench.torchscript;

import java.util.Arrays;

/**
 * A tensor as the archive stores it: a storage of {@code storageNumel} elements and a view of it
 * (shape, strides, offset 0). The same instance placed twice in a module tree shares one storage.
 */
public final class TensorRef {
    private final StorageType type;
    private final long[] shape;
    private final long[] strides;
    private final long storageNumel;
    private final TensorPayload payload;

    private TensorRef(StorageType type, long[] shape, long[] strides, long storageNumel, TensorPayload payload) {
        this.type = type;
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.storageNumel = storageNumel;
        this.payload = payload;
    }

    /** A contiguous tensor whose values come from {@code payload}. */
    public static TensorRef dense(StorageType type, long[] shape, TensorPayload payload) {
        long[] strides = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = acc;
            acc *= shape[i];
        }
        return new TensorRef(type, shape, strides, numel(shape), payload);
    }

    /**
     * A tensor of the full shape that stores one element (all strides 0): the archive stays tiny and
     * the module replaces it with real values when it is loaded (see synthetic weights).
     */
    public static TensorRef broadcast(StorageType type, long[] shape, float value) {
        return new TensorRef(type, shape, new long[shape.length], 1, TensorPayload.constant(value));
    }

    public StorageType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long[] strides() {
        return strides.clone();
    }

    public long storageNumel() {
        return storageNumel;
    }

    public TensorPayload payload() {
        return payload;
    }

    public long numel() {
        return numel(shape);
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return type.shortName() + Arrays.toString(shape);
    }
}
