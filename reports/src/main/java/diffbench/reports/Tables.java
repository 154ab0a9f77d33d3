package diffbench.reports;

import diffbench.schema.GpuProfiles;
import diffbench.schema.ResultColumn;
import diffbench.schema.ResultRow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Builds the report's tables from {@link Grid}s and published figures. */
final class Tables {
    private Tables() {
    }

    /** diffusers' layout: pipelines down, software x mode across, it/s or the outcome in each cell. */
    static TableView its(String id, String title, String caption, Grid grid) {
        return table(id, title, caption, "it/s", grid, CellText::its);
    }

    static TableView peakMemory(String id, String title, String caption, Grid grid) {
        return table(id, title, caption, "peak MiB", grid, CellText::peakMemory);
    }

    /**
     * The denoiser's TFLOP/s per cell and its share of {@code card}'s dense peak; null when no row of
     * the grid recorded it (files from before schema 2).
     */
    static TableView denoiserCompute(String id, String title, String caption, Grid grid,
                                     Optional<GpuProfiles.GpuProfile> card) {
        return recorded(grid, ResultColumn.DENOISER_TFLOPS)
                ? table(id, title, caption, card.isPresent() ? "TFLOP/s · of peak" : "TFLOP/s", grid, r -> CellText.denoiserCompute(r, card))
                : null;
    }

    /** Whether any row of the grid has a value in one of these columns. */
    private static boolean recorded(Grid grid, ResultColumn... columns) {
        return grid.anyResult(row -> Arrays.stream(columns).anyMatch(c -> !row.get(c).isEmpty()));
    }

    /** Images per second per cell, and joules per image where the card's power was sampled. */
    static TableView throughput(String id, String title, String caption, Grid grid) {
        return table(id, title, caption, "img/s · energy", grid, CellText::throughput);
    }

    /** Load and warm-up seconds per cell; null when no row of the grid recorded them (files from before schema 2). */
    static TableView startUp(String id, String title, String caption, Grid grid) {
        return recorded(grid, ResultColumn.LOAD_SECONDS, ResultColumn.WARMUP_SECONDS)
                ? table(id, title, caption, "load + warm-up (s)", grid, CellText::startUp) : null;
    }

    /** This run's it/s against the baseline run's per cell; null without a baseline or when it shares no cell. */
    static TableView versusBaseline(String id, String title, String caption, Grid grid, Baseline baseline) {
        return grid.anyResult(row -> baseline.of(row).isPresent()) ? table(id, title, caption, "it/s (baseline)", grid, r -> CellText.versusBaseline(r, r.flatMap(baseline::of)))
                : null;
    }

    /** Each non-eager column over its eager baseline; null when the grid has no such pair. */
    static TableView speedUp(String id, String title, String caption, Grid grid) {
        List<Column[]> pairs = speedUpPairs(grid);
        if (pairs.isEmpty()) {
            return null;
        }
        return ratios(id, title, caption, "speed-up", pairs.stream().map(p -> p[1].label() + " ÷ eager").toList(), pairs, grid);
    }

    /**
     * diffbench over PyTorch on the same card: each diffbench column over each Python column of the
     * same kind (eager over python-eager; compiled or CUDA-graph over each torch.compile mode);
     * above 1× diffbench is faster. Null when the grid has no such pair.
     */
    static TableView versusPyTorch(String id, String title, String caption, Grid grid) {
        List<Column[]> pairs = new ArrayList<>();
        for (Column jvm : grid.columns()) {
            for (Column python : grid.columns()) {
                if (!jvm.isPython() && python.isPython() && jvm.gpu().equals(python.gpu()) && jvm.isEager() == python.isEager()) {
                    pairs.add(new Column[] {python, jvm});
                }
            }
        }
        if (pairs.isEmpty()) {
            return null;
        }
        return ratios(id, title, caption, "diffbench ÷ PyTorch", pairs.stream().map(p -> p[1].label() + " ÷ " + p[0].label()).toList(),
                pairs, grid);
    }

    /** One column per (base, other) pair: other's it/s over base's in each row. */
    private static TableView ratios(String id, String title, String caption, String corner, List<String> headers,
                                    List<Column[]> pairs, Grid grid) {
        List<TableView.Row> rows = new ArrayList<>();
        for (RowLabel r : grid.rows()) {
            List<TableView.Cell> cells = new ArrayList<>();
            for (Column[] p : pairs) {
                cells.add(CellText.speedUp(grid.cell(r, p[0]), grid.cell(r, p[1])));
            }
            rows.add(new TableView.Row(r.label(), r.detail(), cells));
        }
        return new TableView(id, title, caption, corner, headers, rows);
    }

