package diffbench.jmh;

import diffbench.schema.AtomicFile;
import diffbench.schema.Outcome;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The results file is never damaged: foreign or corrupt files are refused, a killed run keeps its rows. */
class ResultsFileSafetyTest {

    @TempDir
    Path dir;

    private static String refusal(Path csv) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(HarnessMain.RESULTS_REFUSED, HarnessMain.run("--results=" + csv, "--device=cpu",
                    "--pipelines=sd-txt2img", "--batches=1", "--modes=eager"));
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aForeignCsvIsLeftUntouchedWithAClearError() throws Exception {
        Path csv = dir.resolve("foreign.csv");
        byte[] before = "name,score\nresnet,12.5\n".getBytes(StandardCharsets.UTF_8);
        Files.write(csv, before);
        String message = refusal(csv);
        assertArrayEquals(before, Files.readAllBytes(csv));
        assertTrue(message.contains(csv + ":1: not a diffbench results CSV"), message);
        assertTrue(message.contains("left untouched"), message);
        assertTrue(message.contains("--results=PATH"), "the message names the way out: " + message);
        assertFalse(Files.exists(dir.resolve("foreign.jmh.json")), "nothing ran");
    }

    @Test
    void aCorruptCsvIsLeftUntouchedWithAClearError() throws Exception {
        Path csv = dir.resolve("corrupt.csv");
        byte[] before = (String.join(",", ResultColumn.headers()) + "\n1,cpu-smoke,\"unterminated quote\n")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(csv, before);
        String message = refusal(csv);
        assertArrayEquals(before, Files.readAllBytes(csv));
        assertTrue(message.contains(csv + ":2: the row starting on this line cannot be read"), message);
        assertTrue(message.contains("EOF reached before encapsulated token finished"), message);
        assertTrue(message.contains("left untouched"), message);
    }

    @Test
    void aCorruptJmhJsonNextToTheCsvIsRefusedToo() throws Exception {
        Path csv = dir.resolve("x.csv");
        byte[] before = "{not json".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("x.jmh.json"), before);
        String message = refusal(csv);
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("x.jmh.json")));
        assertTrue(message.contains("is not a JMH JSON result file (Expected ':' at line 1 column 7"), message);
        assertFalse(message.contains("Troubleshooting") || message.contains("MalformedJsonException"), message);
        assertTrue(message.contains("--results=PATH"), message);
    }

    /** What the harness printed to stdout and stderr, and its exit status. */
    private record Said(int status, String out, String err) {}

    private static Said harness(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int status = HarnessMain.run(args);
            return new Said(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Issue 16 item 7: a results file that cannot be replaced is refused before the first cell, not after it. */
    @Test
    void anImmutableResultsFileIsRefusedBeforeAnyCellRuns() throws Exception {
        Path csv = Files.writeString(dir.resolve("frozen.csv"), "");
        Process chattr = new ProcessBuilder("chattr", "+i", csv.toString()).redirectErrorStream(true).start();
        Assumptions.assumeTrue(chattr.waitFor(10, TimeUnit.SECONDS) && chattr.exitValue() == 0,
                "chattr +i works here (root on ext4/xfs/btrfs)");
        try {
            Said said = harness("--results=" + csv, "--device=cpu", "--pipelines=sd-txt2img", "--batches=1",
                    "--modes=eager", "--steps=2", "--warmups=0", "--measurements=1");
            assertEquals(HarnessMain.RESULTS_REFUSED, said.status(), said.err());
            assertTrue(said.err().contains("cannot replace " + csv + ": Operation not permitted"), said.err());
            assertFalse(said.out().contains(" cells, profile "), "no cell ran: " + said.out());
        } finally {
            new ProcessBuilder("chattr", "-i", csv.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Issue 16 item 8: a file where a folder should be is named as such, not as a folder to make writable. */
    @Test
    void aResultsPathThroughAFileNamesTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("passwd"), "root:x:0:0");
        Said said = harness("--results=" + file.resolve("x.csv"), "--device=cpu", "--pipelines=sd-txt2img",
                "--batches=1", "--modes=eager");
        assertEquals(HarnessMain.RESULTS_REFUSED, said.status(), said.err());
        assertTrue(said.err().contains(file + " is a file, not a folder; choose another results path"), said.err());
        assertFalse(said.err().contains("make " + file + " writable"), said.err());
    }

    /** Runs the harness as its own process, kills it (and its fork) once the first row is written. */
    @Test
    void killingTheRunMidwayLeavesEveryFinishedRowIntact() throws Exception {
        Path csv = dir.resolve("killed.csv");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                "-Ddiffbench.root=" + System.getProperty("diffbench.root", "."),
                HarnessMain.class.getName(),
                "--results=" + csv, "--device=cpu", "--pipelines=sd-txt2img", "--batches=1,2,3,4,5,6",
                "--modes=eager", "--steps=2", "--warmups=0", "--measurements=1"));
        Process harness = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("harness.log").toFile()).start();
        List<ResultRow> seen = List.of();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (seen.isEmpty() && System.nanoTime() < deadline && harness.isAlive()) {
                Thread.sleep(100);
                if (Files.exists(csv)) {
                    seen = Results.read(csv);
                }
            }
            assertTrue(harness.isAlive(), "the run was still going when killed");
        } finally {
            harness.descendants().forEach(ProcessHandle::destroyForcibly);
            harness.destroyForcibly();
            harness.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(seen.isEmpty(), "a first row appeared: " + Files.readString(dir.resolve("harness.log")));

        List<ResultRow> after = Results.read(csv);
        assertTrue(after.size() >= seen.size() && after.size() < 6, after.size() + " rows");
        for (ResultRow row : seen) {
            assertTrue(after.contains(row), "row kept: " + row);
        }
        after.forEach(r -> assertEquals(Outcome.OK, r.outcome()));

        // a kill between writing a temp and renaming it leaves the temp: the next run sweeps it
        Files.writeString(AtomicFile.tempBeside(csv), "half a row");
        Files.writeString(AtomicFile.tempBeside(JmhJsonFile.nextTo(csv).path()), "[{");
        Path unrelated = Files.writeString(dir.resolve(".other.csv.1.tmp"), "not ours");
        assertEquals(0, HarnessMain.run("--results=" + csv, "--device=cpu", "--pipelines=sd-txt2img", "--batches=1",
                "--modes=eager", "--steps=2", "--warmups=0", "--measurements=1", "--remeasure"));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(unrelated), left.filter(p -> p.toString().endsWith(".tmp")).toList(),
                    "the temps of the killed run are gone, other files are not");
        }
        List<ResultRow> rerun = Results.read(csv);
        assertEquals(after.size(), rerun.size(), "batch 1 replaced its own row");
        for (ResultRow row : after) {
            if (!row.cellKey().equals(rerun.get(0).cellKey())) {
                assertTrue(rerun.contains(row), "row kept: " + row);
            }
        }
    }
}
