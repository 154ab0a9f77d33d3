package diffbench.runtime;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;

import java.lang.management.MemoryUsage;

/**
 * Peak GPU memory of a pipeline call. With the project's own JNI, libtorch's caching allocator
 * reports its true peak ({@link CudaExtras}); with DJL's JNI the best available is the device's
 * used memory sampled after each step (cudaMemGetInfo, which also counts other processes), so the
 * figure is a lower bound on the true peak between samples. On CPU there is no figure (-1).
 * What the caching allocator reserved (its peak beside the tensors' peak) only libtorch's allocator
 * statistics give, so only the project's JNI on CUDA reports it.
 */
public final class MemoryProbe {
    private final Device device;
    private long sampledPeak = -1;

    public MemoryProbe(Device device) {
        this.device = device;
    }

    /** Starts a new measurement (resets libtorch's peak counter where supported). */
    public void reset() {
        sampledPeak = -1;
        if (device.isGpu() && CudaExtras.hasCuda()) {
            CudaExtras.resetPeak(device.getDeviceId());
        }
    }

    /** Records the current usage; cheap enough to call once per denoising step. */
    public void sample() {
        if (device.isGpu() && !CudaExtras.hasCuda()) {
            MemoryUsage usage = CudaUtils.getGpuMemory(device);
            sampledPeak = Math.max(sampledPeak, usage.getUsed());
        }
    }

    /** Peak bytes since {@link #reset}, or -1 where unknown. */
    public long peakBytes() {
        if (!device.isGpu()) {
            return -1;
        }
        if (CudaExtras.hasCuda()) {
            return CudaExtras.memoryStats(device.getDeviceId()).peakAllocated();
        }
        return sampledPeak;
    }

    /** Peak bytes the caching allocator reserved since {@link #reset}, or -1 where unknown (CPU, DJL's JNI). */
    public long peakReservedBytes() {
        if (device.isGpu() && CudaExtras.hasCuda()) {
            return CudaExtras.memoryStats(device.getDeviceId()).peakReserved();
        }
        return -1;
    }
}
