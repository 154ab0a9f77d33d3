package diffbench.torchscript;

import diffbench.torchscript.code.Names;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Collects the distinct classes of a module tree and renders their TorchScript source, one file per
 * qualifier ({@code __torch__.diffbench.nn} → {@code code/__torch__/diffbench/nn.py}). The attribute
 * declarations of a class come from its module objects; two modules of one class that declare
 * different attributes, or two classes of one name with different methods, are a bug in the
 * emitting code and are rejected here rather than surfacing as a libtorch load error.
 */
final class ClassSources {
    /** qualifier -> (simple name -> rendered class), sorted so output is deterministic. */
    private final Map<String, Map<String, String>> byQualifier = new TreeMap<>();
    private final Map<String, ScriptClass> classes = new TreeMap<>();

    static ClassSources of(ModuleNode root) {
        ClassSources s = new ClassSources();
        Deque<ModuleNode> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            ModuleNode m = todo.pop();
            s.add(m);
            todo.addAll(m.children().values());
        }
        return s;
    }

    private void add(ModuleNode m) {
        ScriptClass c = m.scriptClass();
        ScriptClass known = classes.putIfAbsent(c.qualifiedName(), c);
        if (known != null && !known.methods().equals(c.methods())) {
            throw new IllegalStateException("two classes named " + c.qualifiedName() + " have different methods");
        }
        String rendered = render(m);
        String previous = byQualifier.computeIfAbsent(c.qualifier(), q -> new TreeMap<>())
                .putIfAbsent(c.simpleName(), rendered);
        if (previous != null && !previous.equals(rendered)) {
            throw new IllegalStateException("modules of class " + c.qualifiedName()
                    + " declare different attributes:\n" + previous + "---\n" + rendered);
        }
    }

    private static String render(ModuleNode m) {
        ScriptClass c = m.scriptClass();
        StringBuilder s = new StringBuilder();
        s.append("class ").append(c.simpleName()).append("(Module):\n");
        s.append("  __parameters__ = [");
        m.parameters().keySet().forEach(k -> s.append('"').append(k).append("\", "));
        s.append("]\n  __buffers__ = [");
        m.buffers().keySet().forEach(k -> s.append('"').append(k).append("\", "));
        s.append("]\n");
        m.parameters().keySet().forEach(k -> declare(s, k, "Tensor"));
        m.buffers().keySet().forEach(k -> declare(s, k, "Tensor"));
        s.append("  training : bool\n");
        m.children().forEach((k, v) -> declare(s, k, v.scriptClass().qualifiedName()));
        m.attributes().forEach((k, v) -> declare(s, k, typeOf(k, v)));
        for (ScriptMethod method : c.methods()) {
            s.append(method.render(c.qualifiedName()));
        }
        return s.toString();
    }

    /** Names that are not identifiers (module-list indices) are declared through __annotations__. */
    private static void declare(StringBuilder s, String name, String type) {
        if (Names.isIdentifier(name)) {
            s.append("  ").append(name).append(" : ").append(type).append('\n');
        } else {
            s.append("  __annotations__[\"").append(name).append("\"] = ").append(type).append('\n');
        }
    }

    private static String typeOf(String name, Object v) {
        if (v instanceof Boolean) {
            return "bool";
        } else if (v instanceof Long) {
            return "int";
        } else if (v instanceof Double) {
            return "float";
        } else if (v instanceof String) {
            return "str";
        } else if (v instanceof List<?> list && !list.isEmpty()) {
            return "List[" + typeOf(name, list.get(0)) + "]";
        } else if (v instanceof PickleTuple t) {
            return "Tuple[" + t.items().stream().map(x -> typeOf(name, x)).collect(Collectors.joining(", ")) + "]";
        } else if (v instanceof Map<?, ?> map && !map.isEmpty() && map.keySet().iterator().next() instanceof String) {
            return "Dict[str, " + typeOf(name, map.values().iterator().next()) + "]";
        }
        throw new IllegalArgumentException("attribute " + name + ": cannot declare " + v);
    }

    /** Source files by path inside the archive's {@code code/} folder. */
    Map<String, String> files() {
        Map<String, String> files = new TreeMap<>();
        byQualifier.forEach((qualifier, classesByName) ->
                files.put(qualifier.replace('.', '/') + ".py", String.join("", classesByName.values())));
        return files;
    }
}
