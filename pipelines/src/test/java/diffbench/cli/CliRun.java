package diffbench.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the `diffbench` command line in-process, capturing what it prints. */
final class CliRun {
    private CliRun() {
    }

    record Result(int exitCode, String out, String err) {
    }

    static Result execute(String... args) {
        CommandLine cl = DiffbenchCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new Result(rc, out.toString(), err.toString());
    }
}
