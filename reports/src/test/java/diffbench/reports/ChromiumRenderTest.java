package diffbench.reports;

import diffbench.testing.Needs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opens the generated index.html in headless Chromium and checks the screenshot: the tables'
 * header colour and the chart bar colours must be on screen. Skipped only where Chromium is not
 * installed (reports/ci/install-deps.sh installs it; CI runs it).
 */
class ChromiumRenderTest {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 2000;
    /** The table header background in style.html.mustache. */
    private static final int TABLE_HEADER = 0xDDE6F3;

    @TempDir
    Path dir;

    static Optional<Path> chromium() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(d -> Stream.of("chromium", "chromium-browser", "google-chrome").map(n -> Path.of(d, n)))
                .filter(Files::isExecutable).findFirst();
    }

    @Test
    void indexRendersWithTablesAndCharts() throws Exception {
        Optional<Path> browser = chromium();
        Needs.tool(browser.isPresent(), "chromium is not installed: run reports/ci/install-deps.sh to run this test");
        Needs.fonts();
        Path out = Fixtures.SHARED;
        Fixtures.shared();
        Path shot = dir.resolve("index.png");
        List<String> command = List.of(browser.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")),
                "--screenshot=" + shot, "--window-size=" + WIDTH + "," + HEIGHT,
                out.resolve("index.html").toUri().toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "chromium finished within 120 s");
        assertTrue(Files.exists(shot), "no screenshot; chromium said: " + Files.readString(dir.resolve("chromium.log")));

        BufferedImage img = ImageIO.read(shot.toFile());
        assertNotNull(img);
        assertEquals(WIDTH, img.getWidth());
        assertEquals(HEIGHT, img.getHeight());
        assertTrue(Pixels.count(img, TABLE_HEADER, 3) > 5_000, "table header cells are drawn");
        // the across-GPU chart at batch 1: libtorch 2.7.1 compiled bars (hue 0) and eager bars (its light shade)
        int compiled = Palette.hue(0);
        int eager = Palette.shade(compiled, new Column("", "diffbench", "2.7.1", "djl", "eager"));
        assertTrue(Pixels.count(img, compiled, 8) > 1_000, "compiled bars of the chart are on screen");
        assertTrue(Pixels.count(img, eager, 8) > 1_000, "eager bars of the chart are on screen");
        // the page is not mostly blank: text, tables and a chart fill it
        assertTrue(Pixels.inkFraction(img, 0, 0, WIDTH, HEIGHT) > 0.08, "ink " + Pixels.inkFraction(img, 0, 0, WIDTH, HEIGHT));
        Files.copy(shot, Path.of("target/index-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
