package diffbench.runtime;

import diffbench.schema.Mode;

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
}
