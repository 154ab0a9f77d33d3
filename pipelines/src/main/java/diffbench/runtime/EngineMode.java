package diffbench.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import diffbench.torchscript.ModuleNode;

import java.util.function.Function;

/**
 * One engine mode as an object (issue 13's shape): its settings, whether it can run here, and how
 * it runs a pipeline's denoiser calls. {@link InductorMode} (the compiled mode) is the first; the
 * TorchScript modes still live in PipelineSession, ExecutionMode and DenoiserGraphs.
 */
public interface EngineMode {

    /** The row's {@code compiler}: what produced the denoiser code this mode runs. */
    String compiler();

    /** The row's {@code compiler_options}; empty when the mode has none. */
    String compilerOptions();

    /** Why the mode cannot run on {@code device} here, in words that name the fix; null when it can. */
    String unsupportedReason(Device device);

    /**
     * The session's denoiser calls.
     *
     * @param parent  manager of the session (whatever the calls keep lives in a sub-manager)
     * @param sources the module tree each loaded network was emitted from
     */
    DenoiserCalls denoiserCalls(NDManager parent, Function<Network, ModuleNode> sources);
}
