package diffbench.peer;

import diffbench.models.catalog.NetworkCatalog;
import diffbench.testing.Needs;
import diffbench.nn.AttentionKernel;
import diffbench.torchscript.ModuleNode;
import diffbench.torchscript.ScriptClass;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.StorageType;
import diffbench.torchscript.TensorRef;
import diffbench.weights.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python twins of every catalog network (tiny and full size, both attention kernels) compile
 * with python3, and their build() declares exactly the archive's state_dict (names, shapes, dtypes),
 * listed through a torch stand-in since no torch can be installed here; the translator turns known
 * builtins into the expected Python and refuses unknown constructs.
 */
class PythonTwinTest {
    @TempDir
    Path dir;

    @Test
    void thePeerScriptsParse() throws Exception {
        Needs.python3();
        // the runner, the equivalence check and the compile diagnosis run only where torch is (GPU boxes):
        // at least a syntax error must not wait for one. ast.parse writes no __pycache__ into peer/.
        Path peer = Path.of("..", "peer").toAbsolutePath().normalize();
        List<String> scripts;
        try (var files = Files.list(peer)) {
            scripts = files.filter(f -> f.toString().endsWith(".py")).map(Path::toString).sorted().toList();
        }
        assertTrue(scripts.size() >= 6, scripts.toString());
        List<String> parse = new ArrayList<>(List.of("python3", "-c",
                "import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f).read(), f)"));
        parse.addAll(scripts);
        Result parsed = python(parse, Map.of());
        assertEquals(0, parsed.exit, parsed.output);
    }

    @Test
    void everyCatalogNetworkHasATwinThatCompilesAndDeclaresTheArchiveStateDict() throws Exception {
        Needs.python3();
        Map<Path, ModuleNode> twins = new LinkedHashMap<>();
        for (NetworkCatalog.Entry<?> entry : NetworkCatalog.ALL) {
            for (boolean tiny : new boolean[] {true, false}) {
                for (AttentionKernel kernel : AttentionKernel.values()) {
                    ModuleNode root = (tiny ? entry.tiny(kernel) : entry.build(kernel))
                            .emit(SyntheticWeights.onDevice(), StorageType.FLOAT16);
                    Path file = dir.resolve(entry.id().replace('-', '_') + (tiny ? "_tiny_" : "_full_")
                            + kernel.name().toLowerCase(Locale.ROOT) + ".py");
                    Files.writeString(file, PythonTwin.source(root, entry.id()));
                    twins.put(file, root);
                }
            }
        }
        List<String> compile = new ArrayList<>(List.of("python3", "-m", "py_compile"));
        twins.keySet().forEach(p -> compile.add(p.toString()));
        Result compiled = python(compile, Map.of());
        assertEquals(0, compiled.exit, compiled.output);

        Path stub = copyResource("stub/torch/__init__.py", "stub/torch/nn/__init__.py", "stub/torch/nn/functional.py",
                "list_state.py");
        List<String> list = new ArrayList<>(List.of("python3", dir.resolve("list_state.py").toString()));
        twins.keySet().forEach(p -> list.add(p.toString()));
        Result listed = python(list, Map.of("PYTHONPATH", stub.toString()));
        assertEquals(0, listed.exit, listed.output);
        Map<String, String> byFile = new LinkedHashMap<>();
        String current = null;
        for (String line : listed.output.lines().toList()) {
            if (line.startsWith("== ")) {
                current = line.substring(3);
                byFile.put(current, "");
            } else {
                byFile.merge(current, line + "\n", String::concat);
            }
        }
        for (Map.Entry<Path, ModuleNode> e : twins.entrySet()) {
            assertEquals(expectedListing(e.getValue()), byFile.get(e.getKey().toString()), e.getKey().toString());
        }
    }

