package diffbench.schema;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads, merges and writes results CSVs. Writing is atomic (a temp file in the same folder, then a
 * rename), so a crash mid-write or a foreign file at the target never costs earlier results.
 * Merging replaces whole cells ({@link ResultRow#cellKey()}), since one cell may write a row per stage.
 */
public final class ResultsFile {

    private static final CSVFormat READ = CSVFormat.DEFAULT.builder()
            .setHeader().setSkipHeaderRecord(true).get();
    private static final CSVFormat WRITE = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    private ResultsFile() {
    }

    /** Reads every row, checking the header, the schema version and each cell. An empty file has no rows. */
    public static List<ResultRow> read(Path file) throws IOException {
        if (Files.size(file) == 0) {
            return List.of();
        }
        List<Numbered> records = new ArrayList<>();
        List<String> header = null;
        long linesBefore = 0;
        try (Reader reader = newStrictReader(file);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(READ).get()) {
            header = parser.getHeaderNames();
            linesBefore = parser.getCurrentLineNumber();
            for (CSVRecord record : parser) {
                // a quoted cell may span lines: the record starts on the line after the previous one ended
                records.add(new Numbered(linesBefore + 1, record));
                linesBefore = parser.getCurrentLineNumber();
            }
        } catch (CharacterCodingException e) {
            throw notOurs(file, "it is not UTF-8 text");
        } catch (UncheckedIOException e) {
            // the parser's iterator wraps what the reader throws
            if (e.getCause() instanceof CharacterCodingException) {
                throw notOurs(file, "it is not UTF-8 text");
            }
            throw brokenRow(file, header, linesBefore + 1, e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Commons CSV reports duplicate or broken headers and unbalanced quotes this way
            throw brokenRow(file, header, linesBefore + 1, e.getMessage());
        }
        if (!header.contains(ResultColumn.SCHEMA_VERSION_COLUMN.header())) {
            throw notOurs(file, "its first line has no " + ResultColumn.SCHEMA_VERSION_COLUMN + " column");
        }
        int newestRow = checkVersions(file, records);
        for (ResultColumn c : ResultColumn.values()) {
            // a column newer than every row of the file was not there to write: it reads as empty
            if (!header.contains(c.header()) && c.since() <= newestRow) {
                throw new ResultsFileException(file + ":1: missing column " + c
                        + " (written by an older diffbench? regenerate it)");
            }
        }
        List<String> extraColumns = header.stream().filter(h -> ResultColumn.fromHeader(h).isEmpty()).toList();
        List<ResultRow> rows = new ArrayList<>(records.size());
        for (Numbered n : records) {
            rows.add(toRow(file, header.size(), extraColumns, n));
        }
        return rows;
    }

    /**
     * Merges {@code newRows} into {@code existing} cell by cell: every existing row of a cell that
     * {@code newRows} holds is dropped, and that cell's new rows take the place of its first old row
     * (so an IF cell's three stage rows and a failed run's single row replace each other); cells not
     * there before are appended in the order given; every other row stays as it was, in place.
     * Within {@code newRows}, the last row given for a cell and stage wins.
     */
    public static List<ResultRow> merge(List<ResultRow> existing, Collection<ResultRow> newRows) {
        Map<ResultRow.CellKey, Map<String, ResultRow>> fresh = new LinkedHashMap<>();
        for (ResultRow r : newRows) {
            fresh.computeIfAbsent(r.cellKey(), k -> new LinkedHashMap<>()).put(r.stage(), r);
        }
        List<ResultRow> merged = new ArrayList<>(existing.size() + newRows.size());
        Set<ResultRow.CellKey> placed = new HashSet<>();
        for (ResultRow old : existing) {
            Map<String, ResultRow> replacement = fresh.get(old.cellKey());
            if (replacement == null) {
                merged.add(old);
            } else if (placed.add(old.cellKey())) {
                merged.addAll(replacement.values());
            }
        }
        fresh.forEach((key, rows) -> {
            if (!placed.contains(key)) {
                merged.addAll(rows.values());
            }
        });
        return List.copyOf(merged);
    }

    /**
     * Merges {@code newRows} into the file (created if absent) and writes it atomically. A file that
     * cannot be read as results is left untouched and the error says why.
     *
     * @return the rows now in the file
     */
    public static List<ResultRow> merge(Path file, Collection<ResultRow> newRows) throws IOException {
        try (AtomicFile.Lock lock = AtomicFile.lock(file)) {
            List<ResultRow> existing = Files.exists(file) ? read(file) : List.of();
            List<ResultRow> merged = merge(existing, newRows);
            write(file, merged);
            return merged;
        }
    }



    /** Writes exactly these rows, atomically replacing the file. Rows must be valid. */
    public static void write(Path file, List<ResultRow> rows) throws IOException {
        for (ResultRow r : rows) {
            List<String> problems = r.problems();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("refusing to write an invalid row (" + problems.get(0) + "): " + r);
            }
        }
        Path tmp = AtomicFile.tempBeside(file);
        try {
            List<String> extraColumns = extraColumns(rows);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 Writer writer = Channels.newWriter(channel, StandardCharsets.UTF_8);
                 CSVPrinter printer = new CSVPrinter(writer, WRITE)) {
                printer.printRecord(Stream.concat(Arrays.stream(ResultColumn.headers()), extraColumns.stream()).toList());
                for (ResultRow r : rows) {
                    List<String> record = new ArrayList<>(r.cells().values());
                    extraColumns.forEach(c -> record.add(r.extra().getOrDefault(c, "")));
                    printer.printRecord(record);
                }
                printer.flush();
                channel.force(true); // the rename must not publish a file whose bytes are still in flight
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new ResultsFileException("cannot write " + file + ": " + AtomicFile.reason(e) + "; earlier results in it are unchanged", e);
        }
    }

    private record Numbered(long line, CSVRecord record) {
    }

    /** Hand-added columns of any row, after the schema's, in the order they first appear. */
    private static List<String> extraColumns(List<ResultRow> rows) {
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> names.addAll(r.extra().keySet()));
        return List.copyOf(names);
    }

    private static Reader newStrictReader(Path file) throws IOException {
        // Files.newBufferedReader reports malformed input instead of replacing it, so binary files fail fast
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        // a spreadsheet's "CSV UTF-8" export starts with a byte-order mark, which would become part of the first header
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    /** Checks every row's schema_version; returns the newest (1 for a file without rows). */
    private static int checkVersions(Path file, List<Numbered> records) throws ResultsFileException {
        int newest = 1;
        for (Numbered n : records) {
            if (!n.record.isMapped(ResultColumn.SCHEMA_VERSION_COLUMN.header()) || !n.record.isSet(ResultColumn.SCHEMA_VERSION_COLUMN.header())) {
                continue; // reported as a short row below
            }
            String v = n.record.get(ResultColumn.SCHEMA_VERSION_COLUMN.header());
            int version;
            try {
                version = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new ResultsFileException(file + ":" + n.line + ": schema_version '" + v + "' is not a number");
            }
            if (version > ResultColumn.SCHEMA_VERSION) {
                throw new ResultsFileException(file + ":" + n.line + ": schema_version " + version
                        + " is newer than this diffbench reads (" + ResultColumn.SCHEMA_VERSION + "); update diffbench");
            }
            if (version < 1) {
                throw new ResultsFileException(file + ":" + n.line + ": schema_version " + version + " is not valid");
            }
            newest = Math.max(newest, version);
        }
        return newest;
    }

    private static ResultRow toRow(Path file, int headerSize, List<String> extraColumns, Numbered n)
            throws ResultsFileException {
        if (n.record.size() != headerSize) {
            throw new ResultsFileException(file + ":" + n.line + ": " + n.record.size()
                    + " fields where the header has " + headerSize);
        }
        Map<ResultColumn, String> cells = new EnumMap<>(ResultColumn.class);
        for (ResultColumn c : ResultColumn.values()) {
            cells.put(c, n.record.isMapped(c.header()) ? n.record.get(c.header()) : "");
        }
        Map<String, String> extra = new LinkedHashMap<>();
        extraColumns.forEach(c -> extra.put(c, n.record.get(c)));
        ResultRow row = RowUpgrade.toCurrentMeaning(ResultRow.of(cells, extra));
        List<String> problems = row.problems();
        if (!problems.isEmpty()) {
            throw new ResultsFileException(file + ":" + n.line + ": " + problems.get(0));
        }
        return row;
    }

    /** A parse error: in the header, the file is not ours; after it, one row is broken, named by its first line. */
    private static ResultsFileException brokenRow(Path file, List<String> header, long line, String why) {
        if (header == null) {
            return notOurs(file, why);
        }
        return new ResultsFileException(file + ":" + line + ": the row starting on this line cannot be read (" + why
                + "); the file was left untouched: fix or delete that row, or choose another results file");
    }

    private static ResultsFileException notOurs(Path file, String why) {
        return new ResultsFileException(file + ":1: not a diffbench results CSV (" + why
                + "); it was left untouched: move it away or choose another results file");
    }
}
