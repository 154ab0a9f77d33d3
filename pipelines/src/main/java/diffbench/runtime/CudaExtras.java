package diffbench.runtime;

import ai.djl.engine.Engine;

/**
 * CUDA memory statistics, a per-process memory cap and build facts, served by natives of
 * diffbench's own JNI (native/src/extras_memory.cc). With DJL's own JNI those natives do not exist:
 * {@link #isSupported()} is false and every query answers zeros / "no" instead of failing. With a
 * CPU-only libtorch the natives exist but {@link #hasCuda()} is false and statistics are zero.
 */
public final class CudaExtras {

    /** Must equal kApiVersion in native/src/extras_memory.cc. */
    static final int API_VERSION = 3;

    private static volatile String unsupportedReason;
    private static volatile boolean probed;

    private CudaExtras() {}

    /** Memory of one CUDA device in bytes, as the caching allocator sees it. */
    public record MemoryStats(long allocated, long reserved, long peakAllocated, long peakReserved, long total) {
        public static final MemoryStats ZERO = new MemoryStats(0, 0, 0, 0, 0);
    }

    /** True when the loaded libdjl_torch.so is diffbench's (it starts the PyTorch engine first). */
    public static boolean isSupported() {
        return reasonUnsupported() == null;
    }

    /** Why the extras are unavailable, or null when they are available. */
    public static String reasonUnsupported() {
        if (!probed) {
            probe();
        }
        return unsupportedReason;
    }

    private static synchronized void probe() {
        if (probed) {
            return;
        }
        // the natives bind only once DJL has loaded the library, so start the engine first
        Engine.getEngine("PyTorch");
        try {
            int version = ProjectNatives.apiVersion();
            unsupportedReason = version == API_VERSION ? null
                    : "diffbench JNI interface " + version + " does not match the Java side (" + API_VERSION
                            + "); rebuild the JNI";
        } catch (UnsatisfiedLinkError e) {
            unsupportedReason = "the loaded libdjl_torch.so is DJL's own; use --libtorch for diffbench's JNI";
        }
        probed = true;
    }

    /** True when diffbench's JNI was built with CUDA and a CUDA device is present. */
    public static boolean hasCuda() {
        return isSupported() && ProjectNatives.cudaAvailable();
    }

    /** The libtorch version the JNI was compiled against, or null with DJL's own JNI. */
    public static String torchVersion() {
        return isSupported() ? ProjectNatives.torchVersion() : null;
    }

    /**
     * The cuDNN the engine runs, as "9.10.2" (torch.backends.cudnn.version() 91002; before cuDNN 9 the
     * number was major x 1000: 8902 = 8.9.2); empty without the project's JNI, CUDA or cuDNN.
     */
    public static String cudnnVersion() {
        if (!hasCuda()) {
            return "";
        }
        try {
            return cudnnVersionText(ProjectNatives.cudnnVersion());
        } catch (RuntimeException e) { // libtorch's error, as DJL's EngineException: a row field must not fail a cell
            return "";
        }
    }

    static String cudnnVersionText(long version) {
        if (version <= 0) {
            return "";
        }
        long major = version >= 90000 ? version / 10000 : version / 1000;
        long minor = version >= 90000 ? version / 100 % 100 : version / 100 % 10;
        return major + "." + minor + "." + version % 100;
    }

    /** The device's compute capability, e.g. "sm_90"; empty without the project's JNI or CUDA. */
    public static String computeCapability(int device) {
        return hasCuda() ? "sm_" + ProjectNatives.cudaCapability(device) : "";
    }

    public static MemoryStats memoryStats(int device) {
        if (!hasCuda()) {
            return MemoryStats.ZERO;
        }
        long[] s = ProjectNatives.memoryStats(device);
        return new MemoryStats(s[0], s[1], s[2], s[3], s[4]);
    }

    /** Starts a new peak measurement; a no-op without CUDA. */
    public static void resetPeak(int device) {
        if (hasCuda()) {
            ProjectNatives.resetPeakMemory(device);
        }
    }

    /**
     * Lets this process's caching allocator hold at most {@code bytes} on the device, so a larger
     * card behaves like a smaller one: bigger allocations fail with libtorch's "CUDA out of memory".
     *
     * @return false (nothing capped) when the extras or CUDA are unavailable
     */
    public static boolean capMemory(int device, long bytes) {
        if (!hasCuda()) {
            return false;
        }
        long total = memoryStats(device).total();
        double fraction = Math.min(1.0, Math.max(0.0, (double) bytes / total));
        ProjectNatives.setMemoryFraction(device, fraction);
        return true;
    }

    /** Lifts a cap set by {@link #capMemory}. */
    public static void uncapMemory(int device) {
        if (hasCuda()) {
            ProjectNatives.setMemoryFraction(device, 1.0);
        }
    }
}
