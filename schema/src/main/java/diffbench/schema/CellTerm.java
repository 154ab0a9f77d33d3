package diffbench.schema;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One word of a cell's vocabulary (pipeline, mode, attention, dtype, runtime, device): its {@link #id()}
 * is how CSV rows, command lines and the PyTorch peer spell it, and the enum's declaration order is
 * its display order in reports and lists.
 */
public interface CellTerm {

    /** The CSV spelling. */
    String id();

    /** The ids of {@code type}'s terms, in display order. */
    static <E extends Enum<E> & CellTerm> List<String> ids(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(CellTerm::id).toList();
    }

    /** The term spelled {@code id}; an unknown one is refused naming the valid ids. */
    static <E extends Enum<E> & CellTerm> E fromId(Class<E> type, String what, String id) {
        for (E e : type.getEnumConstants()) {
            if (e.id().equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + id + "': use one of "
                + Arrays.stream(type.getEnumConstants()).map(CellTerm::id).collect(Collectors.joining(", ")));
    }

    /** Display rank of {@code id} among {@code type}'s terms; ids it does not know sort after them. */
    static <E extends Enum<E> & CellTerm> int rank(Class<E> type, String id) {
        List<String> ids = ids(type);
        int i = ids.indexOf(id);
        return i < 0 ? ids.size() : i;
    }
}
