package diffbench.runtime;

/**
 * The natives diffbench's own JNI adds next to DJL's PyTorchLibrary ones (native/src/extras_*.cc).
 * They bind to the libdjl_torch.so that DJL's LibUtils loads, so this class must be loaded by the
 * same class loader as DJL. With DJL's own JNI every call throws UnsatisfiedLinkError; callers go
 * through {@link CudaExtras} and {@link CudaGraph}, which turn that into "unsupported".
 * Kept free of dependencies so `javac -h` can run on this file alone (native/tools/gen-natives.sh).
 */
final class ProjectNatives {

    private ProjectNatives() {}

    /** Version of this native interface; bumped when a signature below changes. */
    static native int apiVersion();

    /** The libtorch version the JNI was compiled against (torch/version.h), e.g. "2.11.0". */
    static native String torchVersion();

    /** True when the JNI was compiled with CUDA support and a CUDA device is present. */
    static native boolean cudaAvailable();

    /** The cuDNN in use as torch.backends.cudnn.version() gives it (91002 = 9.10.2); 0 without CUDA or cuDNN. */
    static native long cudnnVersion();

    /** The device's compute capability as major * 10 + minor (90 = sm_90); 0 without CUDA. */
    static native int cudaCapability(int device);

    /** {allocated, reserved, peak allocated, peak reserved, total device memory} in bytes. */
    static native long[] memoryStats(int device);

    static native void resetPeakMemory(int device);

    /** Caps the caching allocator of one device at fraction x total memory (1.0 lifts the cap). */
    static native void setMemoryFraction(int device, double fraction);

    /** dst.copy_(src) without autograd, so static graph inputs can be refilled on the device. */
    static native void copyInto(long dstTensor, long srcTensor);

    /**
     * Runs module.method(inputs) warmups times on a side stream, then captures one call into a
     * CUDA graph. Returns a graph handle owning the static inputs (shared with the caller's
     * tensors) and the captured outputs.
     */
    static native long graphCapture(long module, String method, long[] inputTensors, int warmups);

    /** New tensor handles aliasing the graph's static outputs (overwritten by each replay). */
    static native long[] graphOutputs(long graph);

    static native void graphReplay(long graph);

    static native void graphDelete(long graph);

    /** "" when the JNI was compiled with AOTInductor's package loader (libtorch 2.8+), else why not. */
    static native String aotiUnavailableReason();

    /**
     * Loads an AOTInductor package (runner single-threaded when asked, so it can be captured into a
     * CUDA graph) and hands it the module's parameters and buffers by name as user-managed constants
     * (shared with the module, not copied). Returns a model handle that keeps the module alive.
     */
    static native long aotiLoad(String packagePath, long module, boolean singleThreaded, int deviceIndex);

    /** Runs the package on input tensors; returns new tensor handles of its outputs. */
    static native long[] aotiRun(long model, long[] inputTensors);

    /**
     * As {@link #graphCapture}, for a package's run: warm-up calls on the capture stream, then one
     * captured call; the graph* natives replay and free it. The model must outlive the graph.
     */
    static native long aotiGraphCapture(long model, long[] inputTensors, int warmups);

    static native void aotiDelete(long model);
}
