package diffbench.weights;

import java.util.List;

/** Checkpoint tensors that do not fit the network: every missing, unexpected and mis-shaped one, by name. */
public final class WeightMismatchException extends RuntimeException {
    private final List<String> problems;

    WeightMismatchException(String what, List<String> problems) {
        super(what + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per tensor, e.g. {@code missing: decoder.conv_out.bias [3]}. */
    public List<String> problems() {
        return problems;
    }
}
