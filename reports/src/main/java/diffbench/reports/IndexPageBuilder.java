package diffbench.reports;

import diffbench.schema.GpuSlug;

import diffbench.schema.ResultRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Builds the front page: the GPUs measured, the same cells across GPUs, and diffusers' published figures. */
final class IndexPageBuilder {

    record Built(IndexPage page, List<ChartSpec> charts) {
    }

    private IndexPageBuilder() {
    }

    static Built build(List<ResultRow> rows, List<IndexPage.GpuLink> gpus, List<PublishedFigure> published,
                       List<String> problems, Map<String, String> chartFailures) {
        List<ChartSpec> specs = new ArrayList<>();
        List<ResultRow> gpuRows = rows.stream().filter(r -> !r.isCpu()).toList();
        Map<Setup, List<ResultRow>> bySetup = gpuRows.stream().collect(Collectors.groupingBy(
                r -> Setup.of(r).withoutMemoryLimits(), () -> new TreeMap<>(Setup.ORDER), Collectors.toList()));
        List<IndexPage.CrossSection> across = new ArrayList<>();
        int index = 0;
        for (Map.Entry<Setup, List<ResultRow>> e : bySetup.entrySet()) {
            String prefix = "across-s" + (++index);
            List<IndexPage.BatchBlock> batches = new ArrayList<>();
            Map<Integer, List<ResultRow>> byBatch = e.getValue().stream()
                    .collect(Collectors.groupingBy(ResultRow::batch, TreeMap::new, Collectors.toList()));
            for (Map.Entry<Integer, List<ResultRow>> b : byBatch.entrySet()) {
                int batch = b.getKey();
                Grid grid = new Grid(b.getValue(), RowLabel::of, Column::across);
                String id = prefix + "-b" + batch;
                List<Tables.PublishedColumn> publishedColumns = e.getKey().matchesPublishedSetup()
                        ? publishedColumns(b.getValue(), published, batch) : List.of();
                TableView table = Tables.withPublished(
                        Tables.its(id, "Batch " + batch + ": it/s across GPUs", e.getKey().label(), grid), grid, publishedColumns);
                List<ChartSpec.BarSeries> extra = new ArrayList<>();
                publishedColumns.forEach(p -> extra.add(Charts.publishedSeries(p.label(), p.figures(), grid, extra.size())));
                Optional<ChartSpec> chart = Charts.its(id, "Batch " + batch + ": it/s across GPUs", grid, extra);
                chart.ifPresent(specs::add);
                batches.add(new IndexPage.BatchBlock(batch, List.of(table),
                        chart.stream().map(s -> ChartRef.of(s, chartFailures)).toList()));
            }
            across.add(new IndexPage.CrossSection(e.getKey().label(), batches));
        }
        long gpuCount = gpuRows.stream().map(ResultRow::gpuSlug).distinct().count();
        String acrossNote = gpuCount == 0 ? "No GPU results yet: only GPU runs are compared across cards."
                : (gpuCount == 1 ? "One GPU measured so far. " : "") + (published.isEmpty() ? ""
                : "Beside the cards measured here, in grey and marked (published): every card diffusers published figures "
                        + "for (torch " + PUBLISHED_TORCH + ", fp16, SDPA, full models), eager beside eager cells and compile beside "
                        + "compiled ones.");

        List<IndexPage.BatchBlock> publishedBlocks = new ArrayList<>();
        Map<Integer, List<PublishedFigure>> publishedByBatch = published.stream()
                .collect(Collectors.groupingBy(PublishedFigure::batch, TreeMap::new, Collectors.toList()));
        publishedByBatch.forEach((batch, figures) -> {
            Grid none = new Grid(List.of(), RowLabel::of, Column::of);
            List<TableView> tables = figures.stream().map(PublishedFigure::gpuName).distinct()
                    .map(card -> Tables.publishedComparison("published-" + GpuSlug.of(card) + "-b" + batch,
                            card + ", batch " + batch, "", figures.stream().filter(f -> f.gpuName().equals(card)).toList(), none))
                    .toList();
            Optional<ChartSpec> chart = Charts.published("published-b" + batch,
                    "Batch " + batch + ": published it/s, torch nightly, eager",
                    figures.stream().filter(f -> f.torch().equals("nightly") && !f.compiled()).toList());
            chart.ifPresent(specs::add);
            publishedBlocks.add(new IndexPage.BatchBlock(batch, tables, chart.stream().map(s -> ChartRef.of(s, chartFailures)).toList()));
        });
        String publishedNote = published.isEmpty()
                ? "No published figures found (gpu-profiles/" + PublishedFigures.FILE_NAME + ")."
                : "From diffusers' PyTorch 2.0 benchmark (fp16, SDPA), as published; s/it figures converted to it/s. "
                + "At batch 4 and 16 diffusers ran only stage I of IF.";
        return new Built(new IndexPage(!rows.isEmpty(), gpus, AtAGlance.tables(gpuRows), across, acrossNote,
                EmulatedMemoryTable.tables("emulated", gpuRows, published), publishedBlocks,
                publishedNote, problems), specs);
    }

    /** The torch version whose published figures stand beside the measured cards: diffusers' later one. */
    static final String PUBLISHED_TORCH = "nightly";

    /**
     * Every published card's figures at this batch, beside the measured cards whatever card they are (a user
     * with one H200 compares it with all of them): eager figures where an eager cell was measured, compile
     * figures where a compiled or CUDA-graph one was.
     */
    private static List<Tables.PublishedColumn> publishedColumns(List<ResultRow> rows, List<PublishedFigure> published, int batch) {
        boolean eager = rows.stream().anyMatch(r -> r.mode().equals("eager"));
        boolean compiled = rows.stream().anyMatch(r -> !r.mode().equals("eager"));
        List<Tables.PublishedColumn> columns = new ArrayList<>();
        List<String> cards = published.stream().filter(f -> f.batch() == batch).map(PublishedFigure::gpuName).distinct().sorted().toList();
        for (String card : cards) {
            for (boolean compile : new boolean[] {false, true}) {
                if (compile ? !compiled : !eager) {
                    continue;
                }
                List<PublishedFigure> figures = published.stream().filter(f -> f.gpuName().equals(card) && f.batch() == batch
                        && f.torch().equals(PUBLISHED_TORCH) && f.compiled() == compile).toList();
                if (!figures.isEmpty()) {
                    columns.add(new Tables.PublishedColumn(card + " · torch " + PUBLISHED_TORCH + (compile ? " compile" : " eager")
                            + " (published)", figures));
                }
            }
        }
        return columns;
    }
}
