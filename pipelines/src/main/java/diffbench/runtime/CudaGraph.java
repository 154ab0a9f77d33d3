package diffbench.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;

/**
 * One call (a TorchScript method, or an AOTInductor package's run) captured into a CUDA graph and replayed with static inputs (the
 * JVM analogue of torch.compile(mode="reduce-overhead")). Refill the inputs with
 * {@link #setInputs(NDList)}, call {@link #replay()}, read {@link #outputs()}: the output arrays
 * are rewritten in place by every replay. Needs diffbench's JNI built against a CUDA libtorch
 * ({@link #isSupported()}).
 */
public final class CudaGraph implements AutoCloseable {

    private final NDList inputs;
    private final NDList outputs;
    private long handle;

    private CudaGraph(long handle, NDList inputs, NDList outputs) {
        this.handle = handle;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    public static boolean isSupported() {
        return CudaExtras.hasCuda();
    }

    /**
     * Runs {@code block.method(staticInputs)} {@code warmups} times on the capture stream, then
     * captures one call. At least 1 warm-up, and with graph executor optimization on (compiled mode)
     * at least the profiled runs + 1 (2 by default), so the optimised plan is built before capture;
     * fewer fail. A call that cannot be captured (one that synchronises, for instance) fails with
     * the capture undone.
     *
     * @param staticInputs CUDA arrays the graph reads on every replay (kept referenced)
     * @param outputManager manager that owns the returned output arrays
     */
    public static CudaGraph capture(
            PtSymbolBlock block, String method, NDList staticInputs, int warmups, NDManager outputManager) {
        if (!isSupported()) {
            throw new UnsupportedOperationException("CUDA graphs need diffbench's JNI on a CUDA libtorch: "
                    + (CudaExtras.isSupported() ? "no CUDA device or CPU-only build" : CudaExtras.reasonUnsupported()));
        }
        long[] handles = staticInputs.stream().mapToLong(a -> ((PtNDArray) a).getHandle()).toArray();
        return adopt(ProjectNatives.graphCapture(block.getHandle(), method, handles, warmups), staticInputs, outputManager);
    }

    /** Wraps a graph handle the natives captured (a TorchScript call or an AOTInductor run, {@link AotiModel#capture}). */
    static CudaGraph adopt(long graph, NDList staticInputs, NDManager outputManager) {
        NDList outputs = new NDList();
        for (long h : ProjectNatives.graphOutputs(graph)) {
            outputs.add(new PtNDArray((PtNDManager) outputManager, h));
        }
        return new CudaGraph(graph, staticInputs, outputs);
    }

    /** Copies new values into the static inputs (same shapes; device copies stay on the GPU). */
    public void setInputs(NDList values) {
        if (values.size() != inputs.size()) {
            throw new IllegalArgumentException("expected " + inputs.size() + " inputs, got " + values.size());
        }
        for (int i = 0; i < values.size(); i++) {
            NDArray src = values.get(i);
            ProjectNatives.copyInto(((PtNDArray) inputs.get(i)).getHandle(), ((PtNDArray) src).getHandle());
        }
    }

    /** Launches the captured kernels on the current stream; returns the (rewritten) outputs. */
    public NDList replay() {
        if (handle == 0) {
            throw new IllegalStateException("CUDA graph has been closed");
        }
        ProjectNatives.graphReplay(handle);
        return outputs;
    }

    public NDList outputs() {
        return outputs;
    }

    @Override
    public void close() {
        if (handle != 0) {
            ProjectNatives.graphDelete(handle);
            handle = 0;
        }
    }
}
