package diffbench.torchscript;

import java.io.IOException;
import java.util.Arrays;

/**
 * The values of one tensor, produced on demand while the archive is written, so that a multi-GB
 * archive never sits in the heap. Values come in row-major order as fp32 chunks; the writer encodes
 * them into the storage's type.
 */
@FunctionalInterface
public interface TensorPayload {

    /** Receives consecutive chunks of values; the array may be reused after the call returns. */
    @FunctionalInterface
    interface FloatSink {
        void accept(float[] values, int count) throws IOException;
    }

    /** Emits exactly {@code numel} values into {@code sink}. */
    void emit(long numel, FloatSink sink) throws IOException;

    /** A payload of one repeated value. */
    static TensorPayload constant(float value) {
        return (numel, sink) -> {
            float[] chunk = new float[(int) Math.min(numel, 1 << 16)];
            Arrays.fill(chunk, value);
            for (long done = 0; done < numel; done += chunk.length) {
                sink.accept(chunk, (int) Math.min(chunk.length, numel - done));
            }
        };
    }

    /** A payload backed by an array (tests and small tensors). */
    static TensorPayload of(float[] values) {
        return (numel, sink) -> {
            if (numel != values.length) {
                throw new IllegalArgumentException("payload holds " + values.length + " values, tensor needs " + numel);
            }
            sink.accept(values, values.length);
        };
    }
}