    @Test
    void builtinsBecomeTheirPythonSpelling() {
        String source = PythonTwin.source(node("forward", List.of("x: Tensor", "xs: List[Tensor]"), "Tensor", List.of(
                "w = torch.type_as(torch.softmax(x, -1, 6), x)",
                "b, c, h, w2, = torch.size(x)",
                "n = torch.div(torch.mul(h, w2), 2)",
                "y = torch.to(torch.linear(x, self.weight, None), 5)",
                "z = torch.slice(y, 1, 0, n, 1)",
                "k = torch.arange(c, dtype=6, layout=None, device=ops.prim.device(x), pin_memory=None)",
                "p = torch.upsample_nearest2d(z, None, [2., 2.])",
                "return torch.group_norm(torch.cat([p, xs[0]], 1), 2, self.weight, None, 1.0000000000000001e-05, True)")),
                "test");
        assertTrue(source.contains("w = torch.softmax(x, -1, dtype=torch.float32).type_as(x)"), source);
        assertTrue(source.contains("b, c, h, w2, = x.size()"), source);
        assertTrue(source.contains("n = ((h * w2) / 2)"), source);
        assertTrue(source.contains("y = F.linear(x, self.weight, None).to(torch.float16)"), source);
        assertTrue(source.contains("z = y[:, 0:n:1]"), source);
        assertTrue(source.contains("k = torch.arange(c, dtype=torch.float32, device=x.device)"), source);
        assertTrue(source.contains("p = F.interpolate(z, scale_factor=[2., 2.], mode=\"nearest\")"), source);
        assertTrue(source.contains("return F.group_norm(torch.cat([p, xs[0]], 1), 2, self.weight, None, 1.0000000000000001e-05)"),
                source);
        assertTrue(source.contains("m0 = Probe(device, [(\"weight\", [4, 4], torch.float16)], [], [], [(\"eps\", 1.0E-5)])"), source);
    }

    @Test
    void unknownConstructsAreRefusedNamingTheClassAndLine() {
        UnsupportedScriptException builtin = assertThrows(UnsupportedScriptException.class, () -> PythonTwin.source(
                node("forward", List.of("x: Tensor"), "Tensor", List.of("return torch.frobnicate(x)")), "test"));
        assertTrue(builtin.getMessage().contains("Probe.forward: unknown builtin torch.frobnicate"), builtin.getMessage());
        assertThrows(UnsupportedScriptException.class, () -> PythonTwin.source(
                node("forward", List.of("x: Tensor"), "Tensor", List.of("if x:", "  return x", "return x")), "test"));
        UnsupportedScriptException dtype = assertThrows(UnsupportedScriptException.class, () -> PythonTwin.source(
                node("forward", List.of("x: Tensor"), "Tensor", List.of("return torch.to(x, 3)")), "test"));
        assertTrue(dtype.getMessage().contains("unknown scalar type code 3"), dtype.getMessage());
        assertThrows(UnsupportedScriptException.class, () -> PythonTwin.source(
                node("forward", List.of("x: Tensor"), "Tensor", List.of("return torch.group_norm(x, 2, None, None, 0.1, False)")),
                "test"));
        assertThrows(UnsupportedScriptException.class, () -> PythonTwin.source(
                node("forward", List.of("x: Tensor"), "Tensor", List.of("return x @ x")), "test"));
        assertThrows(UnsupportedScriptException.class, () -> PythonTwin.source(
                node("forward", List.of("x: Tensor"), "Tensor", List.of("self.eps = x", "return x")), "test"));
        assertThrows(UnsupportedScriptException.class, () -> PythonTwin.source(
                node("forward", List.of("x: Dict[str, Tensor]"), "Tensor", List.of("return x")), "test"));
    }

    private static ModuleNode node(String method, List<String> args, String returnType, List<String> body) {
        ModuleNode n = new ModuleNode(new ScriptClass("__torch__.diffbench.test.Probe",
                List.of(ScriptMethod.legacy(method, args, returnType, body))));
        n.parameter("weight", TensorRef.broadcast(StorageType.FLOAT16, new long[] {4, 4}, 0f));
        n.attribute("eps", 1e-5);
        return n;
    }

    private static String expectedListing(ModuleNode root) {
        return root.stateDict().entrySet().stream()
                .map(e -> e.getKey() + " " + java.util.Arrays.stream(e.getValue().shape()).mapToObj(Long::toString)
                        .collect(Collectors.joining("x")) + " " + e.getValue().type().shortName() + "\n")
                .collect(Collectors.joining());
    }

    private Path copyResource(String... names) throws IOException {
        for (String name : names) {
            Path target = dir.resolve(name);
            Files.createDirectories(target.getParent());
            try (InputStream in = PythonTwinTest.class.getResourceAsStream(name)) {
                Files.copy(in, target);
            }
        }
        return dir.resolve("stub");
    }

    private record Result(int exit, String output) {
    }

    private static Result python(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 finished");
        return new Result(p.exitValue(), out);
    }
}
