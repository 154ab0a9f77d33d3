package diffbench.cli;

import diffbench.models.catalog.ConfiguredNetwork;
import diffbench.models.catalog.NetworkCatalog;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;
import diffbench.torchscript.ArchiveWriter;
import diffbench.torchscript.StorageType;
import diffbench.weights.DiffusersComponent;
import diffbench.weights.SafetensorsWeights;
import diffbench.weights.SyntheticWeights;
import diffbench.nn.WeightSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** `diffbench export`: one network as a TorchScript archive, with synthetic or real weights. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write one network as a TorchScript archive (load it with DJL, or torch.jit.load in Python).")
final class ExportCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BuildOptions build;

    @Option(names = "--model", required = true, paramLabel = "ID", description = "network id (see `diffbench models`)")
    String model;

    @Option(names = "--weights", paramLabel = "DIR",
            description = "real weights from a local diffusers pipeline folder (its component subfolder, e.g. unet/) or a "
                    + "component folder; the network is built from that folder's config.json")
    Path weights;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the synthetic weights (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--seeded", description = "write the synthetic values into the file (default: one value per tensor, "
            + "the values drawn on the device at load time)")
    boolean seeded;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "archive to write")
    Path out;

    @Override
    public void run() {
        NetworkCatalog.Entry<?> entry = NetworkCatalog.byId(model);
        StorageType type = build.type();
        AttentionKernel kernel = build.kernel();
        if (weights != null && (build.tiny || seeded)) {
            throw new IllegalArgumentException("--weights reads the network's size from the folder's config.json and its values "
                    + "from the folder: leave out --tiny and --seeded");
        }
        PrintWriter err = spec.commandLine().getErr();
        Layer network;
        WeightSource source;
        String weightsLine;
        if (weights != null) {
            DiffusersComponent component = component(entry);
            ConfiguredNetwork configured = entry.fromConfig(component.config(), kernel);
            if (!configured.unknownKeys().isEmpty()) {
                err.println("diffbench: " + component.config() + ": keys not known to diffbench, ignored: " + configured.unknownKeys());
            }
            network = configured.network();
            SafetensorsWeights real = component.weightsFor(network);
            if (!real.ignored().isEmpty()) {
                err.println("diffbench: tensors of the checkpoint that the network does not use: " + real.ignored());
            }
            source = real;
            weightsLine = "weights: from " + real + ", converted to " + type.shortName();
        } else {
            network = build.build(entry);
            if (seeded) {
                source = SyntheticWeights.seeded(seed);
                weightsLine = "weights: synthetic from seed " + seed + ", values written in the file";
            } else {
                source = SyntheticWeights.onDevice();
                weightsLine = "weights: synthetic, drawn on the device at load time from the seed (" + seed
                        + "): the file holds one value per tensor; load with Network.load(file, device, OptionalLong.of("
                        + seed + ")), which runs the archive's init_weights";
            }
        }
        try {
            ArchiveWriter.write(network.emit(source, type), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + IoErrors.reason(e), e);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s (%,d bytes): %s%s, %s, %s attention, %,d parameters%n", out, size(out), entry.id(),
                build.tiny ? " (tiny)" : "", type.shortName(), kernel.name().toLowerCase(Locale.ROOT), network.parameterCount());
        o.println(weightsLine);
        o.flush();
    }

    /** The folder itself when it holds a config.json, else its subfolder named by the catalog. */
    private DiffusersComponent component(NetworkCatalog.Entry<?> entry) {
        return Files.isRegularFile(weights.resolve("config.json")) ? DiffusersComponent.at(weights, null)
                : DiffusersComponent.of(weights, entry.component());
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
