package diffbench.reports;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar reports/target/diffbench-reports.jar [--results results] [--profiles gpu-profiles] [--out reports] [--baseline DIR]}. */
@Command(name = "diffbench-reports", mixinStandardHelpOptions = true,
        description = "Renders the results CSVs as per-GPU and cross-GPU tables and charts (Markdown, HTML, PNG, SVG).")
public final class ReportMain implements Callable<Integer> {

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

    public static void main(String[] args) {
        // before any AWT class loads: a stale DISPLAY would otherwise make chart drawing fail
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new ReportMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ReportGenerator.Summary s;
        try {
            if (baseline != null && !java.nio.file.Files.isDirectory(baseline)) {
                System.err.println("error: --baseline " + baseline + " is not a folder: give a copy of results/ taken before the change");
                return 2;
            }
            s = new ReportGenerator().generate(results, profiles, out, java.util.Optional.ofNullable(baseline));
        } catch (java.io.IOException e) {
            // a bad CSV names its file and line; nothing under --out was touched
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        System.out.printf("%d result rows -> %s/index.html and %d GPU page(s), %d chart(s)%n",
                s.rows(), out, s.pages().size() - 1, s.charts() - s.chartFailures().size());
        if (!s.chartFailures().isEmpty()) {
            System.err.println("warning: tables written, but " + s.chartFailures().size() + " chart(s) failed: "
                    + s.chartFailures().values().iterator().next()
                    + " (on a bare machine: apt-get install fontconfig fonts-dejavu-core)");
            return CHARTS_FAILED;
        }
        return 0;
    }
}
