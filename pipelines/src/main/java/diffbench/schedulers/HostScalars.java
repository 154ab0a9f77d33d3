package diffbench.schedulers;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/**
 * The CPU manager that holds one owner's 0-d coefficient tensors for the length of a call (see
 * {@link Scratch}); started on first use, so configs can be parsed without the engine.
 */
final class HostScalars implements AutoCloseable {
    private NDManager manager;

    Scratch scratch() {
        if (manager == null) {
            manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        }
        return new Scratch(manager);
    }

    /** Arrays alive in the manager (0 between calls: leak checks). */
    int liveArrays() {
        return manager == null ? 0 : manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
    }
}
