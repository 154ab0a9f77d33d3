package diffbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --fail-if-slower PERCENT}: the report as a CI gate. The baseline is the peer fixture with
 * diffbench eager faster (25 it/s, now 20: -20%) and the max-autotune cell finishing (now an OOM).
 */
class RegressionGateTest {
    private static final Path FIXTURE = Path.of("src/test/resources/fixtures/peer-results/h100.csv");

    @TempDir
    Path dir;

    @Test
    void cellsSlowerThanTheThresholdOrNoLongerFinishingFailTheRun() throws Exception {
        Path baseline = baseline();
        Run strict = report("--baseline", baseline.toString(), "--fail-if-slower", "5");
        assertEquals(ReportMain.REGRESSED, strict.exit(), strict.err());
        assertEquals(List.of(
                "diffbench-reports: regression: h100 · libtorch 2.11.0 (own JNI) eager: sd-txt2img batch 1 (fp16, sdpa attention, 50 steps): "
                        + "25.00 -> 20.00 it/s (-20.0%)",
                "diffbench-reports: regression: h100 · PyTorch 2.11.0 compile max-autotune-no-cudagraphs (Python): sd-txt2img batch 1 "
                        + "(fp16, sdpa attention, 50 steps): 10.00 it/s before, now OOM after 2nd iteration",
                "diffbench-reports: 2 cell(s) slower by more than 5% than the baseline, or no longer finishing"), strict.err().lines().toList());
        assertTrue(Files.exists(dir.resolve("out/h100.html")), "the report is written all the same");
    }

    @Test
    void aLooserThresholdLetsTheSlowerCellPass() throws Exception {
        Path baseline = baseline();
        Run loose = report("--baseline", baseline.toString(), "--fail-if-slower", "25");
        assertEquals(ReportMain.REGRESSED, loose.exit(), "the OOM still counts: " + loose.err());
        assertEquals(1, loose.err().lines().filter(l -> l.startsWith("diffbench-reports: regression: ")).count(), loose.err());
        Run same = report("--baseline", FIXTURE.getParent().toString(), "--fail-if-slower", "0");
        assertEquals(0, same.exit(), same.err());
        assertTrue(same.out().contains("no cell slower by more than 0% than the baseline"), same.out());
    }

    @Test
    void theGateNeedsABaseline() throws Exception {
        Run alone = report("--fail-if-slower", "5");
        assertEquals(2, alone.exit());
        assertEquals("diffbench-reports: --fail-if-slower needs --baseline DIR and a percentage of 0 or more, e.g. --fail-if-slower 5",
                alone.err().strip());
    }

    private Path baseline() throws Exception {
        Path baseline = Files.createDirectories(dir.resolve("before"));
        List<String> lines = new ArrayList<>(Files.readAllLines(FIXTURE));
        lines.set(1, lines.get(1).replace(",ok,,20.0,", ",ok,,25.0,"));
        lines.replaceAll(l -> l.contains(",python-compile-max-autotune-no-cudagraphs,")
                ? l.replace(",oom-at-iteration-2,CUDA out of memory,,", ",ok,,10.0,") : l);
        Files.write(baseline.resolve("h100.csv"), lines);
        return baseline;
    }

    private record Run(int exit, String out, String err) {}

    private Run report(String... options) {
        List<String> args = new ArrayList<>(List.of("--results", FIXTURE.getParent().toString(),
                "--profiles", Fixtures.PROFILES.toString(), "--out", dir.resolve("out").toString()));
        args.addAll(List.of(options));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new ReportMain()).execute(args.toArray(String[]::new));
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