    /** (baseline, faster) column pairs: compiled or CUDA-graph runs over eager runs of the same software. */
    static List<Column[]> speedUpPairs(Grid grid) {
        List<Column[]> pairs = new ArrayList<>();
        for (Column fast : grid.columns()) {
            grid.columns().stream().filter(base -> base.isBaselineOf(fast)).findFirst()
                    .ifPresent(base -> pairs.add(new Column[] {base, fast}));
        }
        return pairs;
    }

    /**
     * Measured next to published for one card and batch: the published columns first, then the
     * measured ones. Rows are pipelines (and IF stages), since diffusers names no resolution.
     */
    /** Published figures of one card, torch version and compile setting: one column across GPUs. */
    record PublishedColumn(String label, List<PublishedFigure> figures) {
    }

    /** {@code table} (rows from {@code grid}) with a column per published card after the measured ones. */
    static TableView withPublished(TableView table, Grid grid, List<PublishedColumn> published) {
        if (published.isEmpty()) {
            return table;
        }
        List<String> headers = new ArrayList<>(table.headers());
        published.forEach(p -> headers.add(p.label()));
        List<TableView.Row> rows = new ArrayList<>();
        List<RowLabel> labels = grid.rows();
        for (int i = 0; i < labels.size(); i++) {
            RowLabel r = labels.get(i);
            TableView.Row row = table.rows().get(i);
            List<TableView.Cell> cells = new ArrayList<>(row.cells());
            for (PublishedColumn p : published) {
                PublishedFigure f = p.figures().stream().filter(x -> x.row().equals(r.pipelineOnly())).findFirst().orElse(null);
                cells.add(f == null ? new TableView.Cell("—", "missing", "diffusers published no figure")
                        : new TableView.Cell(f.text(), f.itsPerSecond() == null ? "oom" : "number", f.note()));
            }
            rows.add(new TableView.Row(row.label(), row.detail(), cells));
        }
        return new TableView(table.id(), table.title(), table.caption(), table.corner(), headers, rows);
    }

    static TableView publishedComparison(String id, String title, String caption, List<PublishedFigure> published, Grid measured) {
        // diffusers' column order: without compile, then with; torch 2.0 before nightly
        Map<String, Map<RowLabel, PublishedFigure>> byColumn = new LinkedHashMap<>();
        TreeSet<RowLabel> rowSet = new TreeSet<>(RowLabel.ORDER);
        for (PublishedFigure f : published.stream().sorted(Comparator.comparing(PublishedFigure::compiled)
                .thenComparing(PublishedFigure::torch, Versions.ORDER)).toList()) {
            byColumn.computeIfAbsent(f.columnLabel(), k -> new HashMap<>()).put(f.row(), f);
            rowSet.add(f.row());
        }
        rowSet.addAll(measured.rows());
        List<String> headers = new ArrayList<>(byColumn.keySet());
        measured.columns().forEach(c -> headers.add("diffbench " + c.label()));
        List<TableView.Row> rows = new ArrayList<>();
        for (RowLabel r : rowSet) {
            List<TableView.Cell> cells = new ArrayList<>();
            for (Map<RowLabel, PublishedFigure> column : byColumn.values()) {
                PublishedFigure f = column.get(r);
                cells.add(f == null ? new TableView.Cell("not run", "missing", "diffusers published no figure")
                        : new TableView.Cell(f.text(), f.itsPerSecond() == null ? "oom" : "number", f.note()));
            }
            for (Column c : measured.columns()) {
                cells.add(CellText.its(measured.cell(r, c)));
            }
            rows.add(new TableView.Row(r.label(), "", cells));
        }
        return new TableView(id, title, caption, "it/s", headers, rows);
    }

    private interface CellOf {
        TableView.Cell of(Optional<ResultRow> result);
    }

    private static TableView table(String id, String title, String caption, String corner, Grid grid, CellOf cellOf) {
        List<String> headers = grid.columns().stream().map(Column::label).toList();
        List<TableView.Row> rows = new ArrayList<>();
        for (RowLabel r : grid.rows()) {
            List<TableView.Cell> cells = new ArrayList<>();
            for (Column c : grid.columns()) {
                cells.add(cellOf.of(grid.cell(r, c)));
            }
            rows.add(new TableView.Row(r.label(), r.detail(), cells));
        }
        return new TableView(id, title, caption, corner, headers, rows);
    }
}
