package diffbench.runtime;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;

import java.nio.file.Path;

/**
 * An AOTInductor package (.pt2, weights left out) loaded by libtorch's AOTIModelPackageLoader
 * through diffbench's JNI (native/src/extras_aoti.cc) and run on the weights of the network it was
 * compiled from: the network's parameters and buffers are handed to the package by name, shared
 * (user-managed constants), so the weights exist once. Inputs and outputs are DJL arrays; nothing is
 * copied on the way in or out. Close it after every CUDA graph captured from it.
 */
public final class AotiModel implements AutoCloseable {
    private final Network network;
    private long handle;

    private AotiModel(Network network, long handle) {
        this.network = network;
        this.handle = handle;
    }

    /** Why packages cannot run here (DJL's own JNI, or a libtorch older than 2.8), or null when they can. */
    public static String unsupportedReason() {
        if (!CudaExtras.isSupported()) {
            return "it needs diffbench's own JNI (pass --libtorch DIR or set DIFFBENCH_LIBTORCH): " + CudaExtras.reasonUnsupported();
        }
        String reason = ProjectNatives.aotiUnavailableReason();
        return reason.isEmpty() ? null : reason;
    }

    /**
     * Loads {@code pt2} for {@code network}'s device and hands it the network's tensors.
     *
     * @param capturable a single-threaded runner, which a CUDA graph can capture (the default runner's
     *                   event bookkeeping fails inside a capture)
     */
    public static AotiModel load(Path pt2, Network network, boolean capturable) {
        String why = unsupportedReason();
        if (why != null) {
            throw new UnsupportedOperationException("AOTInductor packages cannot run here: " + why);
        }
        int deviceIndex = network.manager().getDevice().isGpu() ? network.manager().getDevice().getDeviceId() : -1;
        long handle = ProjectNatives.aotiLoad(pt2.toAbsolutePath().toString(), network.block().getHandle(), capturable,
                deviceIndex);
        return new AotiModel(network, handle);
    }

    /** Runs the package; the outputs are new arrays of {@code outputs}' manager. */
    public NDList run(NDList inputs, NDManager outputs) {
        long[] out = ProjectNatives.aotiRun(handle(), handles(inputs));
        NDList result = new NDList(out.length);
        for (long h : out) {
            result.add(new PtNDArray((PtNDManager) outputs, h));
        }
        return result;
    }

    /**
     * Captures one run into a CUDA graph after {@code warmups} runs on the capture stream; the
     * graph reads {@code staticInputs} and rewrites its outputs on every replay.
     */
    public CudaGraph capture(NDList staticInputs, int warmups, NDManager outputManager) {
        return CudaGraph.adopt(ProjectNatives.aotiGraphCapture(handle(), handles(staticInputs), warmups), staticInputs,
                outputManager);
    }

    public Network network() {
        return network;
    }

    private long handle() {
        if (handle == 0) {
            throw new IllegalStateException("AOTInductor model has been closed");
        }
        return handle;
    }

    private static long[] handles(NDList arrays) {
        return arrays.stream().mapToLong(a -> ((PtNDArray) a).getHandle()).toArray();
    }

    @Override
    public void close() {
        if (handle != 0) {
            ProjectNatives.aotiDelete(handle);
            handle = 0;
        }
    }
}
