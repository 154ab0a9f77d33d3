package diffbench.torchscript;

import java.util.List;

/**
 * One TorchScript method of a class. The writer adds the typed {@code self} argument; the body is
 * TorchScript source without indentation, one statement per line, using the aten builtins
 * ({@code torch.conv2d(...)}) and submodule calls ({@code (self.conv).forward(x, )}).
 *
 * @param arguments typed arguments after self, e.g. {@code "x: Tensor"}
 * @param returnType e.g. {@code Tensor} or {@code Tuple[Tensor, Tensor]}
 */
public record ScriptMethod(String name, List<String> arguments, String returnType, List<String> body) {

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
        for (String a : arguments) {
            s.append(",\n    ").append(a);
        }
        s.append(") -> ").append(returnType).append(":\n");
        for (String line : body) {
            s.append("    ").append(line).append('\n');
        }
        return s.toString();
    }
}
