package diffbench.torchscript;

import diffbench.torchscript.code.Stmt;
import diffbench.torchscript.code.TorchScriptText;

import java.util.Arrays;
import java.util.List;

/**
 * One method of a class: its typed arguments after {@code self}, its return type and its body as
 * statements (see {@link diffbench.torchscript.code.Torch}). The archive writer renders it as
 * TorchScript; the peer's twin writer renders the same statements as Python.
 *
 * @param returnType e.g. {@code Tensor} or {@code Tuple[Tensor, Tensor]}
 */
public record ScriptMethod(String name, List<Argument> arguments, String returnType, List<Stmt> body) {

    /** An argument and its type as both languages' annotations spell it ({@code Tensor}, {@code List[Tensor]}). */
    public record Argument(String name, String type) {
        public static Argument tensor(String name) {
            return new Argument(name, "Tensor");
        }

        /** One tensor argument per name. */
        public static List<Argument> tensors(String... names) {
            return Arrays.stream(names).map(Argument::tensor).toList();
        }
    }

    public ScriptMethod {
        arguments = List.copyOf(arguments);
        body = List.copyOf(body);
        if (body.isEmpty()) {
            throw new IllegalArgumentException("method " + name + " has no body");
        }
    }

    /** The method as it appears inside its class, indented by two spaces. */
    String render(String qualifiedClassName) {
        StringBuilder s = new StringBuilder();
        s.append("  def ").append(name).append("(self: ").append(qualifiedClassName);
        for (Argument a : arguments) {
            s.append(",\n    ").append(a.name()).append(": ").append(a.type());
        }
        s.append(") -> ").append(returnType).append(":\n");
        for (Stmt statement : body) {
            s.append("    ").append(TorchScriptText.WRITER.statement(statement)).append('\n');
        }
        return s.toString();
    }
}
