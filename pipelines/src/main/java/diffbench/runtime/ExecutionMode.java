package diffbench.runtime;

import ai.djl.pytorch.jni.JniUtils;
import diffbench.schema.Mode;

/**
 * Applies an engine mode's settings ({@link EngineMode#optimizesGraphs}: docs/design.md §3) once per JVM,
 * before the first forward: with them, TorchScript's profiling executor specialises each graph to the
 * shapes it sees during warm-up and fuses elementwise chains, and cuDNN autotunes convolutions;
 * without, the graph executor runs unoptimised and cuDNN picks kernels heuristically.
 * Inference mode is on either way (DJL enters it for every forward of a module in eval mode).
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

    public static synchronized void apply(EngineMode engine) {
        Mode mode = engine.mode();
        if (active != null && active != mode) {
            throw new IllegalStateException("this JVM already ran in " + active + " mode; run " + mode
                    + " in a new process (the harness forks one JVM per cell)");
        }
        Engines.pytorch();
        boolean compiled = engine.optimizesGraphs();
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
