package diffbench.reports;

import diffbench.schema.GpuSlug;
import diffbench.schema.ResultRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Per card emulated under a memory cap ({@code -Demulate=}): each cell's outcome here beside what
 * diffusers published for that card, so a reader sees where the JVM fits where PyTorch 2.0 ran out
 * of memory, and the reverse. Speeds are the emulating machine's, so only fit or OOM is compared.
 */
final class EmulatedMemoryTable {
    /** diffusers' PyTorch 2.0 figures; nightly stands in where 2.0 published none (IF compiled). */
    static final String TORCH = "2.0";
    static final String DISAGREE = "≠ ";

    private EmulatedMemoryTable() {
    }

    /** One table per emulated card that diffusers published figures for, in card order. */
    static List<TableView> tables(String idPrefix, List<ResultRow> rows, List<PublishedFigure> published) {
        Map<String, List<ResultRow>> byCard = rows.stream()
                .filter(r -> !r.emulate().isEmpty() && Setup.of(r).matchesPublishedSetup())
                .collect(Collectors.groupingBy(r -> GpuSlug.of(r.emulate()), TreeMap::new, Collectors.toList()));
        List<TableView> tables = new ArrayList<>();
        byCard.forEach((card, ofCard) -> {
            List<PublishedFigure> figures = published.stream().filter(f -> GpuSlug.sameCard(card, f.slug())).toList();
            if (!figures.isEmpty()) {
                tables.add(table(idPrefix + "-" + card, card, ofCard, figures));
            }
        });
        return tables;
    }

    /** A row: one pipeline (or IF stage) at one batch size. */
    private record Key(RowLabel pipeline, int batch) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::pipeline, RowLabel.ORDER).thenComparingInt(Key::batch);
    }

    private static TableView table(String id, String card, List<ResultRow> rows, List<PublishedFigure> figures) {
        TreeMap<Key, List<ResultRow>> byKey = rows.stream().collect(Collectors.groupingBy(
                r -> new Key(RowLabel.of(r).pipelineOnly(), r.batch()), () -> new TreeMap<>(Key.ORDER), Collectors.toList()));
        List<Column> columns = List.copyOf(rows.stream().map(Column::of).collect(Collectors.toCollection(() -> new TreeSet<>(Column.ORDER))));
        List<TableView.Row> tableRows = new ArrayList<>();
        byKey.forEach((key, ofKey) -> {
            Grid grid = new Grid(ofKey, r -> key.pipeline(), Column::of);
            List<TableView.Cell> cells = new ArrayList<>();
            for (Column c : columns) {
                cells.add(cell(grid.cell(key.pipeline(), c), figure(figures, key, !c.isEager())));
            }
            tableRows.add(new TableView.Row(key.pipeline().label(), "batch " + key.batch(), cells));
        });
        String gpuName = figures.get(0).gpuName();
        String caps = rows.stream().map(Column::gpuLabel).distinct().sorted().collect(Collectors.joining(", "));
        return new TableView(id, gpuName + ": fits or OOM under its memory, emulated vs published",
                "Emulated on " + caps + "; published: diffusers, PyTorch " + TORCH + " (nightly where 2.0 has no figure), "
                        + "eager cells beside eager, compile beside compiled. " + DISAGREE.strip()
                        + " marks a cell where the two disagree.",
                "emulated (published)", columns.stream().map(Column::label).toList(), tableRows);
    }

    /** The published figure of this cell: torch 2.0, else nightly. */
    private static Optional<PublishedFigure> figure(List<PublishedFigure> figures, Key key, boolean compiled) {
        List<PublishedFigure> matching = figures.stream().filter(f -> f.batch() == key.batch() && f.compiled() == compiled
                && f.row().equals(key.pipeline())).toList();
        return matching.stream().filter(f -> f.torch().equals(TORCH)).findFirst().or(() -> matching.stream().findFirst());
    }

    /**
     * "fits (published 1.15 it/s)", "OOM after warmup (published: OOM)"; a disagreement leads with
     * {@link #DISAGREE}. A cell that ended otherwise (error, timeout) says how and judges nothing.
     */
    static TableView.Cell cell(Optional<ResultRow> emulated, Optional<PublishedFigure> published) {
        String publishedText = published.map(f -> f.itsPerSecond() == null ? "published: " + f.text()
                        : "published " + CellText.decimal(f.itsPerSecond()) + " it/s"
                        + (f.torch().equals(TORCH) ? "" : ", torch " + f.torch()))
                .orElse("not published");
        if (emulated.isEmpty()) {
            return new TableView.Cell("— (" + publishedText + ")", "missing", "not run under this card's memory");
        }
        ResultRow r = emulated.get();
        if (!r.outcome().isOk() && !r.outcome().isOom()) {
            return new TableView.Cell(r.outcome().label() + " (" + publishedText + ")", "error", r.errorMessage());
        }
        boolean fits = r.outcome().isOk();
        String text = (fits ? "fits" : r.outcome().label()) + " (" + publishedText + ")";
        if (published.isEmpty()) {
            return new TableView.Cell(text, fits ? "number" : "oom", r.errorMessage());
        }
        boolean publishedFits = published.get().itsPerSecond() != null;
        if (fits == publishedFits) {
            return new TableView.Cell(text, fits ? "number" : "oom", r.errorMessage());
        }
        return new TableView.Cell(DISAGREE + text, "disagree", fits ? "the JVM fits where PyTorch ran out of memory"
                : "PyTorch fit where the JVM ran out of memory" + (r.errorMessage().isEmpty() ? "" : ": " + r.errorMessage()));
    }
}
