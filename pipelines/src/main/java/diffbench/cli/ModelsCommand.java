package diffbench.cli;

import diffbench.models.catalog.NetworkCatalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Locale;

/** `diffbench models`: every benchmarked network with its size and cost, from shapes alone. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the benchmarked networks: id, parameters, fp16 size, GFLOPs per forward at the pipeline's default shape.")
final class ModelsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        String format = "%-24s %-15s %15s %10s %15s  %s%n";
        out.printf(Locale.ROOT, format, "id", "component", "parameters", "fp16 size", "GFLOPs/forward", "default shape (batch 1)");
        boolean anyReconstructed = false;
        for (NetworkCatalog.Entry<?> e : NetworkCatalog.ALL) {
            long params = e.parameterCount();
            anyReconstructed |= e.reconstructed();
            out.printf(Locale.ROOT, format, e.id() + (e.reconstructed() ? " *" : ""), e.component(),
                    String.format(Locale.ROOT, "%,d", params),
                    String.format(Locale.ROOT, "%.2f GB", 2.0 * params / 1e9),
                    String.format(Locale.ROOT, "%,.1f", e.flopsAtDefaultShape() / 1e9), e.defaultInput());
        }
        out.println();
        out.println("FLOPs: 2 per multiply-accumulate of convolutions, linears and attention matmuls; VAEs counted for decode;");
        out.println("a UNet under classifier-free guidance runs two rows per step.");
        if (anyReconstructed) {
            out.println("* config reconstructed, not copied from the checkpoint (no copy of its config.json was available):");
            out.println("  its count holds for that config only. A real config.json corrects it: diffbench export --model ID");
            out.println("  --weights DIR and diffbench forward build from the folder's config.json.");
        }
        out.flush();
    }
}
