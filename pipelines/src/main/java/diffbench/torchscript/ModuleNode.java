package diffbench.torchscript;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One module object of the archive's tree: its class, then (in pickling order) parameters,
 * buffers, submodules and plain attributes ({@code bool}, {@code int}, {@code float}, {@code str},
 * lists of int or float). The tree of these nodes is the checkpoint's state_dict tree: a parameter
 * {@code weight} of submodule {@code conv1} of {@code resnets.0} is {@code resnets.0.conv1.weight}.
 */
public final class ModuleNode {
    private final ScriptClass scriptClass;
    private final Map<String, TensorRef> parameters = new LinkedHashMap<>();
    private final Map<String, TensorRef> buffers = new LinkedHashMap<>();
    private final Map<String, ModuleNode> children = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    public ModuleNode(ScriptClass scriptClass) {
        this.scriptClass = scriptClass;
    }

    public ModuleNode parameter(String name, TensorRef tensor) {
        claim(name);
        parameters.put(name, tensor);
        return this;
    }

    public ModuleNode buffer(String name, TensorRef tensor) {
        claim(name);
        buffers.put(name, tensor);
        return this;
    }

    public ModuleNode child(String name, ModuleNode module) {
        claim(name);
        children.put(name, module);
        return this;
    }

    /**
     * A plain attribute: Boolean, Long, Double, String, a List of Long or Double, a {@link PickleTuple}
     * of those, or a Map from String to one of those (declared {@code Dict[str, T]}).
     */
    public ModuleNode attribute(String name, Object value) {
        if (!(value instanceof Boolean || value instanceof Long || value instanceof Double || value instanceof String
                || value instanceof List<?> || value instanceof PickleTuple || value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("attribute " + name + " has unsupported type " + value.getClass());
        }
        claim(name);
        attributes.put(name, value);
        return this;
    }

    private void claim(String name) {
        if (name.equals("training") || parameters.containsKey(name) || buffers.containsKey(name)
                || children.containsKey(name) || attributes.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' is defined twice in " + scriptClass.qualifiedName());
        }
    }

    public ScriptClass scriptClass() {
        return scriptClass;
    }

    public Map<String, TensorRef> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    public Map<String, TensorRef> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    public Map<String, ModuleNode> children() {
        return Collections.unmodifiableMap(children);
    }

    public Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    /** Every parameter of the tree by its state_dict name, in module order. */
    public Map<String, TensorRef> namedParameters() {
        Map<String, TensorRef> out = new LinkedHashMap<>();
        collect("", out, true);
        return out;
    }

    /** Every parameter and buffer of the tree by its state_dict name, in module order. */
    public Map<String, TensorRef> stateDict() {
        Map<String, TensorRef> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    private void collect(String prefix, Map<String, TensorRef> out, boolean parametersOnly) {
        parameters.forEach((k, v) -> out.put(prefix + k, v));
        if (!parametersOnly) {
            buffers.forEach((k, v) -> out.put(prefix + k, v));
        }
        children.forEach((k, v) -> v.collect(prefix + k + ".", out, parametersOnly));
    }
}
