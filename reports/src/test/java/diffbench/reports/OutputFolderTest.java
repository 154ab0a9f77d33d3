package diffbench.reports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reports written to one folder at once take turns instead of deleting each other's staging folder. */
class OutputFolderTest {
    @TempDir
    Path dir;

    @Test
    void aSecondReportToTheSameFolderWaitsForTheFirstThenReplacesIt() throws Exception {
        Path out = dir.resolve("report");
        OutputFolder first = new OutputFolder(out);
        first.write("index.md", Pages.MARKER + "\nfirst\n");
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try {
                OutputFolder f = new OutputFolder(out);
                f.write("index.md", Pages.MARKER + "\nsecond\n");
                f.commit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // whether or not the second has started yet, it cannot have finished while the first holds its turn
        assertFalse(second.isDone() || waitsOut(second), "the second report finished while the first was being written");
        first.commit(); // before the turns, the second's start had removed this report's staging folder
        second.get(60, TimeUnit.SECONDS);
        assertEquals("second", Files.readAllLines(out.resolve("index.md")).get(1));
        try (Stream<Path> left = Files.list(out)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".report-")), "no staging folder left");
        }
    }

    /** Gives the other thread time to get as far as it can; true if it completed meanwhile. */
    private static boolean waitsOut(CompletableFuture<Void> f) {
        try {
            f.get(1, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return f.isDone();
        }
    }
}
