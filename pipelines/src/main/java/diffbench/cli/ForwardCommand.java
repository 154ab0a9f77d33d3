package diffbench.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import diffbench.models.catalog.ConfiguredNetwork;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;
import diffbench.runtime.ArchiveCache;
import diffbench.runtime.Engines;
import diffbench.runtime.Network;
import diffbench.torchscript.StorageType;
import diffbench.weights.DiffusersComponent;
import diffbench.weights.SafetensorsDType;
import diffbench.weights.SafetensorsFile;
import diffbench.weights.SafetensorsWeights;
import diffbench.weights.SafetensorsWriter;
import diffbench.weights.SyntheticWeights;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * `diffbench forward`: one network of a diffusers-style folder ({@code config.json} + safetensors
 * weights) on named inputs, its named outputs written to a safetensors file: the way to check this
 * implementation against diffusers with the same weights and inputs (names: docs/engine-facts.md §5).
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Run one network of a diffusers component folder on named inputs; write its named outputs.")
final class ForwardCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    DiffbenchCommand root;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Which network and weights: a diffusers folder (real weights), or a catalog network with synthetic weights. */
    static final class Source {
        @Option(names = "--model-dir", required = true, paramLabel = "DIR",
                description = "a component folder: config.json (_class_name or architectures) and its safetensors weights")
        Path modelDir;

        @Option(names = "--model", required = true, paramLabel = "ID",
                description = "a catalog network (see `diffbench models`) with synthetic weights drawn on the device from --seed, "
                        + "as `export --model ID` + Network.load do (the way to compare with peer/check_equivalence.py)")
        String model;
    }

    @Option(names = "--tiny", description = "with --model: the test-size config")
    boolean tiny;

    @Option(names = "--seed", description = "with --model: seed of the synthetic weights (default: 0, as the pipelines)")
    Long seed;

    @Option(names = "--inputs", required = true, paramLabel = "FILE.safetensors", description = "named input tensors")
    Path inputs;

    @Option(names = "--out", required = true, paramLabel = "FILE.safetensors", description = "named output tensors")
    Path out;

    @Option(names = "--dtype", paramLabel = "fp16|bf16|fp32", defaultValue = "fp32", description = "weight type (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu", description = "default: ${DEFAULT-VALUE}")
    String device;

    @Option(names = "--method", paramLabel = "encode|decode",
            description = "AutoencoderKL only (default: encode for an input named sample, decode for z)")
    String method;

    @Option(names = "--attention", paramLabel = "sdpa|math", defaultValue = "sdpa", description = "default: ${DEFAULT-VALUE}")
    String attention;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "archive cache (default: $DIFFBENCH_CACHE, else ~/.cache/diffbench)")
    Path cache;

    @Override
    public void run() {
        StorageType type = Dtypes.parse(dtype);
        AttentionKernel kernel = AttentionKernel.fromName(attention);
        if (!device.equals("cpu") && !device.equals("gpu")) {
            throw new IllegalArgumentException("unknown device '" + device + "': use cpu or gpu");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a folder; name the .safetensors file to write");
        }
        if (source.model != null) {
            NetworkCatalog.byId(source.model); // an unknown id is reported before the engine starts
        } else if (tiny || seed != null) {
            throw new IllegalArgumentException((tiny ? "--tiny" : "--seed") + " goes with --model; a --model-dir folder "
                    + "has its own config.json and weights");
        }
        root.startEngine();
        PrintWriter err = spec.commandLine().getErr();
        ArchiveCache archives = cache != null ? new ArchiveCache(cache.resolve("archives")) : ArchiveCache.fromEnvironment();
        Layer network;
        String networkClass;
        Path archive;
        String weightsLine;
        OptionalLong initSeed;
        if (source.modelDir != null) {
            DiffusersComponent component = DiffusersComponent.at(source.modelDir, null);
            ConfiguredNetwork configured = ConfiguredNetwork.read(component.config(), kernel);
            if (!configured.unknownKeys().isEmpty()) {
                err.println("diffbench: " + component.config() + ": keys not known to diffbench, ignored: " + configured.unknownKeys());
            }
            network = configured.network();
            networkClass = configured.networkClass().className();
            SafetensorsWeights weights = component.weightsFor(network);
            archive = archives.archive(networkClass + "-" + type.shortName() + "-" + kernel.name().toLowerCase(Locale.ROOT),
                    network.emit(weights, type), component.fingerprint());
            weightsLine = "weights from " + weights;
            initSeed = OptionalLong.empty();
        } else {
            NetworkCatalog.Entry<?> entry = NetworkCatalog.byId(source.model);
            network = entry.build(kernel, tiny);
            networkClass = network.className();
            archive = archives.archive(entry.id() + (tiny ? "-tiny-" : "-") + type.shortName() + "-" + kernel.name().toLowerCase(Locale.ROOT),
                    network.emit(SyntheticWeights.onDevice(), type), "synthetic");
            long drawnFrom = seed != null ? seed : 0L;
            weightsLine = "synthetic weights drawn on the device from seed " + drawnFrom;
            initSeed = OptionalLong.of(drawnFrom);
        }
        SafetensorsFile given = SafetensorsFile.open(inputs);
        ForwardSignature signature = ForwardSignature.of(network, given.entries().keySet(), method);
        checkNames(networkClass, signature, given);

        Device dev = Engines.device(device);
        SafetensorsWriter written = new SafetensorsWriter()
                .metadata("network", networkClass)
                .metadata("method", signature.method())
                .metadata("dtype", type.shortName())
                .metadata("device", device);
        List<String> summary = new ArrayList<>();
        try (Network net = Network.load(archive, dev, initSeed); NDManager nd = net.manager().newSubManager()) {
            NDList outputs = run(net, nd, signature, given);
            if (outputs.size() != signature.outputs().size()) {
                throw new IllegalStateException(signature.method() + " returned " + outputs.size() + " tensors, expected "
                        + signature.outputs());
            }
            for (int i = 0; i < outputs.size(); i++) {
                NDArray o = outputs.get(i);
                long[] shape = o.getShape().getShape();
                // through fp32: DJL's JNI cannot read bf16 data directly; fp16/bf16 values are exact in fp32
                written.add(signature.outputs().get(i), SafetensorsDType.of(type), shape, o.toType(DataType.FLOAT32, false).toFloatArray());
                summary.add(signature.outputs().get(i) + " " + Arrays.toString(shape));
            }
        }
        try {
            written.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + IoErrors.reason(e), e);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("ran " + networkClass + "." + signature.method() + " on " + device + " ("
                + type.shortName() + ", " + kernel.name().toLowerCase(Locale.ROOT) + " attention) with " + weightsLine);
        o.println("archive " + archive);
        o.println("wrote " + out + ": " + String.join(", ", summary));
        o.flush();
    }

    /** Missing or unknown names: one message that lists what the network takes. */
    private void checkNames(String networkClass, ForwardSignature signature, SafetensorsFile given) {
        Set<String> missing = new LinkedHashSet<>(signature.inputNames());
        missing.removeAll(given.entries().keySet());
        Set<String> unknown = new LinkedHashSet<>(given.entries().keySet());
        unknown.removeAll(signature.inputNames());
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalArgumentException(inputs + ": " + (missing.isEmpty() ? "" : "missing " + missing)
                    + (missing.isEmpty() || unknown.isEmpty() ? "" : ", ") + (unknown.isEmpty() ? "" : "unknown " + unknown)
                    + "; " + networkClass + "." + signature.method() + " takes "
                    + String.join(", ", signature.inputNames()));
        }
    }

    private static NDList run(Network net, NDManager nd, ForwardSignature signature, SafetensorsFile given) {
        List<IValue> args = new ArrayList<>();
        try {
            for (String n : signature.arguments()) {
                args.add(IValue.from(tensor(nd, given, n)));
            }
            if (signature.listLength() > 0) {
                PtNDArray[] items = new PtNDArray[signature.listLength()];
                for (int i = 0; i < items.length; i++) {
                    items[i] = tensor(nd, given, signature.listArgument() + "." + i);
                }
                args.add(IValue.listFrom(items));
            }
            for (String n : signature.afterList()) {
                args.add(IValue.from(tensor(nd, given, n)));
            }
            try (IValue result = IValueUtils.runMethod(net.block(), signature.method(), args.toArray(new IValue[0]))) {
                return result.toNDList((PtNDManager) nd);
            }
        } finally {
            args.forEach(IValue::close);
        }
    }

    /** Floats of any stored type as fp32 (the networks cast to their own dtype), int64 as int64; 0-d stays 0-d. */
    private static PtNDArray tensor(NDManager nd, SafetensorsFile file, String name) {
        SafetensorsFile.Entry e = file.entry(name);
        Shape shape = new Shape(e.shape());
        NDArray a = e.dtype() == SafetensorsDType.I64 ? nd.create(file.readLongs(name), shape)
                : nd.create(file.readFloats(name), shape);
        return (PtNDArray) a;
    }
}
