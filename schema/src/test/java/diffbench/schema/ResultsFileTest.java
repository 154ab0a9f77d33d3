package diffbench.schema;

import static diffbench.schema.ResultRows.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFileTest {

    @TempDir
    Path dir;

    @Test
    void writesHeaderInColumnOrderAndReadsBackEqualRows() throws IOException {
        Path file = dir.resolve("h200.csv");
        ResultRow oom = row("sd-controlnet", 16, "compiled").outcome(Outcome.oomAtIteration(2))
                .set(ResultColumn.ITS_MEAN, null)
                .set(ResultColumn.ERROR_MESSAGE, "CUDA out of memory. Tried to allocate 2.00 GiB,\n\"big\"").build();
        List<ResultRow> rows = List.of(row("sd-txt2img", 1, "eager").build(), oom);
        ResultsFile.write(file, rows);

        List<String> lines = Files.readAllLines(file);
        assertEquals(String.join(",", ResultColumn.headers()), lines.get(0));
        assertEquals(rows, ResultsFile.read(file), "quotes, commas and newlines survive");
    }

    @Test
    void mergeReplacesSameKeyInPlaceAndKeepsOthers() throws IOException {
        Path file = dir.resolve("h200.csv");
        ResultRow a = row("sd-txt2img", 1, "eager").build();
        ResultRow b = row("sd-txt2img", 1, "compiled").build();
        ResultRow c = row("sd-img2img", 1, "eager").build();
        ResultsFile.merge(file, List.of(a, b, c));

        ResultRow bAgain = b.toBuilder().set(ResultColumn.ITS_MEAN, 44.0).build();
        ResultRow d = row("sd-inpaint", 4, "eager").build();
        List<ResultRow> merged = ResultsFile.merge(file, List.of(d, bAgain));

        assertEquals(List.of(a, bAgain, c, d), merged, "replaced row keeps its place, new rows append");
        assertEquals(merged, ResultsFile.read(file));
    }

    @Test
    void mergeReplacesEveryRowOfACellTogether() {
        ResultRow sd = row("sd-txt2img", 1, "eager").build();
        List<ResultRow> stages = List.of(stage("I"), stage("II"), stage("III"));
        ResultRow other = row("sd-img2img", 1, "eager").build();
        List<ResultRow> before = List.of(sd, stages.get(0), stages.get(1), stages.get(2), other);

        // the IF cell now runs out of memory: its one row without a stage replaces all three
        ResultRow failed = row("if", 1, "eager").outcome(Outcome.OOM_AT_LOAD).set(ResultColumn.ITS_MEAN, null).build();
        List<ResultRow> afterFailure = ResultsFile.merge(before, List.of(failed));
        assertEquals(List.of(sd, failed, other), afterFailure, "the new row takes the cell's place");

        // and when it runs again, its three stage rows replace the one
        assertEquals(before, ResultsFile.merge(afterFailure, stages));
    }

    @Test
    void cellsOfOtherCardsOrEnginesAreNotReplaced() {
        ResultRow h200 = row("sd-txt2img", 1, "eager").build();
        ResultRow t4 = h200.toBuilder().set(ResultColumn.GPU_SLUG, "t4").set(ResultColumn.ITS_MEAN, 3).build();
        ResultRow newerTorch = h200.toBuilder().set(ResultColumn.LIBTORCH, "2.11.0").build();
        assertEquals(List.of(h200, t4, newerTorch), ResultsFile.merge(List.of(h200), List.of(t4, newerTorch)));
    }

    @Test
    void handAddedColumnsSurviveAMerge() throws IOException {
        Path file = dir.resolve("h200.csv");
        ResultsFile.write(file, List.of(row("sd-txt2img", 1, "eager").build(), stage("I"), stage("II")));
        List<String> lines = Files.readAllLines(file);
        StringBuilder edited = new StringBuilder(lines.get(0)).append(",note\n");
        lines.subList(1, lines.size()).forEach(l -> edited.append(l).append(",checked by hand\n"));
        Files.writeString(file, edited);

        List<ResultRow> merged = ResultsFile.merge(file, List.of(row("if", 1, "eager").outcome(Outcome.ERROR).build()));
        assertEquals(Map.of("note", "checked by hand"), merged.get(0).extra());
        assertEquals(Map.of(), merged.get(1).extra(), "the re-run cell's row is new");
        List<String> written = Files.readAllLines(file);
        assertEquals(String.join(",", ResultColumn.headers()) + ",note", written.get(0));
        assertTrue(written.get(1).endsWith(",checked by hand"), written.get(1));
        assertTrue(written.get(2).endsWith(","), written.get(2));
        assertEquals(merged, ResultsFile.read(file));
    }

    private static ResultRow stage(String stage) {
        return row("if", 1, "eager").set(ResultColumn.STAGE, stage).build();
    }

    @Test
    void mergeOfEqualNewKeysKeepsTheLast() {
        ResultRow first = row("if", 1, "eager").set(ResultColumn.ITS_MEAN, 1).build();
        ResultRow second = first.toBuilder().set(ResultColumn.ITS_MEAN, 2).build();
        assertEquals(List.of(second), ResultsFile.merge(List.of(), List.of(first, second)));
    }

    @Test
    void writeLeavesNoTempFilesBehind() throws IOException {
        Path file = dir.resolve("cpu-smoke.csv");
        ResultsFile.merge(file, List.of(row("sd-txt2img", 1, "eager").build()));
        ResultsFile.merge(file, List.of(row("sd-txt2img", 4, "eager").build()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(".cpu-smoke.csv.lock"), file), files.sorted().toList(),
                    "the CSV and the lock runs on other GPUs share (kept, empty)");
        }
        assertEquals(0, Files.size(dir.resolve(".cpu-smoke.csv.lock")));
    }

    @Test
    void missingColumnNamesFileLineAndFix() throws IOException {
        Path file = dir.resolve("results/h200.csv");
        Files.createDirectories(file.getParent());
        String header = String.join(",", ResultColumn.headers()).replace(",its_mean", "");
        Files.writeString(file, header + "\n");
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> ResultsFile.read(file));
        assertEquals(file + ":1: missing column its_mean (written by an older diffbench? regenerate it)", e.getMessage());
    }

    @Test
    void newerSchemaVersionNamesTheLine() throws IOException {
        Path file = dir.resolve("h200.csv");
        ResultsFile.write(file, List.of(row("sd-txt2img", 1, "eager").build(), row("sd-txt2img", 4, "eager").build()));
        String text = Files.readString(file);
        int third = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
        int newer = ResultColumn.SCHEMA_VERSION + 1;
        Files.writeString(file, text.substring(0, third) + newer + text.substring(third + 1));
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> ResultsFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":3: schema_version " + newer + " is newer than this diffbench reads ("
                + ResultColumn.SCHEMA_VERSION + ")"), e.getMessage());
    }

    /** A file from before load_seconds and warmup_seconds (schema 1): its rows read, and merge, with them empty. */
    @Test
    void readsAndMergesAFileWrittenBeforeTheNewestColumns() throws IOException {
        Path file = dir.resolve("h200.csv");
        ResultRow old = row("sd-txt2img", 1, "eager").set(ResultColumn.SCHEMA_VERSION_COLUMN, 1).build();
        ResultsFile.write(file, List.of(old));
        List<String> lines = Files.readAllLines(file);
        int kept = ResultColumn.UNET_CALLS_PER_IMAGE.ordinal() + 1;
        Files.write(file, lines.stream().map(l -> String.join(",", List.of(l.split(",", -1)).subList(0, kept))).toList());

        old = RowUpgrade.toCurrentMeaning(old); // read with today's meaning: an eager row's compiler is none
        assertEquals(List.of(old), ResultsFile.read(file));
        ResultRow fresh = row("sd-txt2img", 4, "eager").set(ResultColumn.LOAD_SECONDS, 2.5)
                .set(ResultColumn.WARMUP_SECONDS, 61.0).build();
        assertEquals(List.of(old, fresh), ResultsFile.merge(file, List.of(fresh)));
        assertEquals(String.join(",", ResultColumn.headers()), Files.readAllLines(file).get(0), "written with every column");
        assertEquals(List.of(old, fresh), ResultsFile.read(file));
    }

    /** A schema 4 file lacks peak_reserved_mib, images_per_second and joules_per_image: it reads with them empty. */
    @Test
    void readsASchema4FileWithoutTheThroughputColumns() throws IOException {
        Path file = dir.resolve("h200.csv");
        ResultRow old = row("sd-txt2img", 2, "compiled").set(ResultColumn.SCHEMA_VERSION_COLUMN, 4)
                .set(ResultColumn.COMPILER, "aotinductor").set(ResultColumn.SECONDS_PER_CALL_MEAN, 4.0)
                .set(ResultColumn.GPU_POWER_W, 500).build();
        ResultsFile.write(file, List.of(old));
        int kept = ResultColumn.COMPILE_CACHE.ordinal() + 1;
        Files.write(file, Files.readAllLines(file).stream()
                .map(l -> String.join(",", List.of(l.split(",", -1)).subList(0, kept))).toList());

        ResultRow read = ResultsFile.read(file).get(0);
        assertEquals(old, read);
        assertEquals("", read.get(ResultColumn.PEAK_RESERVED_MIB), "not measured before schema 5");
        assertEquals(0.5, ImageThroughput.imagesPerSecond(read).getAsDouble(), 1e-12, "computed for the older row");
        assertEquals(1000, ImageThroughput.joulesPerImage(read).getAsDouble(), 1e-9);
    }

    @Test
    void aCurrentRowNeedsEveryColumn() throws IOException {
        Path file = dir.resolve("h200.csv");
        ResultsFile.write(file, List.of(row("sd-txt2img", 1, "eager").build()));
        Files.write(file, Files.readAllLines(file).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> ResultsFile.read(file));
        assertEquals(file + ":1: missing column joules_per_image (written by an older diffbench? regenerate it)", e.getMessage());
    }

    @Test
    void lineNumbersCountQuotedNewlines() throws IOException {
        Path file = dir.resolve("h200.csv");
        ResultRow multiLine = row("sd-txt2img", 1, "eager").outcome(Outcome.ERROR)
                .set(ResultColumn.ERROR_MESSAGE, "line one\nline two\nline three").build();
        ResultsFile.write(file, List.of(multiLine, row("sd-txt2img", 4, "eager").set(ResultColumn.BATCH, "4").build()));
        String text = Files.readString(file).replace(",4,eager,", ",four,eager,");
        Files.writeString(file, text);
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> ResultsFile.read(file));
        assertEquals(file + ":5: column batch: 'four' is not an integer", e.getMessage());
    }

    @Test
    void shortRowNamesTheLine() throws IOException {
        Path file = dir.resolve("h200.csv");
        Files.writeString(file, String.join(",", ResultColumn.headers()) + "\n1,h200,NVIDIA H200\n");
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> ResultsFile.read(file));
        assertEquals(file + ":2: 3 fields where the header has " + ResultColumn.values().length, e.getMessage());
    }

    /** Issue 16 item 8: one broken row is named by its line, not the file called foreign at line 1. */
    @Test
    void aBrokenRowIsNamedByItsLine() throws IOException {
        Path file = dir.resolve("h200.csv");
        ResultsFile.write(file, List.of(row("sd-txt2img", 1, "eager").build(), row("sd-txt2img", 2, "eager").build()));
        byte[] before = (Files.readString(file) + "3,h200,\"unterminated\n").getBytes(StandardCharsets.UTF_8);
        Files.write(file, before);
        ResultsFileException e = assertThrows(ResultsFileException.class, () -> ResultsFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":4: the row starting on this line cannot be read ("), e.getMessage());
        assertTrue(e.getMessage().contains("EOF reached before encapsulated token finished"), e.getMessage());
        assertTrue(e.getMessage().endsWith("the file was left untouched: fix or delete that row, or choose another results file"),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    /** Issue 16 item 8: a spreadsheet's "CSV UTF-8" export starts with a byte-order mark; its rows read as any. */
    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumn() throws IOException {
        Path file = dir.resolve("h200.csv");
        List<ResultRow> rows = List.of(row("sd-txt2img", 1, "eager").build());
        ResultsFile.write(file, rows);
        Files.writeString(file, "\uFEFF" + Files.readString(file));
        assertEquals(rows, ResultsFile.read(file));
    }

    @Test
    void foreignCsvIsRefusedAndLeftUntouched() throws IOException {
        Path file = dir.resolve("h200.csv");
        byte[] foreign = "name,score\nalice,3\n".getBytes(StandardCharsets.UTF_8);
        Files.write(file, foreign);
        ResultsFileException e = assertThrows(ResultsFileException.class,
                () -> ResultsFile.merge(file, List.of(row("sd-txt2img", 1, "eager").build())));
        assertTrue(e.getMessage().startsWith(file + ":1: not a diffbench results CSV"), e.getMessage());
        assertTrue(e.getMessage().contains("left untouched"), e.getMessage());
        assertArrayEquals(foreign, Files.readAllBytes(file));
    }

    @Test
    void binaryFileIsRefusedAndLeftUntouched() throws IOException {
        Path file = dir.resolve("h200.csv");
        byte[] binary = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, (byte) 0xfe, '\n', 1, 2};
        Files.write(file, binary);
        ResultsFileException e = assertThrows(ResultsFileException.class,
                () -> ResultsFile.merge(file, List.of(row("sd-txt2img", 1, "eager").build())));
        assertTrue(e.getMessage().contains("not a diffbench results CSV"), e.getMessage());
        assertArrayEquals(binary, Files.readAllBytes(file));
    }

    @Test
    void unwritableFolderGivesOneLineWithTheFix() throws IOException {
        // runs as root in CI, where permissions do not bind: a file standing where the folder should be does
        Path blocker = Files.writeString(dir.resolve("results"), "not a folder");
        Path file = blocker.resolve("h200.csv");
        ResultsFileException e = assertThrows(ResultsFileException.class,
                () -> ResultsFile.write(file, List.of(row("sd-txt2img", 1, "eager").build())));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot write " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(blocker + " is a file, not a folder; choose another results path"), e.getMessage());
    }

    @Test
    void invalidRowsAreNotWritten() {
        Path file = dir.resolve("h200.csv");
        ResultRow bad = row("sd-txt2img", 1, "eager").set(ResultColumn.OUTCOME, "crashed").build();
        assertThrows(IllegalArgumentException.class, () -> ResultsFile.write(file, List.of(bad)));
        assertFalse(Files.exists(file));
    }

    @Test
    void emptyFileHasNoRows() throws IOException {
        Path file = Files.createFile(dir.resolve("h200.csv"));
        assertEquals(List.of(), ResultsFile.read(file));
    }
}
