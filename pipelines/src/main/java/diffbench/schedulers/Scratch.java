package diffbench.schedulers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Temporaries of one scheduler call, all closed at the end of it. Coefficients are 0-d float64
 * tensors on the CPU: libtorch passes such "CPU scalars" to the kernel by value, so an op on a GPU
 * array with one costs no host-to-device copy and no synchronisation (DJL's {@code mul(Number)}
 * would create the scalar on the array's device and copy it there on every call).
 */
final class Scratch implements AutoCloseable {
    private final HostScalars host;
    private final List<NDArray> temps = new ArrayList<>(12);

    private Scratch(HostScalars host) {
        this.host = host;
    }

    NDArray keep(NDArray a) {
        temps.add(a);
        return a;
    }

    /** A cached coefficient tensor: never close it. */
    NDArray scalar(double v) {
        return host.of(v);
    }

    /** c a */
    NDArray mul(NDArray a, double c) {
        return keep(a.mul(scalar(c)));
    }

    /** a / c */
    NDArray div(NDArray a, double c) {
        return keep(a.div(scalar(c)));
    }

    NDArray add(NDArray a, NDArray b) {
        return keep(a.add(b));
    }

    NDArray sub(NDArray a, NDArray b) {
        return keep(a.sub(b));
    }

    /** ca a + cb b, the shape of most scheduler formulas (the sum is taken in place of ca a). */
    NDArray weightedSum(double ca, NDArray a, double cb, NDArray b) {
        return mul(a, ca).addi(mul(b, cb));
    }

    private boolean isTemporary(NDArray a) {
        for (NDArray t : temps) {
            if (t == a) { // identity: NDArray.equals compares contents
                return true;
            }
        }
        return false;
    }

    /** Removes a temporary from the scratch so it can be returned. */
    NDArray release(NDArray a) {
        for (int i = temps.size() - 1; i >= 0; i--) {
            if (temps.get(i) == a) { // identity: NDArray.equals compares contents
                temps.remove(i);
                return a;
            }
        }
        throw new IllegalArgumentException("not a temporary of this scratch");
    }

    /**
     * The caller's copy of {@code result}, attached to the manager of {@code like}: a temporary is
     * released from the scratch, an array the caller passed in (sample, model output) is duplicated.
     */
    NDArray handOver(NDArray result, NDArray like) {
        NDArray own = isTemporary(result) ? release(result) : result.duplicate();
        own.attach(like.getManager());
        return own;
    }

    /** Hands {@code result} (made outside {@link #keep}) to the caller's manager, the one of {@code like}. */
    static NDArray attachTo(NDArray result, NDArray like) {
        result.attach(like.getManager());
        return result;
    }

    @Override
    public void close() {
        for (NDArray a : temps) {
            a.close();
        }
        temps.clear();
    }

    /**
     * One owner's 0-d float64 coefficient tensors on the CPU, cached by value: a schedule reuses the
     * same few hundred coefficients, and creating one costs a JNI round trip. The cache is bounded
     * (cleared between calls once it exceeds {@link #CAPACITY}); the manager starts on first use, so
     * configs can be parsed without the engine.
     */
    static final class HostScalars implements AutoCloseable {
        static final int CAPACITY = 1024;
        private final Map<Double, NDArray> cache = new HashMap<>();
        private NDManager manager;

        Scratch scratch() {
            if (manager == null) {
                manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
            }
            if (cache.size() > CAPACITY) {
                cache.values().forEach(NDArray::close);
                cache.clear();
            }
            return new Scratch(this);
        }

        private NDArray of(double v) {
            return cache.computeIfAbsent(v, k -> manager.create(k.doubleValue()));
        }

        /** Arrays alive in the manager that are not cached scalars (0 between calls: leak checks). */
        int liveArrays() {
            return manager == null ? 0 : manager.getManagedArrays().size() - cache.size();
        }

        @Override
        public void close() {
            cache.clear();
            if (manager != null) {
                manager.close();
                manager = null;
            }
        }
    }
}
