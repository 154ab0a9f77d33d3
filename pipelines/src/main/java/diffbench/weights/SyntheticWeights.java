package diffbench.weights;

import diffbench.nn.WeightSource;
import diffbench.nn.Init;
import diffbench.torchscript.StorageType;
import diffbench.torchscript.TensorRef;
import diffbench.torchscript.TensorPayload;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeded synthetic weights, in two forms.
 *
 * <p>{@link #onDevice()}: every tensor is stored as a single element (all strides 0), so even the
 * SDXL UNet's archive is a few MB and is written in well under a second; after loading, the
 * module's {@code init_weights} draws the real values on the device, from the engine's seed
 * (see {@code diffbench.runtime.Network}). Throughput does not depend on weight values.
 *
 * <p>{@link #seeded(long)}: the values are drawn here, per parameter from (seed, name), and
 * written into the archive: for tests that compute references from known weights, and for peers
 * that must load identical weights.
 */
public final class SyntheticWeights {
    private SyntheticWeights() {
    }

    public static WeightSource onDevice() {
        return (name, shape, init, type) -> TensorRef.broadcast(type, shape, (float) fill(init));
    }

    public static WeightSource seeded(long seed) {
        return (name, shape, init, type) -> TensorRef.dense(type, shape, payload(seed, name, init.std(shape), init));
    }

    private static double fill(Init init) {
        return init.kind() == Init.Kind.ONES ? 1 : 0;
    }

    private static TensorPayload payload(long seed, String name, double std, Init init) {
        if (init.kind() == Init.Kind.ONES || init.kind() == Init.Kind.ZEROS) {
            return TensorPayload.constant((float) fill(init));
        }
        return (numel, sink) -> {
            SplittableRandom random = new SplittableRandom(seed ^ fnv1a(name));
            float[] chunk = new float[(int) Math.min(numel, 1 << 16)];
            for (long done = 0; done < numel; ) {
                int n = (int) Math.min(chunk.length, numel - done);
                for (int i = 0; i < n; i++) {
                    chunk[i] = (float) (random.nextGaussian() * std);
                }
                sink.accept(chunk, n);
                done += n;
            }
        };
    }

    /** A stable 64-bit hash of a parameter name (String.hashCode is only 32 bits). */
    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** Convenience for callers that need a storage type from a user's dtype name. */
    public static StorageType storageType(String dtype) {
        return StorageType.fromShortName(dtype);
    }
}
