package diffbench.runtime;

import diffbench.schema.Mode;

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
}
