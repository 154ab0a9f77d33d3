package diffbench.reports;

import diffbench.testing.Needs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every chart a page shows exists as PNG and SVG, has the size the page states, and has something drawn on it. */
class ChartFilesTest {

    static final Path out = Fixtures.SHARED;
    static ReportGenerator.Summary summary;

    @BeforeAll
    static void generate() throws IOException {
        summary = Fixtures.shared();
    }

    @Test
    void everyChartOnEveryPageIsAPngOfTheStatedSizeWithInk() throws IOException {
        Needs.fonts();
        int checked = 0;
        for (String page : summary.pages()) {
            Document doc = Jsoup.parse(out.resolve(page + ".html").toFile(), "UTF-8");
            for (Element img : doc.select("figure img")) {
                Path png = out.resolve(img.attr("src"));
                BufferedImage image = ImageIO.read(png.toFile());
                assertNotNull(image, png + " is a readable PNG");
                assertEquals(Integer.parseInt(img.attr("width")), image.getWidth(), png.toString());
                assertEquals(Integer.parseInt(img.attr("height")), image.getHeight(), png.toString());
                assertEquals(ChartSpec.WIDTH, image.getWidth());
                assertTrue(image.getHeight() >= ChartSpec.HEIGHT, png.toString());
                // not blank: the plot area has ink, and series colours (bars, lines) are there, not only grid and text
                double ink = Pixels.inkFraction(image, 100, 60, ChartSpec.WIDTH - 200, ChartSpec.HEIGHT - 200);
                assertTrue(ink > 0.01, png + " plot area is blank: ink " + ink);
                long coloured = Pixels.coloured(image);
                assertTrue(coloured > 500, png + " has no series drawn: " + coloured + " coloured pixels");
                Path svg = out.resolve(img.parent().selectFirst("a").attr("href"));
                String svgText = Files.readString(svg);
                assertTrue(svgText.contains("<svg") && svgText.length() > 10_000, svg + " is an SVG drawing");
                checked++;
            }
        }
        assertEquals(summary.charts(), checked, "every chart drawn is shown on a page");
    }

    @Test
    void chartsFolderHoldsExactlyTheChartsOfTheReport() throws IOException {
        Needs.fonts();
        Set<String> files;
        try (Stream<Path> list = Files.list(out.resolve("charts"))) {
            files = list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        assertEquals(summary.charts() * 2, files.size(), files.toString());
        for (String name : List.of("h200-s1-b1-its", "h200-s1-b1-speedup", "h200-s1-b1-memory", "h200-s1-scaling-c1",
                "across-s1-b1", "rtx-4090-s1-published-b1", "published-b16")) {
            assertTrue(files.contains(name + ".png") && files.contains(name + ".svg"), name);
        }
    }

    @Test
    void barsOfEagerAndCompiledShareAHueAndPublishedAreGrey() throws IOException {
        Needs.fonts();
        BufferedImage its = ImageIO.read(out.resolve("charts/h200-s1-b1-its.png").toFile());
        int compiled = Palette.hue(0);
        int eager = Palette.shade(compiled, new Column("", "diffbench", "2.7.1", "djl", "eager"));
        assertTrue(Pixels.count(its, compiled, 6) > 2000, "libtorch 2.7.1 compiled bars");
        assertTrue(Pixels.count(its, eager, 6) > 2000, "libtorch 2.7.1 eager bars, a lighter shade");
        BufferedImage vs = ImageIO.read(out.resolve("charts/rtx-4090-s1-published-b1.png").toFile());
        assertTrue(Pixels.count(vs, Palette.grey(0), 4) > 500, "published bars are grey");
        BufferedImage across = ImageIO.read(out.resolve("charts/across-s1-b4.png").toFile());
        assertTrue(Pixels.count(across, Palette.grey(0), 4) > 200, "across GPUs, the published cards' bars beside the measured");
    }

    @Test
    void captionsNameTheBarsThatAreMissing() throws IOException {
        Needs.fonts();
        Document h200 = Jsoup.parse(out.resolve("h200.html").toFile(), "UTF-8");
        Element img = h200.selectFirst("img[src=charts/h200-s1-b4-its.png]");
        String caption = img.parent().selectFirst("figcaption").text();
        assertTrue(caption.contains("sdxl-txt2img, libtorch 2.7.1 compiled: OOM after 2nd iteration"), caption);
        assertTrue(caption.contains("sdxl-txt2img, libtorch 2.11.0 (own JNI) eager: not recorded"), caption);
    }

    @Test
    void aChartThatFailsLeavesTheTablesAndSaysSo(@TempDir Path failed) throws IOException {
        ReportGenerator.Summary s = new ReportGenerator((spec, folder) -> {
            if (spec.name().startsWith("h200-s1-b1-its")) {
                throw new RuntimeException("Fontconfig head is null, check your fonts or fonts configuration");
            }
            ChartRenderer.render(spec, folder);
        }).generate(Fixtures.RESULTS, Fixtures.PROFILES, failed);
        assertEquals(Set.of("h200-s1-b1-its"), s.chartFailures().keySet());
        Document h200 = Jsoup.parse(failed.resolve("h200.html").toFile(), "UTF-8");
        assertNotNull(h200.getElementById("h200-s1-b1-its"), "the table is there");
        assertTrue(h200.select("p.warn").text().contains("could not be drawn: RuntimeException: Fontconfig head is null"));
        assertTrue(h200.select("img[src=charts/h200-s1-b1-its.png]").isEmpty(), "no broken image");
        assertFalse(Files.exists(failed.resolve("charts/h200-s1-b1-its.png")));
        assertTrue(Jsoup.parse(failed.resolve("index.html").toFile(), "UTF-8").select("p.warn").text()
                .contains("install fontconfig and fonts-dejavu-core"));
    }
}
