package diffbench.models;

import diffbench.nn.Layer;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A layer of a model architecture (not a reusable building block): its class lives in
 * {@code __torch__.diffbench.models}. Blocks whose source depends on their structure (how many
 * resnets, whether a sampler follows, which kernel the attention below uses) take their class name
 * from that structure, so two differently built blocks never share a TorchScript class.
 */
public abstract class ModelLayer extends Layer {
    public static final String MODELS = "__torch__.diffbench.models";

    @Override
    protected final String qualifier() {
        return MODELS;
    }

    /** {@code base} + a hash of the children's names and classes and of {@code extras}. */
    protected final String structuralName(String base, Object... extras) {
        String shape = children().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().className())
                .collect(Collectors.joining(",")) + "|" + Arrays.deepToString(extras);
        return base + "_" + Integer.toHexString(shape.hashCode());
    }
}
