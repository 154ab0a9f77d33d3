package diffbench.torchscript;

import java.util.List;

/**
 * A TorchScript class: its qualified name ({@code __torch__.diffbench.nn.Conv2d}) and methods. Its
 * attribute declarations are derived by the writer from the module objects that use it, so two
 * modules of one class must hold the same attribute names and kinds (the writer checks).
 */
public record ScriptClass(String qualifiedName, List<ScriptMethod> methods) {

    public ScriptClass {
        methods = List.copyOf(methods);
        if (!qualifiedName.startsWith("__torch__.") || qualifiedName.endsWith(".")) {
            throw new IllegalArgumentException("class name must be __torch__.<module>.<Class>: " + qualifiedName);
        }
    }

    /** The part before the class name, e.g. {@code __torch__.diffbench.nn}: one source file each. */
    public String qualifier() {
        return qualifiedName.substring(0, qualifiedName.lastIndexOf('.'));
    }

    public String simpleName() {
        return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }
}
