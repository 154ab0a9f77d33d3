package diffbench.jmh;

import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;
import diffbench.schema.ResultsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads a results CSV back in tests, through the schema, so every row the harness wrote is also valid. */
final class Results {

    private Results() {}

    static List<ResultRow> read(Path csv) throws IOException {
        return ResultsFile.read(csv);
    }

    static ResultRow only(List<ResultRow> rows, String pipeline, int batch, String mode, String stage) {
        List<ResultRow> hits = rows.stream()
                .filter(r -> r.pipeline().equals(pipeline) && r.batch() == batch && r.mode().equals(mode)
                        && r.stage().equals(stage))
                .toList();
        if (hits.size() != 1) {
            throw new AssertionError(hits.size() + " rows for " + pipeline + " " + batch + " " + mode + " " + stage + ": " + rows);
        }
        return hits.get(0);
    }

    static double decimal(ResultRow row, ResultColumn column) {
        return row.decimal(column).orElseThrow(() -> new AssertionError(column + " is empty: " + row));
    }
}
