package diffbench.runtime;

import ai.djl.pytorch.jni.JniUtils;
import diffbench.schema.Mode;

/**
 * Applies DESIGN.md §5's engine settings for a mode, once per JVM, before the first forward.
 *
 * <p>{@code eager}: the TorchScript graph executor runs without optimisation and cuDNN picks
 * kernels heuristically. {@code compiled} has eager's settings: its denoisers run as AOTInductor
 * packages ({@link InductorMode}), the other networks as in eager. {@code ts-profiling}: the profiling
 * executor specialises each graph to the shapes it sees during warm-up and fuses elementwise chains,
 * and cuDNN autotunes convolutions. {@code cuda-graph} has ts-profiling's settings; the pipelines add
 * the graph replay.
 * Inference mode is on in both (DJL enters it for every forward of a module in eval mode).
 *
 * <p>The executor flag is thread-local in libtorch, so it is set through DJL's
 * {@code ai.djl.pytorch.graph_optimizer} property, which DJL applies on every forward's thread.
 * Switching modes inside one JVM is refused: cuDNN's autotune cache and the executor's profiled
 * plans outlive the switch, so a second mode's figures would not be clean.
 */
public final class ExecutionMode {
    private static Mode active;

    private ExecutionMode() {
    }

    public static synchronized void apply(Mode mode) {
        if (active != null && active != mode) {
            throw new IllegalStateException("this JVM already ran in " + active + " mode; run " + mode
                    + " in a new process (the harness forks one JVM per cell)");
        }
        Engines.pytorch();
        boolean compiled = mode.optimizes();
        System.setProperty("ai.djl.pytorch.graph_optimizer", Boolean.toString(compiled));
        JniUtils.setGraphExecutorOptimize(compiled);
        JniUtils.setBenchmarkCuDNN(compiled);
        active = mode;
    }

    /** The mode applied in this JVM, or null before the first pipeline. */
    public static synchronized Mode active() {
        return active;
    }
}
