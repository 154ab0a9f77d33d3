package diffbench.testing;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests that need a tool beyond a JDK and Maven (python3, fonts, a browser) skip with the reason where
 * it is absent, so `mvn install` passes on a bare machine (shared by every module's tests through
 * schema's test jar); CI, which installs them, sets
 * {@value #CI_ENV}=true, and there an absent tool fails the test instead of skipping it.
 */
public final class Needs {

    public static final String CI_ENV = "DIFFBENCH_ALL_TESTS";

    private Needs() {}

    /** Whether an executable of this name is on PATH. */
    public static boolean onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).anyMatch(Files::isExecutable);
    }

    public static void python3() {
        tool(onPath("python3"), "python3 is not on PATH (apt-get install python3)");
    }

    /** Fonts for drawing text in charts: a JDK without fontconfig and a font fails with "Fontconfig head is null". */
    public static void fonts() {
        boolean work;
        try {
            Graphics2D g = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB).createGraphics();
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("x", 1, 7);
            work = g.getFontMetrics().stringWidth("x") > 0;
        } catch (RuntimeException | Error e) {
            work = false;
        }
        tool(work, "no fonts for the charts (apt-get install fontconfig fonts-dejavu-core)");
    }

    /** Runs the test when {@code present}; otherwise skips it saying why (fails it under CI). */
    public static void tool(boolean present, String why) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv(CI_ENV))) {
            fail(why + ", and " + CI_ENV + "=true: CI installs every tool the tests need");
        }
        // surefire's summary counts skips; this line names the test and the reason where a person reads it
        String test = StackWalker.getInstance().walk(frames -> frames.filter(f -> f.getClassName().endsWith("Test"))
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                .findFirst().orElse("a test"));
        System.out.println("skipped: " + test + ": " + why);
        assumeTrue(false, why);
    }
}
