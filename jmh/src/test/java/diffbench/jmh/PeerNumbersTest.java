package diffbench.jmh;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The peer writes its figures as the harness does: results_csv.number (python3, no torch) against
 * CellRows.number on the same doubles, exact halves, signed zero and the extremes included.
 */
class PeerNumbersTest {
    private static final Path PEER = Path.of("..", "peer").toAbsolutePath().normalize();

    @Test
    void figuresAreWrittenAlike() throws Exception {
        double[] values = {0, -0.0, 0.5, -3.5, 0.1, 1.0 / 3, 21.123456789, 41.23456, 0.0123456789, 2.5e-7, 1234567.0,
                1234565.0, 123456.5, 99999950.0, 12.34565, 1e21, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY};
        List<String> args = new ArrayList<>(List.of("python3", "-c",
                "import sys; sys.path.insert(0, sys.argv[1]); import results_csv as r\n"
                        + "print('\\n'.join('[' + r.number(float(v)) + ']' for v in sys.argv[2:]))",
                PEER.toString()));
        List<String> java = new ArrayList<>();
        for (double v : values) {
            args.add(Double.toString(v).replace("Infinity", "inf"));
            java.add("[" + CellRows.number(v) + "]");
        }
        Process p;
        try {
            p = new ProcessBuilder(args).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no python3 (" + e.getMessage() + "): the peer's number() cannot run");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 finished");
        assertEquals(0, p.exitValue(), out);
        assertEquals(java, out.strip().lines().toList());
    }
}
