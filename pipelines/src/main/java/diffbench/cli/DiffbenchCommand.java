package diffbench.cli;

import ai.djl.engine.EngineException;
import diffbench.runtime.Engines;
import diffbench.runtime.LocalLibtorch;
import diffbench.schema.Version;
import diffbench.torchscript.ArchiveFormatException;
import diffbench.weights.SafetensorsFormatException;
import diffbench.weights.WeightMismatchException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.UncheckedIOException;
import java.util.List;


/** The `diffbench` command line: one subcommand per job. */
@Command(name = "diffbench", mixinStandardHelpOptions = true, versionProvider = DiffbenchCommand.BuildVersion.class,
        description = "Stable Diffusion pipelines on libtorch from the JVM: networks, archives, runs.",
        subcommands = {ModelsCommand.class, ExportCommand.class, ExportPythonCommand.class, ExportPeerCommand.class, ForwardCommand.class, RunCommand.class,
                ScheduleCommand.class,
                CommandLine.HelpCommand.class})
public final class DiffbenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The build's version and commit, the same as every tool of the build prints. */
    static final class BuildVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.line("diffbench")};
        }
    }

    @Option(names = "--libtorch", paramLabel = "DIR",
            description = "Run on the libtorch in DIR (its root or lib folder; default: $" + LocalLibtorch.ENV
                    + "; without either, DJL's bundled CPU libtorch 2.7.1). diffbench builds its JNI for it once.")
    String libtorch;

    private boolean engineStarted;

    /** Without a subcommand there is nothing to do: the usage, on stderr, with exit status 2 (not 0, as if it had worked). */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: "
                + String.join(", ", spec.subcommands().keySet()) + " (diffbench help SUBCOMMAND for its options)");
    }

    /**
     * Starts the engine: on the libtorch chosen by --libtorch or DIFFBENCH_LIBTORCH when there is one
     * (LocalLibtorch must set DJL up before the engine first starts), else DJL's own.
     */
    void startEngine() {
        if (engineStarted) {
            return;
        }
        Engines.start(LocalLibtorch.chosen(libtorch));
        Engines.localLibtorch().ifPresent(setup -> spec.commandLine().getErr().println("diffbench: libtorch "
                + setup.version() + " (" + setup.flavor() + ") from " + setup.libDir()));
        engineStarted = true;
    }

    /**
     * The line of a libtorch message that says what went wrong: TorchScript wraps it as the last
     * "...Error: ..." line after a trace of the script; C++ errors put it first.
     */
    static String cause(String message) {
        List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).matches("^[A-Za-z.]*Error: .*")) {
                return lines.get(i);
            }
        }
        return lines.isEmpty() ? message : lines.get(0);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree with one-line error messages for bad input (no stack traces for user errors). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DiffbenchCommand());
        // bad options, as every error of the tool: "diffbench: ..." first, then what to type
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("diffbench: " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, c.getErr())) {
                c.usage(c.getErr());
            }
            return 2;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof UnsupportedOperationException || e instanceof UncheckedIOException
                    || e instanceof ArchiveFormatException
                    || e instanceof SafetensorsFormatException
                    || e instanceof WeightMismatchException) {
                commandLine.getErr().println("diffbench: " + e.getMessage());
                return 2;
            }
            if (e instanceof EngineException) {
                commandLine.getErr().println("diffbench: libtorch failed: " + cause(String.valueOf(e.getMessage())));
                return 1;
            }
            throw e;
        });
        return cl;
    }
}
