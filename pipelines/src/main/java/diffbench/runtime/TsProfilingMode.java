package diffbench.runtime;

import ai.djl.ndarray.NDManager;
import diffbench.schema.Mode;
import diffbench.torchscript.ModuleNode;

import java.util.function.Function;

/**
 * The {@code ts-profiling} mode: TorchScript's profiling executor specialises each graph to the
 * shapes of the warm-up calls and fuses elementwise chains, cuDNN autotunes; each call as it is.
 */
final class TsProfilingMode implements EngineMode {

    @Override
    public Mode mode() {
        return Mode.tsProfiling;
    }

    @Override
    public boolean optimizesGraphs() {
        return true;
    }

    @Override
    public DenoiserCalls denoiserCalls(NDManager parent, Function<Network, ModuleNode> sources) {
        return DenoiserCalls.PLAIN;
    }
}
