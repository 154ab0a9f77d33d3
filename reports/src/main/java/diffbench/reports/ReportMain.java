package diffbench.reports;

import diffbench.schema.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code java -jar reports/target/diffbench-reports.jar [--results results] [--profiles gpu-profiles] [--out reports]
 * [--baseline DIR [--fail-if-slower PERCENT]]}.
 */
@Command(name = "diffbench-reports", mixinStandardHelpOptions = true, versionProvider = ReportMain.BuildVersion.class,
        description = "Renders the results CSVs as per-GPU and cross-GPU tables and charts (Markdown, HTML, PNG, SVG).")
public final class ReportMain implements Callable<Integer> {

    /** Every message of this tool starts so, as the harness's start with "diffbench: ". */
    static final String PREFIX = "diffbench-reports: ";

    /** The build's version and commit, the same as every tool of the build prints. */
    static final class BuildVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.line("diffbench-reports")};
        }
    }

    /** Exit status when the tables were written but some charts could not be drawn. */
    static final int CHARTS_FAILED = 3;

    @Option(names = "--results", defaultValue = "results", description = "folder of results CSVs (default: ${DEFAULT-VALUE})")
    Path results;

    @Option(names = "--profiles", defaultValue = "gpu-profiles",
            description = "folder holding " + PublishedFigures.FILE_NAME + " (default: ${DEFAULT-VALUE})")
    Path profiles;

    @Option(names = "--out", defaultValue = "reports", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--baseline", description = "folder of earlier results CSVs (a copy of results/ taken before a change): "
            + "each cell's it/s is shown next to its baseline's, with the change")
    Path baseline;

    @Option(names = "--fail-if-slower", paramLabel = "PERCENT",
            description = "with --baseline: exit " + REGRESSED + " when a cell's it/s dropped by more than PERCENT, "
                    + "or a cell that finished in the baseline no longer does (a gate for CI)")
    Double failIfSlower;

    /** Exit status when --fail-if-slower found regressions (the report is written all the same). */
    static final int REGRESSED = 4;

    /** As given: 5, 2.5. */
    private static String percent(double v) {
        return new DecimalFormat("0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v);
    }

    public static void main(String[] args) {
        // before any AWT class loads: a stale DISPLAY would otherwise make chart drawing fail
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The command line, with bad options reported as every error of the tool is: "diffbench-reports: ...". */
    static CommandLine commandLine() {
        return new CommandLine(new ReportMain()).setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println(PREFIX + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, c.getErr())) {
                c.usage(c.getErr());
            }
            return 2;
        });
    }

    @Override
    public Integer call() throws Exception {
        ReportGenerator.Summary s;
        try {
            if (failIfSlower != null && (baseline == null || !(failIfSlower >= 0))) {
                System.err.println(PREFIX + "--fail-if-slower needs --baseline DIR and a percentage of 0 or more, e.g. --fail-if-slower 5");
                return 2;
            }
            if (baseline != null && !Files.isDirectory(baseline)) {
                System.err.println(PREFIX + "--baseline " + baseline + " is not a folder: give a copy of results/ taken before the change");
                return 2;
            }
            s = new ReportGenerator().generate(results, profiles, out, Optional.ofNullable(baseline));
        } catch (IOException e) {
            // a bad CSV names its file and line; nothing under --out was touched
            System.err.println(PREFIX + e.getMessage() + "; the report in " + out + " was left as it was");
            return 2;
        }
        System.out.printf("%d result rows -> %s/index.html and %d GPU page(s), %d chart(s)%n",
                s.rows(), out, s.pages().size() - 1, s.charts() - s.chartFailures().size());
        if (failIfSlower != null) {
            List<String> regressions = s.regressions(failIfSlower);
            regressions.forEach(r -> System.err.println(PREFIX + "regression: " + r));
            if (!regressions.isEmpty()) {
                System.err.printf(PREFIX + "%d cell(s) slower by more than %s%% than the baseline, or no longer finishing%n",
                        regressions.size(), percent(failIfSlower));
                return REGRESSED;
            }
            System.out.printf("no cell slower by more than %s%% than the baseline%n", percent(failIfSlower));
        }
        if (!s.chartFailures().isEmpty()) {
            System.err.println(PREFIX + "warning: tables written, but " + s.chartFailures().size() + " chart(s) failed: "
                    + s.chartFailures().values().iterator().next()
                    + " (on a bare machine: apt-get install fontconfig fonts-dejavu-core)");
            return CHARTS_FAILED;
        }
        return 0;
    }
}
