package diffbench.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void aMissingFolderHasNothingToRemove() throws Exception {
        assertEquals(List.of(), AtomicFile.removeLeftovers(dir.resolve("absent/x.csv")));
    }
}
