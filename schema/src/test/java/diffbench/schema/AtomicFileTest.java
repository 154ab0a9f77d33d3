package diffbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void removesOnlyTheTempsOfItsOwnTarget() throws Exception {
        Path target = dir.resolve("h100[1].csv"); // glob characters in the name are taken literally
        Files.writeString(target, "kept");
        Path mine = AtomicFile.tempBeside(target);
        Path sibling = AtomicFile.tempBeside(dir.resolve("h100[1].jmh.json"));
        Path lookalike = Files.writeString(dir.resolve(".h1001.csv.7.tmp"), "other");
        Path userFile = Files.writeString(dir.resolve("h100[1].csv.tmp"), "not a temp of ours");

        assertTrue(mine.getFileName().toString().startsWith(".h100[1].csv."), mine.toString());
        assertEquals(List.of(mine), AtomicFile.removeLeftovers(target));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(lookalike, sibling, target, userFile).stream().sorted().toList(), left.sorted().toList());
        }
        assertEquals("kept", Files.readString(target));
    }

    /** Harnesses for two GPUs of one box merge into the same card's CSV: every cell of both stays. */
    @Test
    void mergesAtTheSameTimeLoseNoRows() throws Exception {
        Path csv = dir.resolve("h200.csv");
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (String mode : List.of("eager", "compiled")) {
                runs.add(two.submit(() -> {
                    for (int batch = 1; batch <= 25; batch++) {
                        ResultsFile.merge(csv, List.of(ResultRows.row("sd-txt2img", batch, mode).build()));
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            two.shutdownNow();
        }
        assertEquals(50, ResultsFile.read(csv).size());
    }

    @Test
    void anUnwritableFolderIsOneLineWithTheFix() throws Exception {
        Path blocker = Files.writeString(dir.resolve("results"), "a file where the folder should be");
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> AtomicFile.lock(blocker.resolve("x.csv")));
        // no permission makes a file a folder (issue 16: it used to say "make <the file> writable")
        assertEquals("cannot write " + blocker.resolve("x.csv") + ": " + blocker + " is a file, not a folder; "
                + "choose another results path", e.getMessage());
        try (AtomicFile.Lock again = AtomicFile.lock(dir.resolve("x.csv"))) {
            assertTrue(Files.exists(dir.resolve(".x.csv.lock")), "the failed attempt released what it held");
        }
    }

    /** The rename hands the temp's permissions on: a results file is readable by others, and keeps what its owner set. */
    @Test
    void aReplacedFileKeepsReadablePermissions() throws Exception {
        Path csv = dir.resolve("h200.csv");
        ResultsFile.write(csv, List.of(ResultRows.row("sd-txt2img", 1, "eager").build()));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(csv)));
        Files.setPosixFilePermissions(csv, PosixFilePermissions.fromString("rw-rw----"));
        ResultsFile.merge(csv, List.of(ResultRows.row("sd-txt2img", 4, "eager").build()));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(csv)));
    }

    @Test
    void aMissingFolderHasNothingToRemove() throws Exception {
        assertEquals(List.of(), AtomicFile.removeLeftovers(dir.resolve("absent/x.csv")));
    }
}
