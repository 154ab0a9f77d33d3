package diffbench.runtime;

import ai.djl.ndarray.NDManager;
import diffbench.schema.Mode;
import diffbench.torchscript.ModuleNode;

import java.util.function.Function;

/** The {@code eager} mode: the TorchScript graph executor unoptimised, cuDNN's heuristics, each call as it is. */
final class EagerMode implements EngineMode {

    @Override
    public Mode mode() {
        return Mode.eager;
    }

    @Override
    public boolean optimizesGraphs() {
        return false;
    }

    @Override
    public DenoiserCalls denoiserCalls(NDManager parent, Function<Network, ModuleNode> sources) {
        return DenoiserCalls.PLAIN;
    }
}
