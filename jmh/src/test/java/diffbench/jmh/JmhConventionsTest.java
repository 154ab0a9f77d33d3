package diffbench.jmh;

import diffbench.cli.DiffbenchCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What JMH users expect of a harness: profilers passed through, forks under a launcher, one version. */
class JmhConventionsTest {

    @TempDir
    Path dir;

    @Test
    void profilersReachTheJsonAndForksRunUnderTheLauncher() throws Exception {
        Path csv = dir.resolve("cpu-smoke.csv");
        Path launched = dir.resolve("launched");
        String launcher = "sh -c 'echo \"$@\" > " + launched + "; exec \"$0\" \"$@\"'";
        assertEquals(0, HarnessMain.run("--results=" + csv, "--device=cpu", "--pipelines=sd-txt2img", "--batches=1",
                "--modes=eager", "--steps=2", "--warmups=0", "--measurements=1", "--prof=gc", "--launcher=" + launcher));
        assertEquals(1, Results.read(csv).size());
        String json = Files.readString(dir.resolve("cpu-smoke.jmh.json"));
        assertTrue(json.contains("\"gc.alloc.rate\""), "JMH's gc profiler's figures: " + json);
        assertTrue(Files.readString(launched).contains("org.openjdk.jmh.runner.ForkedMain"), "the fork ran under the launcher");
    }

    @Test
    void aProfilerJmhCannotStartIsRefusedBeforeAnyCell() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(HarnessMain.USAGE, HarnessMain.run("--results=" + dir.resolve("x.csv"), "--device=cpu",
                    "--pipelines=sd-txt2img", "--batches=1", "--modes=eager", "--prof=gc,no-such-profiler"));
        } finally {
            System.setErr(saved);
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("diffbench: --prof no-such-profiler: "), err.toString());
        assertTrue(Files.notExists(dir.resolve("x.csv")), "no cell ran");
    }

    @Test
    void everyToolPrintsThePomsVersion() throws Exception {
        Matcher m = Pattern.compile("<artifactId>diffbench-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of(System.getProperty("diffbench.root", "."), "pom.xml")));
        assertTrue(m.find());
        String version = m.group(1);
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, HarnessMain.run("--version"));
        } finally {
            System.setOut(saved);
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("diffbench-harness " + version), out.toString());
        StringWriter cli = new StringWriter();
        picocli.CommandLine tool = DiffbenchCommand.commandLine().setOut(new PrintWriter(cli));
        assertEquals(0, tool.execute("--version"));
        assertTrue(cli.toString().startsWith("diffbench " + version), cli.toString());
    }

    @Test
    void messagesNameOptionsAsTheUserTypedThem() {
        assertEquals("--cell-timeout must be positive", OptionNames.inMessage("--cell-timeout must be positive"));
        System.setProperty(OptionNames.VIA_PROPERTY, "maven");
        try {
            assertEquals("-DcellTimeout must be positive; see -Dbatches, not --verbose",
                    OptionNames.inMessage("--cell-timeout must be positive; see --batches, not --verbose"));
        } finally {
            System.clearProperty(OptionNames.VIA_PROPERTY);
        }
    }
}
