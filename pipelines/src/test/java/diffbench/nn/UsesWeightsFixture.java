package diffbench.nn;

import diffbench.weights.UsesLayerFixture;

/** A building block reaching up into weights: ArchitectureTest's rules must refuse it (the old nn <-> weights cycle). */
public final class UsesWeightsFixture {
    UsesLayerFixture weights;
}
