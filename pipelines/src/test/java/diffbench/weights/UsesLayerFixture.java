package diffbench.weights;

import diffbench.nn.Layer;

/** Weights that know a building block (an allowed arrow); with UsesWeightsFixture it closes a cycle. */
public final class UsesLayerFixture {
    Layer layer;
}
