package diffbench.runtime;

import ai.djl.ndarray.NDArray;

/**
 * Waits for the device to finish the work queued so far, so wall-clock timings cover the work
 * and not just its launch. DJL has no explicit CUDA synchronise; copying one element of a result
 * to the host blocks until every kernel before it on the stream has run (a few microseconds).
 */
public final class DeviceSync {
    private DeviceSync() {
    }

    public static void await(NDArray lastResult) {
        try (NDArray flat = lastResult.flatten(); NDArray first = flat.get(0)) {
            first.toByteArray();
        }
    }
}
