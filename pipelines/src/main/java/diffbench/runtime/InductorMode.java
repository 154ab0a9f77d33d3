package diffbench.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.util.cuda.CudaUtils;
import diffbench.peer.PythonTwin;
import diffbench.schema.Mode;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.ModuleNode;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code compiled} engine mode (docs/design.md §3): every denoiser call runs an AOTInductor package
 * compiled from the network's Python twin at the call's static shapes, on the weights of the loaded
 * archive; on a GPU each call is captured once into a CUDA graph and replayed, the JVM's
 * counterpart of {@code torch.compile(mode="reduce-overhead")}. Other networks run as in eager mode
 * (no graph-executor optimisation, cuDNN heuristics: what PyTorch does around a compiled UNet).
 *
 * <p>The engine-mode object of issue 13's shape: the settings ({@link InductorOptions}), how a
 * denoiser call runs ({@link #denoiserCalls}), and whether the mode can run here
 * ({@link #unsupportedReason}).
 */
public final class InductorMode implements EngineMode {
    /** Runs on the capture stream before capture: the runner allocates its buffers, cuBLAS/cuDNN their workspaces. */
    static final int GRAPH_WARMUPS = 2;

    private final InductorOptions options;
    private final AotiCompiler compiler;

    public InductorMode(InductorOptions options, AotiCompiler compiler) {
        this.options = options;
        this.compiler = compiler;
    }

    public InductorOptions options() {
        return options;
    }

    @Override
    public Mode mode() {
        return Mode.compiled;
    }

    /** Eager's settings: the networks around the compiled denoisers run as PyTorch runs them around a compiled UNet. */
    @Override
    public boolean optimizesGraphs() {
        return false;
    }

    @Override
    public String compilerOptions() {
        return options.id();
    }

    /** Null when it can run: it needs diffbench's JNI on libtorch 2.8+ (CPU or CUDA; python3 only to compile). */
    @Override
    public String unsupportedReason(Device device) {
        return AotiModel.unsupportedReason();
    }

    /**
     * The session's denoiser calls.
     *
     * @param parent  manager of the session (static graph inputs live in a sub-manager)
     * @param sources the module tree each loaded network was emitted from (its Python twin is written from it)
     */
    @Override
    public DenoiserCalls denoiserCalls(NDManager parent, Function<Network, ModuleNode> sources) {
        return new Calls(parent, sources);
    }

    private record Signature(Network network, String method, List<String> inputs) {
    }

    /** One compiled call: the package on the network's weights, and on a GPU its CUDA graph. */
    private record Compiled(AotiModel model, CudaGraph graph) {
    }

    private final class Calls implements DenoiserCalls {
        private final NDManager statics;
        private final Function<Network, ModuleNode> sources;
        private final Map<Signature, Compiled> compiled = new HashMap<>();
        private CompileRecord record = CompileRecord.NONE;

        Calls(NDManager parent, Function<Network, ModuleNode> sources) {
            this.statics = parent.newSubManager();
            this.sources = sources;
        }

        @Override
        public NDList forward(Network network, NDList inputs) {
            MethodCall methodCall = MethodCall.of(inputs);
            String method = methodCall.method();
            NDList tensors = methodCall.tensors();
            Signature key = new Signature(network, method, tensors.stream().map(InductorMode::describe).toList());
            Compiled call = compiled.get(key);
            NDManager caller = tensors.get(0).getManager();
            if (call == null) {
                call = compile(key, tensors);
                compiled.put(key, call);
            } else if (call.graph() != null) {
                call.graph().setInputs(tensors);
            }
            if (call.graph() == null) {
                return call.model().run(tensors, caller);
            }
            NDList out = new NDList();
            for (NDArray o : call.graph().replay()) { // the graph's pool: the next replay rewrites it
                NDArray copy = o.duplicate();
                copy.attach(caller);
                out.add(copy);
            }
            return out;
        }

        private Compiled compile(Signature signature, NDList tensors) {
            ModuleNode root = sources.apply(signature.network());
            Device device = signature.network().manager().getDevice();
            boolean gpu = device.isGpu();
            String deviceKey = gpu ? cudaKey(device.getDeviceId()) : "cpu";
            String name = signature.network().archive().getFileName().toString().replaceFirst("-[0-9a-f]{16}\\.pt$", "")
                    .replaceFirst("\\.pt$", "");
            AotiPackageKey key = new AotiPackageKey(name, ArchiveWriter.fingerprint(root), signature.method(),
                    signature.inputs(), options, AotiCompiler.scriptDigest(), CudaExtras.torchVersion(), deviceKey);
            String inputsJson = tensors.stream().map(a -> "{\"shape\": " + Arrays.toString(a.getShape().getShape())
                    + ", \"dtype\": \"" + dtypeName(a.getDataType()) + "\"}").collect(Collectors.joining(", ", "[", "]"));
            AotiCompiler.Sources what = new AotiCompiler.Sources(signature.network().archive(),
                    PythonTwin.source(root, name), signature.network().synthetic(), inputsJson,
                    gpu ? "cuda:" + device.getDeviceId() : "cpu");
            AotiCompiler.Obtained obtained = compiler.obtain(key, what);
            long start = System.nanoTime();
            AotiModel model = AotiModel.load(obtained.pt2(), signature.network(), gpu);
            CudaGraph graph = null;
            if (gpu) {
                NDList staticInputs = new NDList(tensors.size());
                for (NDArray a : tensors) {
                    NDArray copy = a.duplicate();
                    copy.attach(statics);
                    staticInputs.add(copy);
                }
                try {
                    graph = model.capture(staticInputs, GRAPH_WARMUPS, statics);
                } catch (RuntimeException e) {
                    model.close();
                    throw e;
                }
            }
            record = record.plus(obtained, (System.nanoTime() - start) / 1e9);
            return new Compiled(model, graph);
        }

        @Override
        public CompileRecord compileRecord() {
            return record;
        }

        @Override
        public void close() {
            for (Compiled c : compiled.values()) { // graphs before the packages they run
                if (c.graph() != null) {
                    c.graph().close();
                }
            }
            compiled.values().forEach(c -> c.model().close());
            compiled.clear();
            statics.close();
        }
    }

    /** The GPU part of a package key: CUDA runtime and compute capability, e.g. {@code cuda 13.0 sm_90}. */
    static String cudaKey(int device) {
        int runtime = CudaUtils.getCudaVersion();
        return "cuda " + runtime / 1000 + "." + (runtime / 10) % 10 + " " + CudaExtras.computeCapability(device);
    }

    /** A call input as the key records it, e.g. {@code float32[2, 4, 16, 16]}. */
    static String describe(NDArray a) {
        if (a.getName() != null && a.getName().endsWith("[]")) {
            throw new UnsupportedOperationException("the compiled mode compiles tensor arguments only, not the list '"
                    + a.getName() + "'; pass each tensor as its own argument (as forward_with_control_args does)");
        }
        return dtypeName(a.getDataType()) + Arrays.toString(a.getShape().getShape());
    }

    /** torch's name of a DJL dtype (peer/aoti_compile.py's DTYPES). */
    static String dtypeName(DataType type) {
        return switch (type) {
            case BOOLEAN -> "bool";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }
}
