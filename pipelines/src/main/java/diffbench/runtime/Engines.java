package diffbench.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine the way every diffbench entry point needs it: offline (DJL must
 * never try to download a libtorch at run time; CPU runs use pytorch-native-cpu from the class
 * path, GPU runs a local libtorch), and with the device the user asked for.
 */
public final class Engines {
    private Engines() {
    }

    /** The PyTorch engine, started offline unless the user set {@code ai.djl.offline} themselves. */
    public static Engine pytorch() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine("PyTorch");
    }

    /**
     * Whether libtorch can use a CUDA GPU. DJL counts GPUs through its own lookup of libcudart, which
     * can miss a pip wheel's nvidia/cu13 layout; the project's JNI asks libtorch itself.
     */
    public static boolean hasGpu() {
        return pytorch().getGpuCount() > 0 || CudaExtras.hasCuda();
    }

    /** Resolves {@code cpu} or {@code gpu}; asking for a GPU where the engine sees none is a clear error. */
    public static Device device(String kind) {
        pytorch();
        return switch (kind) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (!hasGpu()) {
                    throw new IllegalStateException("no CUDA GPU is visible to libtorch: run with --device cpu, or point "
                            + "--libtorch at a CUDA build of libtorch on a machine with a GPU");
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("unknown device '" + kind + "': use cpu or gpu");
        };
    }
}
