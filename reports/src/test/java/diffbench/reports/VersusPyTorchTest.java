package diffbench.reports;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A card measured by diffbench and by the PyTorch peer gets a diffbench ÷ PyTorch table per batch (cards
 * without Python rows do not), and, where rows recorded them, compute and start-up tables of every runtime.
 */
class VersusPyTorchTest {
    @TempDir
    Path out;

    @Test
    void ratiosPairEagerWithEagerAndCompiledWithEachCompileMode() throws Exception {
        Element table = peerFixtureTable("h100-s1-b1-vs-pytorch");
        assertEquals(List.of("diffbench ÷ PyTorch",
                "libtorch 2.11.0 (own JNI) eager ÷ PyTorch 2.11.0 eager (Python)",
                "libtorch 2.11.0 (own JNI) compiled ÷ PyTorch 2.11.0 compile reduce-overhead (Python)",
                "libtorch 2.11.0 (own JNI) compiled ÷ PyTorch 2.11.0 compile max-autotune-no-cudagraphs (Python)"),
                table.select("thead th").eachText());
        Element row = table.select("tbody tr").first();
        assertEquals("sd-txt2img", row.selectFirst("th").ownText());
        // 20 / 16, 24 / 30, and no ratio against an OOM
        assertEquals(List.of("1.25×", "0.80×", "—"), row.select("td").eachText());
        assertTrue(Files.readString(out.resolve("h100.md")).contains("diffbench vs PyTorch"));
    }

    @Test
    void startUpTableGivesLoadAndWarmUpSecondsPerCell() throws Exception {
        Element table = peerFixtureTable("h100-s1-b1-startup");
        Element row = table.select("tbody tr").first();
        // diffbench eager, compiled (its packages from the cache); Python eager, reduce-overhead (62 s of
        // torch.compile), max-autotune (ran out of memory)
        assertEquals(List.of("1.6 + 0.9", "1.7 + 4.2 (cached)", "3.1 + 0.8", "3.1 + 62", "OOM after 2nd iteration"),
                row.select("td").eachText());
        assertEquals("load 3.1 s, then 2 warm-up calls 62 s", row.select("td").get(3).attr("title"));
        assertTrue(row.select("td").get(1).attr("title").endsWith("; aotinductor default packages: hit, compiling 0.0 s of the warm-up"),
                row.select("td").get(1).attr("title"));
    }

    @Test
    void computeTableGivesTflopsAndTheShareOfTheCardsPeak() throws Exception {
        Element table = peerFixtureTable("h100-s1-b1-compute");
        Element row = table.select("tbody tr").first();
        // 120.5 of the H100's 989.4 dense fp16 TFLOP/s (the card found by the rows' nvidia-smi name) is 12.2%; 3 digits shown
        assertEquals(List.of("121 · 12.2%", "145 · 14.6%", "96.4 · 9.7%", "181 · 18.3%", "OOM after 2nd iteration"),
                row.select("td").eachText());
        assertTrue(row.select("td").get(0).attr("title").endsWith("the NVIDIA H100 80GB (SXM5)'s dense fp16 peak is 989.4 TFLOP/s"
                + "; SM 1,980 MHz, 613 W, up to 66 °C, limits: sw-power-cap"), row.select("td").get(0).attr("title"));
    }

    @Test
    void aFigureWhoseOutputFailedTheCheckOrWhoseGpuThrottledSaysSo() throws Exception {
        Element row = peerFixtureTable("h100-s1-b1-its").select("tbody tr").first();
        assertEquals(List.of("20.00", "24.00", "16.00, thermal-throttled", "30.00, flat output", "OOM after 2nd iteration"),
                row.select("td").eachText(), "a power cap (diffbench eager) is normal at full load and not marked");
    }

    @Test
    void throughputGivesImagesPerSecondAndJoulesPerImageWherePowerWasSampled() throws Exception {
        Element row = peerFixtureTable("h100-s1-b1-throughput").select("tbody tr").first();
        // batch 1 over 3.1 s per call at 612.5 W: 0.323 img/s, 1,899 J; rows without a power sample give img/s only
        assertEquals(List.of("0.323 img/s · 1,899 J/img", "0.385 img/s", "0.27 img/s · 2,590 J/img", "0.476 img/s",
                "OOM after 2nd iteration"), row.select("td").eachText());
        assertEquals("1 images in 3.100 s per call at 613 W mean board power", row.select("td").get(0).attr("title"));
    }

