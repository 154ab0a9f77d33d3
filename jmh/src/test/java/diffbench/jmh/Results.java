package diffbench.jmh;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/** Reads a results CSV back in tests. */
final class Results {

    private Results() {}

    static List<Map<String, String>> read(Path csv) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader r = Files.newBufferedReader(csv); CSVParser p = CSVParser.builder().setReader(r).setFormat(format).get()) {
            for (CSVRecord rec : p) {
                if (!rec.isConsistent()) {
                    throw new IllegalStateException("inconsistent record " + rec);
                }
                rows.add(new LinkedHashMap<>(rec.toMap()));
            }
        }
        return rows;
    }

    /** Writes rows as a hand edit would (header from the first row's keys). */
    static void write(Path csv, List<Map<String, String>> rows) throws IOException {
        List<String> header = List.copyOf(rows.get(0).keySet());
        try (CSVPrinter p = new CSVPrinter(Files.newBufferedWriter(csv), CSVFormat.DEFAULT)) {
            p.printRecord(header);
            for (Map<String, String> r : rows) {
                p.printRecord(header.stream().map(r::get).toList());
            }
        }
    }

    static Map<String, String> only(List<Map<String, String>> rows, String pipeline, String batch, String mode, String stage) {
        List<Map<String, String>> hits = rows.stream()
                .filter(r -> r.get("pipeline").equals(pipeline) && r.get("batch").equals(batch)
                        && r.get("mode").equals(mode) && r.get("stage").equals(stage))
                .toList();
        if (hits.size() != 1) {
            throw new AssertionError(hits.size() + " rows for " + pipeline + " " + batch + " " + mode + " " + stage + ": " + rows);
        }
        return hits.get(0);
    }
}
