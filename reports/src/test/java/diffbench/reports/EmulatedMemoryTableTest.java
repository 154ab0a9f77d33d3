package diffbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cells run under a T4's memory (fixtures/emulated) beside diffusers' published T4 outcomes: an OOM
 * where diffusers ran out of memory too, a fit where it did not fit, an OOM where it published a figure.
 */
class EmulatedMemoryTableTest {
    static final Path RESULTS = Path.of("src/test/resources/fixtures/emulated/results");
    static final Path OUT = Path.of("target/emulated-report");

    @BeforeAll
    static void generate() throws IOException {
        new ReportGenerator().generate(RESULTS, Fixtures.PROFILES, OUT);
    }

    private static Element table(String page, String id) throws IOException {
        Document doc = Jsoup.parse(OUT.resolve(page).toFile(), "UTF-8");
        Element t = doc.getElementById(id);
        assertNotNull(t, "table #" + id + " in " + page);
        return t;
    }

    /** The cells of the row with this label and detail ("sd-txt2img", "batch 4"), as text and as CSS class. */
    private static List<List<String>> row(Element table, String label, String detail) {
        Element tr = table.select("tbody tr").stream()
                .filter(r -> r.selectFirst("th").ownText().equals(label) && r.selectFirst("th small").text().equals(detail))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + label + " " + detail + " in #" + table.id()));
        return List.of(tr.select("td").eachText(), tr.select("td").eachAttr("class"));
    }

    @Test
    void theIndexShowsEachCellBesideThePublishedOutcomeAndMarksDisagreements() throws IOException {
        Element t = table("index.html", "emulated-t4");
        assertEquals(List.of("emulated (published)", "libtorch 2.7.1 eager", "libtorch 2.7.1 compiled"), t.select("thead th").eachText());
        assertEquals(List.of(List.of("fits (published 1.79 it/s)", "≠ OOM after warmup (published 2.03 it/s)"),
                List.of("number", "disagree")), row(t, "sd-txt2img", "batch 4"));
        assertEquals(List.of(List.of("≠ fits (published: OOM after 2nd iteration)", "— (published: OOM after warmup)"),
                List.of("disagree", "missing")), row(t, "sd-controlnet", "batch 16"));
        assertEquals(List.of(List.of("— (published 1.44 it/s)", "fits (published 1.94 it/s, torch nightly)"),
                List.of("missing", "number")), row(t, "if stage I", "batch 16"));
        assertEquals(List.of(List.of("OOM after warmup (published: OOM)", "— (not published)"),
                List.of("oom", "missing")), row(t, "sdxl-txt2img", "batch 16"));
        assertTrue(t.selectFirst("caption").text().contains("h200 as t4 (15360 MiB)"), t.selectFirst("caption").text());
    }

    @Test
    void theMarkdownTableSaysTheSame() throws IOException {
        String md = Files.readString(OUT.resolve("index.md"));
        assertTrue(md.contains("## Each published card's memory"), md);
        assertTrue(md.contains("| emulated (published) | libtorch 2.7.1 eager | libtorch 2.7.1 compiled |"), md);
        assertTrue(md.contains("| sd-txt2img (batch 4) | fits (published 1.79 it/s) | ≠ OOM after warmup (published 2.03 it/s) |"), md);
        assertTrue(md.contains("| sd-controlnet (batch 16) | ≠ fits (published: OOM after 2nd iteration) | "
                + "— (published: OOM after warmup) |"), md);
        assertTrue(md.contains("| sdxl-txt2img (batch 16) | OOM after warmup (published: OOM) | — (not published) |"), md);
    }

    @Test
    void theEmulatingCardsPageHasTheSameTableInItsEmulatedSetup() throws IOException {
        Element t = table("h200.html", "h200-s1-emulated-t4");
        assertEquals(List.of(List.of("fits (published 1.79 it/s)", "≠ OOM after warmup (published 2.03 it/s)"),
                List.of("number", "disagree")), row(t, "sd-txt2img", "batch 4"));
    }

    @Test
    void theSharedFixturesT4EmulationIsOnTheirIndexAndNoUnemulatedPageHasSuchATable() throws IOException {
        Fixtures.shared();
        Document index = Jsoup.parse(Fixtures.SHARED.resolve("index.html").toFile(), "UTF-8");
        Element t = index.getElementById("emulated-t4");
        assertNotNull(t);
        assertEquals(List.of(List.of("fits (published 1.79 it/s)", "≠ OOM after warmup (published 2.03 it/s)"),
                List.of("number", "disagree")), row(t, "sd-txt2img", "batch 4"));
        assertTrue(Jsoup.parse(Fixtures.SHARED.resolve("rtx-4090.html").toFile(), "UTF-8").select("table[id*=emulated]").isEmpty());
    }
}
