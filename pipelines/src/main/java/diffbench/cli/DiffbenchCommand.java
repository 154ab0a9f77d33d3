package diffbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `diffbench` command line: one subcommand per job. */
@Command(name = "diffbench", mixinStandardHelpOptions = true, version = "diffbench 0.1.0",
        description = "Stable Diffusion pipelines on libtorch from the JVM: networks, archives, runs.",
        subcommands = {RunCommand.class, CommandLine.HelpCommand.class})
public final class DiffbenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree with one-line error messages for bad input (no stack traces for user errors). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DiffbenchCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.UncheckedIOException
                    || e instanceof diffbench.torchscript.ArchiveFormatException) {
                commandLine.getErr().println("diffbench: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl;
    }
}
