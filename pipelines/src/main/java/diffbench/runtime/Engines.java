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

    /** Resolves {@code cpu} or {@code gpu}; asking for a GPU where the engine sees none is a clear error. */
    public static Device device(String kind) {
        Engine engine = pytorch();
        return switch (kind) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (engine.getGpuCount() == 0) {
                    throw new IllegalStateException("no CUDA GPU is visible to libtorch: run with --device cpu, or point "
                            + "--libtorch at a CUDA build of libtorch on a machine with a GPU");
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("unknown device '" + kind + "': use cpu or gpu");
        };
    }
}
