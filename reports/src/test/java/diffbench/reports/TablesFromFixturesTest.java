package diffbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** The generated pages, parsed with jsoup: the right tables, and the right text in their cells. */
class TablesFromFixturesTest {

    static final Path out = Fixtures.SHARED;
    static ReportGenerator.Summary summary;

    @BeforeAll
    static void generate() throws IOException {
        summary = Fixtures.shared();
    }

    private static Document page(String name) throws IOException {
        return Jsoup.parse(out.resolve(name).toFile(), "UTF-8");
    }

    private static Element table(Document doc, String id) {
        Element t = doc.getElementById(id);
        assertNotNull(t, "table #" + id);
        return t;
    }

    private static List<String> headers(Element table) {
        return table.select("thead th").eachText();
    }

    /** The cells of the row whose label starts with {@code label}. */
    private static List<String> row(Element table, String label) {
        Element tr = table.select("tbody tr").stream().filter(r -> r.selectFirst("th").ownText().equals(label))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + label + " in #" + table.id()));
        return tr.select("td").eachText();
    }

    @Test
    void writesOnePagePerGpuAndTheIndex() {
        assertEquals(List.of("index", "cpu", "h200", "rtx-4090"), summary.pages());
        assertEquals(57, summary.rows());
        assertTrue(summary.chartFailures().isEmpty(), summary.chartFailures().toString());
        for (String page : summary.pages()) {
            assertTrue(Files.exists(out.resolve(page + ".html")) && Files.exists(out.resolve(page + ".md")), page);
        }
    }

    @Test
    void perGpuTableHasLibtorchTimesModeColumnsAndPipelineRows() throws IOException {
        Element its = table(page("h200.html"), "h200-s1-b1-its");
        assertEquals(List.of("it/s", "libtorch 2.7.1 eager", "libtorch 2.7.1 compiled",
                "libtorch 2.11.0 (own JNI) eager", "libtorch 2.11.0 (own JNI) compiled"), headers(its));
        assertEquals(List.of("sd-txt2img", "sd-controlnet", "if stage I", "if stage II", "if stage III", "sdxl-txt2img"),
                its.select("tbody th").stream().map(Element::ownText).toList(), "diffusers' order, IF with its three stages");
        assertEquals(List.of("40.00", "64.00", "44.00", "70.40"), row(its, "sd-txt2img"));
        assertEquals(List.of("20.00", "32.00", "22.00", "35.20"), row(its, "if stage II"));
        assertEquals("256x256 · 50 steps", its.select("tbody tr").get(3).selectFirst("th small").text());
    }

    /** One IF call runs the whole cascade: its images per second stand once, on the stage I row. */
    @Test
    void theCascadesThroughputStandsOnItsStageIRow() throws IOException {
        Element throughput = table(page("h200.html"), "h200-s1-b1-throughput");
        List<String> stageI = row(throughput, "if stage I");
        assertTrue(stageI.stream().allMatch(c -> c.endsWith(" img/s") || c.equals("—")), stageI.toString());
        for (String later : List.of("if stage II", "if stage III")) {
            List<String> cells = row(throughput, later);
            for (int i = 0; i < cells.size(); i++) {
                assertEquals(stageI.get(i).equals("—") ? "—" : "as stage I", cells.get(i), later + " column " + i);
            }
        }
    }

    @Test
    void oomErrorAndMissingCellsAreText() throws IOException {
        Document h200 = page("h200.html");
        Element its = table(h200, "h200-s1-b4-its");
        assertEquals(List.of("6.80", "OOM after 2nd iteration", "n/a", "error"), row(its, "sdxl-txt2img"));
        assertEquals("oom", its.select("td:contains(OOM after 2nd iteration)").attr("class"));
        assertTrue(its.select("td.error").attr("title").contains("shape mismatch"), "the error message is the tool tip");
        Element speedUp = table(h200, "h200-s1-b4-speedup");
        assertEquals(List.of("1.60×", "1.60×"), row(speedUp, "sd-txt2img"));
        assertEquals(List.of("OOM after 2nd iteration", "error"), row(speedUp, "sdxl-txt2img"));
        Element memory = table(h200, "h200-s1-b4-memory");
        assertEquals(List.of("40,000", "OOM after 2nd iteration", "41,000", "error"), row(memory, "sdxl-txt2img"));
        assertTrue(h200.getElementById("errors").nextElementSibling().text().contains("EngineException: shape mismatch | in conv"));
    }

    @Test
    void emulatedCardIsItsOwnSectionComparedWithThePublishedCard() throws IOException {
        Document h200 = page("h200.html");
        assertEquals("GPU · fp16 · sdpa attention · full models · memory capped to emulate t4 (15360 MiB)",
                h200.selectFirst("#h200-s2 h2").text());
        Element vs = table(h200, "h200-s2-published-b4");
        assertEquals(List.of("it/s", "diffusers torch 2.0 eager", "diffusers torch nightly eager", "diffusers torch 2.0 compile",
                "diffusers torch nightly compile", "diffbench libtorch 2.7.1 eager", "diffbench libtorch 2.7.1 compiled"), headers(vs));
        assertEquals(List.of("1.79", "1.79", "2.03", "1.99", "12.00", "OOM after warmup"), row(vs, "sd-txt2img"));
        assertTrue(h200.text().contains("compare the OOM outcomes, not the it/s"));
    }

    @Test
    void measuredVersusPublishedWhereTheCardMatches() throws IOException {
        Element vs = table(page("rtx-4090.html"), "rtx-4090-s1-published-b1");
        assertEquals(List.of("40.50", "41.89", "44.65", "49.81", "38.00", "49.40"), row(vs, "sd-txt2img"));
        assertEquals(List.of("69.71", "69.13", "not run", "124.60", "—", "—"), row(vs, "if stage I"));
        assertTrue(page("h200.html").getElementById("h200-s1-published-b1") == null, "no published H200 figures");
    }

    @Test
    void acrossGpusPutsTheSameCellSideBySide() throws IOException {
        Document index = page("index.html");
        Element b4 = table(index, "across-s1-b4");
        assertEquals(List.of("it/s", "h200 · libtorch 2.7.1 eager", "h200 · libtorch 2.7.1 compiled",
                "h200 · libtorch 2.11.0 (own JNI) eager", "h200 · libtorch 2.11.0 (own JNI) compiled",
                "h200 as t4 (15360 MiB) · libtorch 2.7.1 eager", "h200 as t4 (15360 MiB) · libtorch 2.7.1 compiled",
                "rtx-4090 · libtorch 2.7.1 eager", "rtx-4090 · libtorch 2.7.1 compiled",
                // every card diffusers published, not only the measured ones: eager and compile, as measured here
                "A100 · torch nightly eager (published)", "A100 · torch nightly compile (published)",
                "RTX 3090 · torch nightly eager (published)", "RTX 3090 · torch nightly compile (published)",
                "RTX 4090 · torch nightly eager (published)", "RTX 4090 · torch nightly compile (published)",
                "T4 · torch nightly eager (published)", "T4 · torch nightly compile (published)",
                "V100 · torch nightly eager (published)", "V100 · torch nightly compile (published)"), headers(b4));
        assertEquals(List.of("8.40", "13.44", "9.24", "14.78", "—", "—", "—", "OOM at load"), row(b4, "sd-controlnet").subList(0, 8));
        assertEquals(List.of("12.00", "19.20", "13.20", "21.12", "12.00", "OOM after warmup", "11.40", "14.82",
                "13.12", "17.27", "6.35", "7.30", "12.84", "15.59", "1.79", "1.99", "5.89", "6.86"), row(b4, "sd-txt2img"));
        assertTrue(index.select("table[id^=across]").stream().noneMatch(t -> t.text().contains("cpu")),
                "CPU smoke runs are not compared with GPUs");
    }

    @Test
    void eachPageSaysWhereItsFiguresComeFromAndCpuIsLabelled() throws IOException {
        Document h200 = page("h200.html");
        assertTrue(h200.getElementById("machine").nextElementSibling().text()
                .contains("host gpu-box-1 · NVIDIA H200 (143771 MiB) · driver 580.159.04 · CUDA 12.8"));
        assertTrue(h200.text().contains("results/h200.csv"));
        Document cpu = page("cpu.html");
        assertNotNull(cpu.getElementById("cpu-banner"));
        assertEquals("CPU smoke run (cpu)", cpu.selectFirst("h1").text());
        assertTrue(table(cpu, "cpu-s1-b1-its").selectFirst("caption").text().contains("CPU smoke run"));
        Element cpuLink = page("index.html").selectFirst("#gpu-pages a[href=cpu.html]").parent();
        assertTrue(cpuLink.text().contains("CPU smoke run — not GPU figures"), cpuLink.text());
        assertFalse(page("h200.html").text().contains("CPU smoke run"));
    }

    @Test
    void markdownHasTheSameCells() throws IOException {
        String md = Files.readString(out.resolve("h200.md"));
        assertTrue(md.contains("| sdxl-txt2img (1024x1024 · 50 steps) | 6.80 | OOM after 2nd iteration | n/a | error |"), md);
        assertTrue(md.contains("| it/s | libtorch 2.7.1 eager | libtorch 2.7.1 compiled |"));
        assertTrue(md.contains("shape mismatch \\| in conv"), "a pipe in text cannot break a Markdown table");
        assertTrue(Files.readString(out.resolve("index.md")).contains("[NVIDIA H200 (h200)](h200.md)"));
    }

    @Test
    void linksAreRelative() throws IOException {
        for (String page : summary.pages()) {
            Document doc = page(page + ".html");
            for (Element e : doc.select("[src], [href], link")) {
                String link = e.hasAttr("src") ? e.attr("src") : e.attr("href");
                assertFalse(link.contains("://") || link.startsWith("/"), page + ": " + link);
                assertTrue(Files.exists(out.resolve(link)), page + " links a missing file: " + link);
            }
        }
    }
}
