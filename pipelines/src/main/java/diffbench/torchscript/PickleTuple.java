package diffbench.torchscript;

import java.util.List;

/** A tuple attribute value ({@code Tuple[int, float]}), as distinct from a list in the pickle and the declaration. */
public record PickleTuple(List<Object> items) {
    public PickleTuple {
        items = List.copyOf(items);
    }

    public static PickleTuple of(Object... items) {
        return new PickleTuple(List.of(items));
    }
}
