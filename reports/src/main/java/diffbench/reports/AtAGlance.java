package diffbench.reports;

import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * "What will this card give me", one table per card (a memory-capped run counts as the card it
 * emulates) and setup: per pipeline, the fastest it/s measured at batch 1 from the JVM and in
 * PyTorch and in which mode, the largest batch that ran and its peak memory, and the smallest batch
 * that ran out of memory.
 */
final class AtAGlance {
    private AtAGlance() {
    }

    static List<TableView> tables(List<ResultRow> gpuRows) {
        Map<String, List<ResultRow>> byCard = gpuRows.stream().collect(Collectors.groupingBy(
                r -> Column.gpuLabel(r) + " · " + Setup.of(r).withoutMemoryLimits().label(), TreeMap::new, Collectors.toList()));
        List<TableView> tables = new ArrayList<>();
        byCard.forEach((card, rows) -> {
            Map<RowLabel, List<ResultRow>> byPipeline = rows.stream().collect(Collectors.groupingBy(
                    RowLabel::of, () -> new TreeMap<>(RowLabel.ORDER), Collectors.toList()));
            List<TableView.Row> lines = new ArrayList<>();
            byPipeline.forEach((pipeline, cells) -> lines.add(new TableView.Row(pipeline.label(), pipeline.detail(),
                    List.of(fastestAtBatch1(cells, false), fastestAtBatch1(cells, true), largestBatch(cells),
                            firstOutOfMemory(cells)))));
            tables.add(new TableView("glance-" + (tables.size() + 1), card, "", "pipeline",
                    List.of("diffbench at batch 1", "PyTorch at batch 1", "largest batch run · peak memory", "out of memory from"),
                    lines));
        });
        return tables;
    }

    /**
     * The fastest it/s at batch 1 from the JVM, or from the PyTorch peer, with the mode that gave it;
     * a figure whose output failed the check (flat, non-finite) is no answer.
     */
    private static TableView.Cell fastestAtBatch1(List<ResultRow> cells, boolean python) {
        return cells.stream().filter(r -> r.batch() == 1 && r.outcome().isOk() && r.itsMean().isPresent()
                        && Column.of(r).isPython() == python && outputPassed(r))
                .max(Comparator.comparingDouble(r -> r.itsMean().getAsDouble()))
                .map(r -> TableView.Cell.number(CellText.decimal(r.itsMean().getAsDouble()) + " it/s, " + how(r), Column.of(r).label()))
                .orElse(TableView.Cell.missing());
    }

    private static boolean outputPassed(ResultRow r) {
        String check = r.get(ResultColumn.OUTPUT_CHECK);
        return check.isEmpty() || check.equals("ok");
    }

    /** "cuda-graph", "compile reduce-overhead": the mode, without the software the column already names. */
    private static String how(ResultRow r) {
        return r.runtime().startsWith("python-") ? r.runtime().substring("python-".length()).replace("compile-", "compile ") : r.mode();
    }

    private static TableView.Cell largestBatch(List<ResultRow> cells) {
        Optional<Integer> largest = cells.stream().filter(r -> r.outcome().isOk()).map(ResultRow::batch).max(Integer::compare);
        if (largest.isEmpty()) {
            return TableView.Cell.missing();
        }
        // the leanest runtime at that batch: what the card needs at least
        Optional<ResultRow> leanest = cells.stream()
                .filter(r -> r.batch() == largest.get() && r.outcome().isOk() && r.peakMemoryMib().isPresent())
                .min(Comparator.comparingDouble(r -> r.peakMemoryMib().getAsDouble()));
        return TableView.Cell.number(largest.get() + leanest.map(r -> String.format(Locale.ROOT, " · %,.0f MiB",
                r.peakMemoryMib().getAsDouble())).orElse(""), leanest.map(r -> "least peak memory: " + Column.of(r).label()).orElse(""));
    }

    private static TableView.Cell firstOutOfMemory(List<ResultRow> cells) {
        return cells.stream().filter(r -> r.outcome().isOom()).min(Comparator.comparingInt(ResultRow::batch))
                .map(r -> new TableView.Cell("batch " + r.batch() + ": " + r.outcome().label(), "oom", Column.of(r).label()))
                .orElse(new TableView.Cell("none measured", "number", "no cell of this card ran out of memory"));
    }
}
