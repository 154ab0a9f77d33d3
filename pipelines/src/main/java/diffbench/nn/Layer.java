package diffbench.nn;

import diffbench.torchscript.ModuleNode;
import diffbench.torchscript.ScriptClass;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.StorageType;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr;
import diffbench.torchscript.code.Torch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A building block of a network: it knows its parameters (named as in the diffusers state_dict),
 * its submodules, its plain attributes, and its methods as statements ({@code torchscript.code}),
 * which the archive holds as TorchScript and the Python twin as PyTorch. A layer is a description;
 * it becomes a module object of an archive through {@link #emit}.
 *
 * <p>Every class also gets an {@code init_weights} method that redraws its parameters on the
 * device the module lives on, following each parameter's {@link Init}: an archive of synthetic
 * weights then stores one element per tensor and is filled in after loading.
 */
public abstract class Layer {
    public static final String NN = "__torch__.diffbench.nn";

    private final Map<String, ParamSpec> params = new LinkedHashMap<>();
    private final Map<String, Layer> children = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    /** The TorchScript class name; layers with different methods or attribute sets need different names. */
    public abstract String className();

    /** The forward method and any others (init_weights is added here). */
    protected abstract List<ScriptMethod> methods();

    /** The qualifier of the class: one source file per qualifier. */
    protected String qualifier() {
        return NN;
    }

    protected final void param(String name, long[] shape, Init init) {
        params.put(name, new ParamSpec(name, shape, init));
    }

    protected final <T extends Layer> T child(String name, T layer) {
        children.put(name, layer);
        return layer;
    }

    /** A configuration value read by the methods as {@code self.name} (int, float, List[int]). */
    protected final void attribute(String name, Object value) {
        attributes.put(name, value instanceof Integer i ? Long.valueOf(i) : value);
    }

    public final Map<String, ParamSpec> ownParameters() {
        return Collections.unmodifiableMap(params);
    }

    public final Map<String, Layer> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Parameters of this layer and all below it, by state_dict name, in module order. */
    public final Map<String, ParamSpec> namedParameters() {
        Map<String, ParamSpec> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, ParamSpec> out) {
        params.values().forEach(p -> out.put(prefix + p.name(), p));
        children.forEach((k, v) -> v.collect(prefix + k + ".", out));
    }

    /** Number of parameters, computed from shapes alone. */
    public final long parameterCount() {
        long n = params.values().stream().mapToLong(ParamSpec::numel).sum();
        for (Layer c : children.values()) {
            n += c.parameterCount();
        }
        return n;
    }

    public final String qualifiedName() {
        return qualifier() + "." + className();
    }

    /** The module object of this layer, its parameters taken from {@code weights} under {@code prefix}. */
    public final ModuleNode emit(WeightSource weights, StorageType type, String prefix) {
        List<ScriptMethod> methods = new ArrayList<>(methods());
        methods.add(initWeightsMethod());
        ModuleNode node = new ModuleNode(new ScriptClass(qualifiedName(), methods));
        params.values().forEach(p -> node.parameter(p.name(), weights.tensor(prefix + p.name(), p.shape(), p.init(), type)));
        children.forEach((k, v) -> node.child(k, v.emit(weights, type, prefix + k + ".")));
        attributes.forEach(node::attribute);
        return node;
    }

    /** The root module object of a network. */
    public final ModuleNode emit(WeightSource weights, StorageType type) {
        return emit(weights, type, "");
    }

    private ScriptMethod initWeightsMethod() {
        Body body = new Body();
        for (ParamSpec p : params.values()) {
            body.setParameter(p.name(), p.init().redraw(Torch.self(p.name())));
        }
        int i = 0;
        for (String name : children.keySet()) {
            body.let("_" + i++, Torch.invoke(ref(name), "init_weights", List.of()));
        }
        body.ret(Torch.NONE);
        return new ScriptMethod("init_weights", List.of(), "NoneType", body.statements());
    }

    /** A submodule, as a method of this layer refers to it: {@code self.conv1}, or item {@code "0"} of a list. */
    protected static Expr ref(String childName) {
        return Torch.self(childName);
    }

    /** A call of a submodule's forward. */
    protected static Expr call(String childName, Expr... args) {
        return Torch.invoke(ref(childName), "forward", List.of(args));
    }

    /** The usual single-input forward method, {@code forward(x)}. */
    protected static ScriptMethod forward(Body body) {
        return new ScriptMethod("forward", List.of(ScriptMethod.Argument.tensor("x")), "Tensor", body.statements());
    }

    /** The argument of {@link #forward(Body)}. */
    protected static final Expr.Var X = Torch.var("x");
}