    @Test
    void peakMemoryShowsTheWarmUpPeakWhereRecorded() throws Exception {
        Element row = peerFixtureTable("h100-s1-b1-memory").select("tbody tr").first();
        // torch.compile's warm-up (autotuning, CUDA-graph pools) peaked above its measured calls
        assertEquals(List.of("3,000", "3,000", "3,100", "3,500 (warm-up 4,100)", "OOM after 2nd iteration"),
                row.select("td").eachText());
    }

    /** The front page's answer per card: fastest from the JVM and in PyTorch at batch 1, the largest batch that ran, the first OOM. */
    @Test
    void atAGlanceSaysWhatTheCardGives() throws Exception {
        peerFixtureTable("h100-s1-b1-its");
        Document index = Jsoup.parse(out.resolve("index.html").toFile(), "UTF-8");
        Element table = index.getElementById("glance-1");
        assertNotNull(table, index.outerHtml());
        assertEquals(List.of("diffbench at batch 1", "PyTorch at batch 1", "largest batch run · peak memory", "out of memory from"),
                table.select("thead th").eachText().subList(1, 5));
        // reduce-overhead's 30 it/s made a flat image: PyTorch's answer is its eager 16 it/s
        assertEquals(List.of("24.00 it/s, compiled", "16.00 it/s, eager", "1 · 3,000 MiB", "batch 1: OOM after 2nd iteration"),
                table.select("tbody tr").first().select("td").eachText());
        assertTrue(Files.readString(out.resolve("index.md")).contains("## At a glance"));
    }

    /** --baseline: the same cells from an earlier run, here a copy of the fixture with one figure changed and one row gone. */
    @Test
    void aBaselineRunShowsEachCellsChange(@TempDir Path baseline) throws Exception {
        Fixtures.shared();
        Path fixture = Path.of("src/test/resources/fixtures/peer-results/h100.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(fixture));
        lines.set(1, lines.get(1).replace(",ok,,20.0,", ",ok,,16.0,")); // diffbench eager was slower
        lines.removeIf(l -> l.contains(",python-compile-reduce-overhead,"));
        Files.write(baseline.resolve("h100.csv"), lines);
        new ReportGenerator().generate(fixture.getParent(), Fixtures.PROFILES, out, Optional.of(baseline));
        Document page = Jsoup.parse(out.resolve("h100.html").toFile(), "UTF-8");
        Element table = page.getElementById("h100-s1-b1-vs-baseline");
        assertNotNull(table, page.outerHtml());
        assertEquals(List.of("20.00 (was 16.00, +25.0%)", "24.00 (was 24.00, +0.0%)", "16.00 (was 16.00, +0.0%)", "30.00 (new)",
                "OOM after 2nd iteration"), table.select("tbody tr").first().select("td").eachText());
        assertNull(Jsoup.parse(Fixtures.SHARED.resolve("h200.html").toFile(), "UTF-8").getElementById("h200-s1-b1-vs-baseline"),
                "no baseline given, no table");
    }

    /** The table with this id on the H100 page of the peer-results fixture's report. */
    private Element peerFixtureTable(String id) throws IOException {
        new ReportGenerator().generate(Path.of("src/test/resources/fixtures/peer-results"), Fixtures.PROFILES, out);
        Document page = Jsoup.parse(out.resolve("h100.html").toFile(), "UTF-8");
        Element table = page.getElementById(id);
        assertNotNull(table, page.outerHtml());
        return table;
    }

    /** Files from before schema 2 recorded neither figure: no table of n/a. */
    @Test
    void noStartUpTableForRowsThatDidNotRecordIt() throws Exception {
        Fixtures.shared();
        Document page = Jsoup.parse(Fixtures.SHARED.resolve("h200.html").toFile(), "UTF-8");
        assertNull(page.getElementById("h200-s1-b1-startup"));
        assertNull(page.getElementById("h200-s1-b1-compute"));
    }

    @Test
    void noTableWithoutPythonRows() throws Exception {
        Fixtures.shared();
        Document page = Jsoup.parse(Fixtures.SHARED.resolve("h200.html").toFile(), "UTF-8");
        assertNull(page.getElementById("h200-s1-b1-vs-pytorch"));
    }
}
