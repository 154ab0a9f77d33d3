package diffbench.schedulers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.HashMap;
import java.util.Map;

/**
 * One owner's 0-d float64 coefficient tensors on the CPU (see {@link Scratch}), cached by value:
 * a schedule reuses the same few hundred coefficients, and creating one costs a JNI round trip.
 * The cache is bounded (cleared between calls once it exceeds {@link #CAPACITY}); the manager
 * starts on first use, so configs can be parsed without the engine.
 */
final class HostScalars implements AutoCloseable {
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

    NDArray of(double v) {
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
