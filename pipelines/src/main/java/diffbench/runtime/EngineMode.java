package diffbench.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import diffbench.schema.DeviceKind;
import diffbench.schema.Mode;
import diffbench.torchscript.ModuleNode;

import java.util.function.Function;

/**
 * One engine mode as an object: its engine settings, whether it can run here, and how it runs a
 * pipeline's denoiser calls. The pipelines ask it and branch on no mode; {@link #of} is the one
 * place a {@link Mode} of the vocabulary becomes its object.
 */
public interface EngineMode {

    /** The object of {@code mode}; the compiled mode takes its Inductor options and compiler from the environment. */
    static EngineMode of(Mode mode) {
        return switch (mode) {
            case eager -> new EagerMode();
            case compiled -> new InductorMode(InductorOptions.fromEnvironment(), AotiCompiler.fromEnvironment());
            case tsProfiling -> new TsProfilingMode();
            case cudaGraph -> new CudaGraphMode();
        };
    }

    /** The vocabulary's term for this mode (CSV and command lines). */
    Mode mode();

    /** The row's {@code compiler}: what produced the denoiser code this mode runs. */
    default String compiler() {
        return mode().compiler();
    }

    /** The row's {@code compiler_options}; empty when the mode has none. */
    default String compilerOptions() {
        return "";
    }

    /**
     * Engine settings: whether TorchScript's graph executor optimises (profiles, specialises, fuses)
     * and cuDNN autotunes convolutions. {@link ExecutionMode} applies them once per JVM.
     */
    boolean optimizesGraphs();

    /** Why the mode cannot run a cell on {@code device}, known before anything loads; null when it may. */
    default String deviceProblem(DeviceKind device) {
        return null;
    }

    /** Why the mode cannot run on {@code device} here, in words that name the fix; null when it can. */
    default String unsupportedReason(Device device) {
        return null;
    }

    /** The one-line refusal for {@code why}, with what to run instead where there is something. */
    default String refusal(String why) {
        return "mode " + mode().id() + " cannot run here: " + why;
    }

    /**
     * The session's denoiser calls: the calls as they are, unless the mode replays or compiles them.
     *
     * @param parent  manager of the session (whatever the calls keep lives in a sub-manager)
     * @param sources the module tree each loaded network was emitted from
     */
    default DenoiserCalls denoiserCalls(NDManager parent, Function<Network, ModuleNode> sources) {
        return DenoiserCalls.PLAIN;
    }
}
