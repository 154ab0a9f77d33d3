package diffbench.peer;

import diffbench.models.catalog.NetworkCatalog;
import diffbench.nn.AttentionKernel;
import diffbench.nn.LayerList;
import diffbench.testing.Needs;
import diffbench.torchscript.ModuleNode;
import diffbench.torchscript.ScriptClass;
import diffbench.torchscript.ScriptMethod;
import diffbench.torchscript.ScriptMethod.Argument;
import diffbench.torchscript.StorageType;
import diffbench.torchscript.TensorRef;
import diffbench.torchscript.code.Body;
import diffbench.torchscript.code.Expr.Var;
import diffbench.torchscript.code.ScalarType;
import diffbench.weights.SyntheticWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static diffbench.torchscript.code.Torch.NONE;
import static diffbench.torchscript.code.Torch.arange;
import static diffbench.torchscript.code.Torch.cat;
import static diffbench.torchscript.code.Torch.deviceOf;
import static diffbench.torchscript.code.Torch.div;
import static diffbench.torchscript.code.Torch.eq;
import static diffbench.torchscript.code.Torch.flip;
import static diffbench.torchscript.code.Torch.groupNorm;
import static diffbench.torchscript.code.Torch.invoke;
import static diffbench.torchscript.code.Torch.item;
import static diffbench.torchscript.code.Torch.linear;
import static diffbench.torchscript.code.Torch.mul;
import static diffbench.torchscript.code.Torch.num;
import static diffbench.torchscript.code.Torch.self;
import static diffbench.torchscript.code.Torch.size;
import static diffbench.torchscript.code.Torch.slice;
import static diffbench.torchscript.code.Torch.softmax;
import static diffbench.torchscript.code.Torch.sub;
import static diffbench.torchscript.code.Torch.to;
import static diffbench.torchscript.code.Torch.typeAs;
import static diffbench.torchscript.code.Torch.upsampleNearest2d;
import static diffbench.torchscript.code.Torch.var;
import static diffbench.torchscript.code.Torch.zerosLike;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python twins of every catalog network (tiny and full size, both attention kernels) compile
 * with python3, and their build() declares exactly the archive's state_dict (names, shapes, dtypes),
 * listed through a torch stand-in since no torch can be installed here; the twin writer spells each
 * operator as eager PyTorch and refuses names and types the Python file cannot hold.
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
        Var x = var("x");
        Var xs = var("xs");
        Body body = new Body();
        body.let("w", typeAs(softmax(x, -1, ScalarType.FLOAT32), x));
        List<Var> shape = body.unpack(size(x), "b", "c", "h", "w2");
        Var n = body.let("n", div(mul(shape.get(2), shape.get(3)), num(2)));
        Var y = body.let("y", to(linear(x, self("weight"), NONE), ScalarType.FLOAT16));
        Var z = body.let("z", slice(y, 1, num(0), n, 1));
        body.let("k", arange(shape.get(1), ScalarType.FLOAT32, deviceOf(x)));
        body.let("e", to(eq(flip(x, 1), sub(x, num(1))), ScalarType.INT32));
        body.let("o", LayerList.callItem("blocks", 0, invoke(self("proj"), "forward", List.of(x))));
        body.setParameter("weight", zerosLike(self("weight")));
        Var p = body.let("p", upsampleNearest2d(z, 2.0));
        body.ret(groupNorm(cat(List.of(p, item(xs, 0)), 1), num(2), self("weight"), NONE, num(1e-5)));
        String source = PythonTwin.source(node(new ScriptMethod("forward",
                List.of(Argument.tensor("x"), new Argument("xs", "List[Tensor]")), "Tensor", body.statements())), "test");
        assertTrue(source.contains("    def forward(self, x: Tensor, xs: List[Tensor]) -> Tensor:\n"), source);
        assertTrue(source.contains("w = torch.softmax(x, -1, dtype=torch.float32).type_as(x)"), source);
        assertTrue(source.contains("b, c, h, w2, = x.size()"), source);
        assertTrue(source.contains("n = ((h * w2) / 2)"), source);
        assertTrue(source.contains("y = F.linear(x, self.weight, None).to(torch.float16)"), source);
        assertTrue(source.contains("z = y[:, 0:n:1]"), source);
        assertTrue(source.contains("k = torch.arange(c, dtype=torch.float32, device=x.device)"), source);
        assertTrue(source.contains("e = torch.eq(torch.flip(x, [1]), (x - 1)).to(torch.int32)"), source);
        assertTrue(source.contains("o = getattr(self.blocks, \"0\").forward(self.proj.forward(x))"), source);
        assertTrue(source.contains("self.weight = nn.Parameter(torch.zeros_like(self.weight), requires_grad=False)"), source);
        assertTrue(source.contains("p = F.interpolate(z, scale_factor=[2.0, 2.0], mode=\"nearest\")"), source);
        assertTrue(source.contains("return F.group_norm(torch.cat([p, xs[0]], 1), 2, self.weight, None, 1.0e-5)"), source);
        assertTrue(source.contains("m0 = Probe(device, [(\"weight\", [4, 4], torch.float16)], [], [], [(\"eps\", 1.0E-5)])"), source);
    }

    @Test
    void namesThePythonTwinNeedsAreRefusedNamingTheClassAndMethod() {
        Body shadowing = new Body();
        shadowing.let("torch", var("x"));
        shadowing.ret(var("torch"));
        UnsupportedScriptException local = assertThrows(UnsupportedScriptException.class, () -> PythonTwin.source(node(
                new ScriptMethod("forward", List.of(Argument.tensor("x")), "Tensor", shadowing.statements())), "test"));
        assertTrue(local.getMessage().contains("Probe.forward: local name 'torch' would shadow"), local.getMessage());

        Body identity = new Body();
        identity.ret(var("F"));
        UnsupportedScriptException argument = assertThrows(UnsupportedScriptException.class, () -> PythonTwin.source(node(
                new ScriptMethod("scaled", List.of(Argument.tensor("F")), "Tensor", identity.statements())), "test"));
        assertTrue(argument.getMessage().contains("Probe.scaled: local name 'F' would shadow"), argument.getMessage());

        Body plain = new Body();
        plain.ret(var("x"));
        UnsupportedScriptException type = assertThrows(UnsupportedScriptException.class, () -> PythonTwin.source(node(
                new ScriptMethod("forward", List.of(new Argument("x", "Dict[str, Tensor]")), "Tensor", plain.statements())), "test"));
        assertTrue(type.getMessage().contains("Probe.forward: unsupported type 'Dict[str, Tensor]'"), type.getMessage());

        ScriptMethod forward = new ScriptMethod("forward", List.of(Argument.tensor("x")), "Tensor", plain.statements());
        ModuleNode shadowingClass = new ModuleNode(new ScriptClass("__torch__.diffbench.test.F", List.of(forward)));
        UnsupportedScriptException className = assertThrows(UnsupportedScriptException.class,
                () -> PythonTwin.source(shadowingClass, "test"));
        assertTrue(className.getMessage().contains("class __torch__.diffbench.test.F would shadow a name of the Python twin"),
                className.getMessage());
    }

    private static ModuleNode node(ScriptMethod method) {
        ModuleNode n = new ModuleNode(new ScriptClass("__torch__.diffbench.test.Probe", List.of(method)));
        n.parameter("weight", TensorRef.broadcast(StorageType.FLOAT16, new long[] {4, 4}, 0f));
        n.attribute("eps", 1e-5);
        return n;
    }

    private static String expectedListing(ModuleNode root) {
        return root.stateDict().entrySet().stream()
                .map(e -> e.getKey() + " " + Arrays.stream(e.getValue().shape()).mapToObj(Long::toString)
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
