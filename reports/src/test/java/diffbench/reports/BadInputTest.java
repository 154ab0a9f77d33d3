package diffbench.reports;

import diffbench.schema.ResultColumn;
import diffbench.schema.ResultsFileException;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No results gives a report that says so; a bad CSV gives an error naming file and line, and writes nothing. */
class BadInputTest {

    @TempDir
    Path dir;

    @Test
    void noResultsIsAReportThatSaysSo() throws IOException {
        Path out = dir.resolve("reports");
        ReportGenerator.Summary s = new ReportGenerator().generate(Files.createDirectories(dir.resolve("results")),
                Fixtures.PROFILES, out);
        assertEquals(List.of("index"), s.pages());
        Document index = Jsoup.parse(out.resolve("index.html").toFile(), "UTF-8");
        assertNotNull(index.getElementById("no-results"));
        assertEquals(5, index.select("table[id^=published-][id$=-b1]").size(), "published figures of five cards");
        assertTrue(Files.readString(out.resolve("index.md")).contains("**No results yet:**"));
    }

    @Test
    void aBrokenCardProfileNamesItsFileAndLeavesTheReportAlone() throws IOException {
        Path profiles = Files.createDirectories(dir.resolve("gpu-profiles"));
        Files.writeString(profiles.resolve("h100.json"), "{\"slug\": \"h100\", \"memory_mib\": ");
        Path out = Files.createDirectories(dir.resolve("reports"));
        Files.writeString(out.resolve("index.html"), "previous report");
        IOException e = assertThrows(IOException.class, () -> new ReportGenerator().generate(Fixtures.RESULTS, profiles, out));
        assertTrue(e.getMessage().startsWith(profiles.resolve("h100.json") + " is not valid JSON"), e.getMessage());
        assertEquals("previous report", Files.readString(out.resolve("index.html")));
    }

    @Test
    void missingColumnNamesFileAndLineAndLeavesTheReportAlone() throws IOException {
        Path results = Files.createDirectories(dir.resolve("results"));
        List<String> lines = Files.readAllLines(Fixtures.RESULTS.resolve("h200.csv"));
        Files.write(results.resolve("h200.csv"), List.of(lines.get(0).replace(",its_mean,", ",its_average,"), lines.get(1)));
        Path out = Files.createDirectories(dir.resolve("reports"));
        Files.writeString(out.resolve("index.html"), "previous report");

        ResultsFileException e = assertThrows(ResultsFileException.class,
                () -> new ReportGenerator().generate(results, Fixtures.PROFILES, out));
        assertEquals(results.resolve("h200.csv") + ":1: missing column its_mean (written by an older diffbench? regenerate it)",
                e.getMessage());
        assertEquals("previous report", Files.readString(out.resolve("index.html")));
    }

    @Test
    void newerSchemaVersionFromTheCommandLineExitsWithTheLine() throws IOException {
        Path results = Files.createDirectories(dir.resolve("results"));
        List<String> lines = Files.readAllLines(Fixtures.RESULTS.resolve("rtx-4090.csv"));
        int newer = ResultColumn.SCHEMA_VERSION + 1;
        Files.write(results.resolve("rtx-4090.csv"), List.of(lines.get(0), lines.get(1), newer + lines.get(2).substring(1)));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int status;
        try {
            System.setErr(new PrintStream(err, true, "UTF-8"));
            status = new CommandLine(new ReportMain()).execute("--results", results.toString(),
                    "--profiles", Fixtures.PROFILES.toString(), "--out", dir.resolve("reports").toString());
        } finally {
            System.setErr(saved);
        }
        assertEquals(2, status);
        assertTrue(err.toString("UTF-8").startsWith("diffbench-reports: " + results.resolve("rtx-4090.csv")
                + ":3: schema_version " + newer + " is newer than this diffbench reads ("
                + ResultColumn.SCHEMA_VERSION + ")"), err.toString("UTF-8"));
    }

    /** Every file under the folder with its bytes, to compare a report before and after. */
    private static Map<Path, String> snapshot(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            Map<Path, String> files = new TreeMap<>();
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(p), Files.readString(p, StandardCharsets.ISO_8859_1));
            }
            return files;
        }
    }

    private Path previousReport() throws IOException {
        Path out = dir.resolve("reports");
        new ReportGenerator((spec, charts) -> Files.writeString(charts.resolve(spec.name() + ".svg"), "<svg/>"))
                .generate(Fixtures.RESULTS, Fixtures.PROFILES, out);
        assertTrue(Files.exists(out.resolve("h200.html")));
        return out;
    }

    /** Issue 16 item 2: a --results that is no folder (mistyped, or the tool run from elsewhere) is refused. */
    @Test
    void aResultsFolderThatIsNotThereLeavesThePreviousReport() throws IOException {
        Path out = previousReport();
        Map<Path, String> before = snapshot(out);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        for (Path results : List.of(dir.resolve("no-such-folder"), file)) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream saved = System.err;
            int status;
            try {
                System.setErr(new PrintStream(err, true, "UTF-8"));
                status = new CommandLine(new ReportMain()).execute("--results", results.toString(),
                        "--profiles", Fixtures.PROFILES.toString(), "--out", out.toString());
            } finally {
                System.setErr(saved);
            }
            assertEquals(2, status, err.toString("UTF-8"));
            assertEquals("diffbench-reports: " + results + (results.equals(file) ? " is a file, not a folder" : " does not exist")
                    + ": give the folder of results CSVs with --results DIR (the checkout's results/); the report in "
                    + out + " was left as it was\n", err.toString("UTF-8"));
            assertEquals(before, snapshot(out));
        }
    }

    /** Reports are replaced whole or not at all: a failure after the first page leaves the previous report. */
    @Test
    void aFailureWhileDrawingLeavesThePreviousReportWhole() throws IOException {
        Path out = previousReport();
        Map<Path, String> before = snapshot(out);
        Path other = Files.createDirectories(dir.resolve("other-results"));
        Files.copy(Fixtures.RESULTS.resolve("h200.csv"), other.resolve("h200.csv"));
        assertThrows(OutOfMemoryError.class, () -> new ReportGenerator((spec, charts) -> {
            throw new OutOfMemoryError("Java heap space");
        }).generate(other, Fixtures.PROFILES, out));
        assertEquals(before, snapshot(out));
    }

    @Test
    void generatorOnlyReplacesWhatItWrote() throws IOException {
        // the default output folder is the Maven module's own folder
        Path module = Files.createDirectories(dir.resolve("reports"));
        Files.writeString(module.resolve("pom.xml"), "<project/>");
        Files.createDirectories(module.resolve("src/main"));
        Files.writeString(module.resolve("README.md"), "hand-written");
        Files.createDirectories(module.resolve("charts"));
        Files.writeString(module.resolve("charts/stale.png"), "old chart");
        Files.writeString(module.resolve("gone-gpu.html"), Pages.MARKER + "\nold page");

        new ReportGenerator().generate(Fixtures.RESULTS, Fixtures.PROFILES, module);

        assertEquals("<project/>", Files.readString(module.resolve("pom.xml")));
        assertTrue(Files.isDirectory(module.resolve("src/main")));
        assertEquals("hand-written", Files.readString(module.resolve("README.md")));
        assertTrue(Files.notExists(module.resolve("gone-gpu.html")), "a generated page of a GPU no longer in results/");
        assertTrue(Files.notExists(module.resolve("charts/stale.png")));
        assertTrue(Files.exists(module.resolve("h200.html")));
    }
}
