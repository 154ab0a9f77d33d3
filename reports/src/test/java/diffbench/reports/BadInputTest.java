package diffbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import diffbench.schema.ResultsFileException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** No results gives a report that says so; a bad CSV gives an error naming file and line, and writes nothing. */
class BadInputTest {

    @TempDir
    Path dir;

    @Test
    void noResultsIsAReportThatSaysSo() throws IOException {
        Path out = dir.resolve("reports");
        ReportGenerator.Summary s = new ReportGenerator().generate(dir.resolve("results"), Fixtures.PROFILES, out);
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
        int newer = diffbench.schema.ResultColumn.SCHEMA_VERSION + 1;
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
        assertTrue(err.toString("UTF-8").startsWith("error: " + results.resolve("rtx-4090.csv")
                + ":3: schema_version " + newer + " is newer than this diffbench reads ("
                + diffbench.schema.ResultColumn.SCHEMA_VERSION + ")"), err.toString("UTF-8"));
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
