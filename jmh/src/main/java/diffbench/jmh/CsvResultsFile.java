package diffbench.jmh;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * `results/<gpu-slug>.csv`: rows merged by cell key (a re-run cell replaces its rows, every other row
 * stays, columns this version does not know are kept), written whole to a temporary file and renamed
 * over the old one, so a run killed at any moment leaves either the old or the new file. A file that
 * is not a diffbench results file is never overwritten. Stand-in for diffbench.schema.ResultsFile.
 */
final class CsvResultsFile {

    /** The target exists but is not ours (foreign columns, broken quoting): left as it is. */
    static final class NotAResultsFileException extends RuntimeException {
        NotAResultsFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final CSVFormat WRITE = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();
    private static final CSVFormat READ = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();

    private final Path file;
    private final List<String> columns;
    private final List<String> keyColumns;

    CsvResultsFile(Path file, List<String> columns, List<String> keyColumns) {
        this.file = file;
        this.columns = columns;
        this.keyColumns = keyColumns;
    }

    Path path() {
        return file;
    }

    /** Fails before any benchmark runs when the target could not be merged into. */
    void check() {
        read();
    }

    /** Replaces the rows of the cells in `rows` and writes the file atomically. */
    void merge(List<Map<String, String>> rows) {
        Existing existing = read();
        Set<List<String>> replaced = new LinkedHashSet<>();
        rows.forEach(r -> replaced.add(key(r)));
        List<Map<String, String>> merged = new ArrayList<>();
        for (Map<String, String> old : existing.rows) {
            if (!replaced.contains(key(old))) {
                merged.add(old);
            }
        }
        merged.addAll(rows);
        LinkedHashSet<String> header = new LinkedHashSet<>(columns);
        header.addAll(existing.header);
        write(List.copyOf(header), merged);
    }

    private List<String> key(Map<String, String> row) {
        return keyColumns.stream().map(c -> row.getOrDefault(c, "")).toList();
    }

    private record Existing(List<String> header, List<Map<String, String>> rows) {}

    private Existing read() {
        try {
            if (!Files.exists(file) || Files.size(file) == 0) {
                return new Existing(List.of(), List.of());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder().setReader(r).setFormat(READ).get()) {
            List<String> header = parser.getHeaderNames();
            List<String> missing = keyColumns.stream().filter(c -> !header.contains(c)).toList();
            if (!header.contains("schema_version") || !missing.isEmpty()) {
                throw refuse("it lacks the columns " + (missing.isEmpty() ? List.of("schema_version") : missing), null);
            }
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord rec : parser) {
                if (!rec.isConsistent()) {
                    throw refuse("line " + parser.getCurrentLineNumber() + " has " + rec.size() + " fields, the header "
                            + header.size(), null);
                }
                rows.add(new LinkedHashMap<>(rec.toMap()));
            }
            return new Existing(header, rows);
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw refuse("it cannot be read as CSV (" + e.getMessage() + ")", e);
        }
    }

    private NotAResultsFileException refuse(String why, Throwable cause) {
        return new NotAResultsFileException(file + " is not a diffbench results file: " + why
                + ". It was left untouched; move it away or choose another file with -Dresults=PATH.", cause);
    }

    private void write(List<String> header, List<Map<String, String>> rows) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                        CSVPrinter p = new CSVPrinter(w, WRITE)) {
                    p.printRecord(header);
                    for (Map<String, String> row : rows) {
                        p.printRecord(header.stream().map(c -> row.getOrDefault(c, "")).toList());
                    }
                }
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true); // on disk before the rename makes it the results file
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
