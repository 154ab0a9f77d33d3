package diffbench.jmh;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Tests that need a tool beyond a JDK and Maven (python3, fonts, a browser) skip with the reason where
 * it is absent, so `mvn install` passes on a bare machine; CI, which installs them, sets
 * {@value #CI_ENV}=true, and there an absent tool fails the test instead of skipping it.
 */
final class Needs {

    static final String CI_ENV = "DIFFBENCH_ALL_TESTS";

    private Needs() {}

    /** Whether an executable of this name is on PATH. */
    static boolean onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).anyMatch(Files::isExecutable);
    }

    static void python3() {
        tool(onPath("python3"), "python3 is not on PATH (apt-get install python3)");
    }

    /** Runs the test when {@code present}; otherwise skips it saying why (fails it under CI). */
    static void tool(boolean present, String why) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv(CI_ENV))) {
            fail(why + ", and " + CI_ENV + "=true: CI installs every tool the tests need");
        }
        System.out.println("skipped: " + why);
        assumeTrue(false, why);
    }
}
