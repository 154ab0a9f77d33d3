package diffbench.nn;

import diffbench.torchscript.TensorRef;

import java.util.Arrays;

/** A parameter a layer declares: its name in the state_dict (relative to the layer), shape, and init. */
public record ParamSpec(String name, long[] shape, Init init) {

    public long numel() {
        return TensorRef.numel(shape);
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
