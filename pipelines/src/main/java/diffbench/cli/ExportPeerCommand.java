package diffbench.cli;

import diffbench.nn.AttentionKernel;
import diffbench.peer.PeerNetworks;
import diffbench.schema.PipelineId;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** `diffbench export-peer`: the archives and Python twins peer/run_peer.py needs for one pipeline. */
@Command(name = "export-peer", mixinStandardHelpOptions = true,
        description = "Write a pipeline's networks as TorchScript archives (<id>.pt, synthetic weights drawn at load from "
                + "seed 0) with their Python twins (<id>.py) for peer/run_peer.py --networks DIR.")
final class ExportPeerCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BuildOptions build;

    @Option(names = "--pipeline", required = true, description = "sd-txt2img or sdxl-txt2img")
    String pipeline;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write")
    Path out;

    @Override
    public void run() {
        List<Path> files;
        try {
            files = PeerNetworks.write(PipelineId.fromId(pipeline), build.tiny, build.type(), build.kernel(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + IoErrors.reason(e), e);
        }
        files.forEach(f -> spec.commandLine().getOut().println("wrote " + f));
        spec.commandLine().getOut().flush();
    }
}
