package diffbench.cli;

import diffbench.models.catalog.NetworkCatalog;
import diffbench.nn.AttentionKernel;
import diffbench.nn.Layer;
import diffbench.peer.PythonTwin;
import diffbench.torchscript.StorageType;
import diffbench.weights.SyntheticWeights;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** `diffbench export-python`: one network as a plain PyTorch nn.Module source file (the archive's twin). */
@Command(name = "export-python", mixinStandardHelpOptions = true,
        description = "Write one network as a PyTorch nn.Module source file with the archive's class, parameter and "
                + "attribute names (load the archive's state_dict into build(); see peer/README.md).")
final class ExportPythonCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BuildOptions build;

    @Option(names = "--model", required = true, paramLabel = "ID", description = "network id (see `diffbench models`)")
    String model;

    @Option(names = "--out", required = true, paramLabel = "FILE.py", description = "source file to write")
    Path out;

    @Override
    public void run() {
        NetworkCatalog.Entry<?> entry = NetworkCatalog.byId(model);
        StorageType type = build.type();
        AttentionKernel kernel = build.kernel();
        Layer network = build.build(entry);
        String title = entry.id() + (build.tiny ? " (tiny)" : "") + ", " + kernel.name().toLowerCase(Locale.ROOT) + " attention";
        String source = PythonTwin.source(network.emit(SyntheticWeights.onDevice(), type), title);
        try {
            Files.writeString(out, source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + IoErrors.reason(e), e);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%,d bytes): %s, %,d parameters%n", out, source.length(),
                title, network.parameterCount());
        spec.commandLine().getOut().flush();
    }
}
