package diffbench.reports;

import diffbench.schema.GpuSlug;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Reads {@code gpu-profiles/diffusers-published-figures.csv}. */
final class PublishedFigures {
    static final String FILE_NAME = "diffusers-published-figures.csv";
    private static final List<String> COLUMNS = List.of("gpu", "batch_size", "pipeline", "stage", "torch", "compile",
            "value", "unit", "note", "outcome");

    private PublishedFigures() {
    }

    /** The figures in {@code profiles}, or none when the file is absent (the report says so). */
    static List<PublishedFigure> read(Path profiles) throws IOException {
        Path file = profiles.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return List.of();
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        List<PublishedFigure> figures = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            for (String c : COLUMNS) {
                if (!parser.getHeaderNames().contains(c)) {
                    throw new IOException(file + ":1: missing column " + c);
                }
            }
            long linesBefore = parser.getCurrentLineNumber();
            for (CSVRecord r : parser) {
                try {
                    figures.add(toFigure(r));
                } catch (RuntimeException e) {
                    throw new IOException(file + ":" + (linesBefore + 1) + ": " + e.getMessage(), e);
                }
                linesBefore = parser.getCurrentLineNumber();
            }
        }
        return Collections.unmodifiableList(figures);
    }

    private static PublishedFigure toFigure(CSVRecord r) {
        String pipeline = r.get("pipeline");
        String stage = r.get("stage");
        String note = r.get("note");
        // diffusers measured only stage I of IF at batch 4 and 16; the row is stage I's figure
        if (stage.isEmpty() && note.contains("stage I only")) {
            stage = "I";
        }
        Double its = null;
        String text;
        String value = r.get("value");
        if (value.isEmpty()) {
            text = r.get("outcome");
        } else {
            double v = Double.parseDouble(value);
            switch (r.get("unit")) {
                case "it/s": its = v; text = CellText.decimal(v); break;
                case "s/it": its = 1 / v; text = CellText.decimal(1 / v) + " (" + value + " s/it)"; break;
                default: throw new IllegalArgumentException("unknown unit '" + r.get("unit") + "'");
            }
        }
        return new PublishedFigure(r.get("gpu"), GpuSlug.of(r.get("gpu")), Integer.parseInt(r.get("batch_size")),
                pipeline, stage, r.get("torch"), Boolean.parseBoolean(r.get("compile").toLowerCase(Locale.ROOT)),
                its, text, note);
    }
}
