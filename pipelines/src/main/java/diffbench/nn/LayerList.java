package diffbench.nn;

import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Torch;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An indexed list of submodules ({@code nn.ModuleList}): children are named "0", "1", ... as in the
 * state_dict. Its owner calls the items; the list has no forward of its own.
 */
public final class LayerList<T extends Layer> extends Layer {
    private final List<T> items;

    public LayerList(List<T> items) {
        this.items = List.copyOf(items);
        for (int i = 0; i < this.items.size(); i++) {
            child(Integer.toString(i), this.items.get(i));
        }
    }

    /** A list whose item {@code i} is absent from the checkpoint (a parameter-free Dropout, say). */
    public static LayerList<Layer> sparse(Map<Integer, Layer> byIndex) {
        return new LayerList<>(byIndex);
    }

    private LayerList(Map<Integer, ? extends Layer> byIndex) {
        TreeMap<Integer, ? extends Layer> ordered = new TreeMap<>(byIndex);
        @SuppressWarnings("unchecked")
        List<T> values = (List<T>) List.copyOf(ordered.values());
        this.items = values;
        ordered.forEach((i, layer) -> child(Integer.toString(i), layer));
    }

    public List<T> items() {
        return items;
    }

    public T get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    /** Named after its items' classes so lists of the same item classes share one class. */
    @Override
    public String className() {
        String names = children().entrySet().stream()
                .map(e -> e.getKey() + "_" + e.getValue().className()).collect(Collectors.joining("__"));
        return "List_" + Integer.toHexString(names.hashCode());
    }

    @Override
    protected List<ScriptMethod> methods() {
        return List.of();
    }

    /** Item {@code i} of this layer's list {@code listName}. */
    public static Expr item(String listName, int i) {
        return new Expr.Attr(ref(listName), Integer.toString(i));
    }

    /** A call of item {@code i}'s forward. */
    public static Expr callItem(String listName, int i, Expr... args) {
        return Torch.invoke(item(listName, i), "forward", List.of(args));
    }
}
