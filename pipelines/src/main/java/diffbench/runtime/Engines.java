package diffbench.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts DJL's PyTorch engine the way every diffbench entry point needs it: offline (DJL must
 * never try to download a libtorch at run time; CPU runs use pytorch-native-cpu from the class
 * path), on the local libtorch the user chose when there is one (the CLI's --libtorch, or the
 * environment's {@code DIFFBENCH_LIBTORCH}, which JMH forks inherit), and with the device the user
 * asked for.
 */
public final class Engines {
    private static LocalLibtorch.Setup localLibtorch;
    private static boolean started;

    private Engines() {
    }

    /**
     * The PyTorch engine, started offline unless the user set {@code ai.djl.offline} themselves, on
     * the libtorch of {@code DIFFBENCH_LIBTORCH} when it is set.
     */
    public static synchronized Engine pytorch() {
        return start(LocalLibtorch.chosen(null));
    }

    /**
     * Starts the engine on {@code libtorch} (null: DJL's own); once started, asking for another
     * libtorch is an error, since DJL loads one native library per process.
     */
    public static synchronized Engine start(Path libtorch) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // DJL must be pointed at the local libtorch and its JNI before the engine first starts
        if (!started) {
            started = true;
            if (libtorch != null) {
                localLibtorch = LocalLibtorch.activate(libtorch);
            }
        } else if (libtorch != null && !LocalLibtorch.rootOf(libtorch).equals(
                localLibtorch == null ? null : localLibtorch.root())) {
            // rootOf reports a missing folder as such before the engine conflict
            throw new IllegalStateException("the PyTorch engine already runs on " + localLibtorch().map(s -> "libtorch "
                    + s.version() + " from " + s.libDir()).orElse("DJL's own libtorch") + "; choose " + libtorch
                    + " in a new process");
        }
        return Engine.getEngine("PyTorch");
    }

    /** The local libtorch the engine runs on, when one was chosen. */
    public static synchronized Optional<LocalLibtorch.Setup> localLibtorch() {
        return Optional.ofNullable(localLibtorch);
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
