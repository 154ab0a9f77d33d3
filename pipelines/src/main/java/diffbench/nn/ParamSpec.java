package diffbench.nn;

import java.util.Arrays;

/** A parameter a layer declares: its name in the state_dict (relative to the layer), shape, and init. */
public record ParamSpec(String name, long[] shape, Init init) {

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(shape);
    }
}
