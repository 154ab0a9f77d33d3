package diffbench.schedulers;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Temporaries of one scheduler call, all closed at the end of it. Coefficients are 0-d float64
 * tensors on the CPU: libtorch passes such "CPU scalars" to the kernel by value, so an op on a GPU
 * array with one costs no host-to-device copy and no synchronisation (DJL's {@code mul(Number)}
 * would create the scalar on the array's device and copy it there on every call). Temporaries are
 * updated in place where the formula allows it (same operation order, so the same rounding).
 */
final class Scratch implements AutoCloseable {
    private final HostScalars host;
    private final List<NDArray> temps = new ArrayList<>(12);

    Scratch(HostScalars host) {
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

    NDArray mul(NDArray a, double c) {
        return keep(a.mul(scalar(c)));
    }

    NDArray div(NDArray a, double c) {
        return keep(a.div(scalar(c)));
    }

    NDArray add(NDArray a, NDArray b) {
        return keep(a.add(b));
    }

    NDArray sub(NDArray a, NDArray b) {
        return keep(a.sub(b));
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

    /** Hands {@code result} (made outside {@link #keep}) to the caller's manager, the one of {@code like}. */
    static NDArray handOver(NDArray result, NDArray like) {
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
}
