package diffbench.reports;

import diffbench.schema.ImageThroughput;
import diffbench.schema.ResultRow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Builds the report's chart specs from {@link Grid}s; a chart with nothing to draw is not built. */
final class Charts {
    private Charts() {
    }

    /** it/s per pipeline, one bar per column, error bars from its_stddev. */
    static Optional<ChartSpec> its(String name, String title, Grid grid, List<ChartSpec.BarSeries> extra) {
        List<ChartSpec.BarSeries> series = new ArrayList<>();
        List<Integer> colours = Palette.forColumns(grid.columns());
        for (int i = 0; i < grid.columns().size(); i++) {
            Column c = grid.columns().get(i);
            series.add(new ChartSpec.BarSeries(c.label(),
                    values(grid, c, r -> r.itsMean()), values(grid, c, r -> r.itsStddev()), colours.get(i)));
        }
        series.addAll(extra);
        return bars(name, title, "it/s", categories(grid), series, notMeasured(grid));
    }

    static Optional<ChartSpec> peakMemory(String name, String title, Grid grid) {
        List<ChartSpec.BarSeries> series = new ArrayList<>();
        List<Integer> colours = Palette.forColumns(grid.columns());
        for (int i = 0; i < grid.columns().size(); i++) {
            Column c = grid.columns().get(i);
            series.add(new ChartSpec.BarSeries(c.label(), values(grid, c, ResultRow::peakMemoryMib), null, colours.get(i)));
        }
        return bars(name, title, "peak memory (MiB)", categories(grid), series, notMeasured(grid));
    }

    static Optional<ChartSpec> speedUp(String name, String title, Grid grid) {
        List<ChartSpec.BarSeries> series = new ArrayList<>();
        List<Integer> colours = Palette.forColumns(grid.columns());
        for (Column[] p : Tables.speedUpPairs(grid)) {
            List<Double> values = new ArrayList<>();
            for (RowLabel r : grid.rows()) {
                OptionalDouble base = its(grid.cell(r, p[0]));
                OptionalDouble fast = its(grid.cell(r, p[1]));
                values.add(base.isPresent() && fast.isPresent() && base.getAsDouble() > 0
                        ? fast.getAsDouble() / base.getAsDouble() : null);
            }
            series.add(new ChartSpec.BarSeries(p[1].label() + " ÷ eager", values, null,
                    colours.get(grid.columns().indexOf(p[1]))));
        }
        return bars(name, title, "speed-up over eager (×)", categories(grid), series, notMeasured(grid));
    }

    /** Images per second against batch size, one line per pipeline, for the results of one column. */
    static Optional<ChartSpec> batchScaling(String name, String title, List<ResultRow> results) {
        Map<RowLabel, TreeMap<Integer, Double>> points = new TreeMap<>(RowLabel.ORDER);
        for (ResultRow r : results) {
            OptionalDouble images = ImageThroughput.imagesPerSecond(r);
            if (r.outcome().isOk() && images.isPresent()) {
                points.computeIfAbsent(RowLabel.of(r), k -> new TreeMap<>()).put(r.batch(), images.getAsDouble());
            }
        }
        List<ChartSpec.LineSeries> series = new ArrayList<>();
        points.forEach((row, byBatch) -> {
            if (byBatch.size() >= 2) {
                series.add(new ChartSpec.LineSeries(row.label(), byBatch.keySet().stream().map(Integer::doubleValue).toList(),
                        List.copyOf(byBatch.values()), Palette.hue(series.size())));
            }
        });
        return series.isEmpty() ? Optional.empty()
                : Optional.of(new ChartSpec.Lines(name, title, "batch size", "images/s", series));
    }

    /** Published it/s of one torch build and compile setting, one series per card. */
    static Optional<ChartSpec> published(String name, String title, List<PublishedFigure> figures) {
        List<RowLabel> rows = figures.stream().map(PublishedFigure::row).distinct().sorted(RowLabel.ORDER).toList();
        Map<String, Map<RowLabel, Double>> byCard = new LinkedHashMap<>();
        for (PublishedFigure f : figures) {
            byCard.computeIfAbsent(f.gpuName(), k -> new HashMap<>()).put(f.row(), f.itsPerSecond());
        }
        List<ChartSpec.BarSeries> series = new ArrayList<>();
        byCard.forEach((card, values) -> series.add(new ChartSpec.BarSeries(card,
                rows.stream().map(values::get).toList(), null, Palette.hue(series.size()))));
        List<String> notes = figures.stream().filter(f -> f.itsPerSecond() == null)
                .map(f -> f.gpuName() + ", " + f.row().label() + ": " + f.text()).toList();
        return bars(name, title, "it/s", rows.stream().map(RowLabel::label).toList(), series, notes);
    }

    /** A published column as a bar series over the grid's rows (for measured-vs-published charts). */
    static ChartSpec.BarSeries publishedSeries(String label, List<PublishedFigure> figures, Grid grid, int greyIndex) {
        List<Double> values = new ArrayList<>();
        for (RowLabel r : grid.rows()) {
            values.add(figures.stream().filter(f -> f.row().equals(r.pipelineOnly())).map(PublishedFigure::itsPerSecond)
                    .filter(Objects::nonNull).findFirst().orElse(null));
        }
        return new ChartSpec.BarSeries(label, values, null, Palette.grey(greyIndex));
    }

    /** Cells that ran but have no bar, with how they ended. */
    private static List<String> notMeasured(Grid grid) {
        List<String> notes = new ArrayList<>();
        for (RowLabel r : grid.rows()) {
            for (Column c : grid.columns()) {
                grid.cell(r, c).ifPresent(x -> {
                    if (!x.outcome().isOk()) {
                        notes.add(r.label() + ", " + c.label() + ": " + x.outcome().label());
                    } else if (x.itsMean().isEmpty()) {
                        notes.add(r.label() + ", " + c.label() + ": not recorded");
                    }
                });
            }
        }
        return notes;
    }

    private static Optional<ChartSpec> bars(String name, String title, String yTitle, List<String> categories,
                                            List<ChartSpec.BarSeries> series, List<String> notes) {
        // a series with no bar only adds a legend entry; a chart with no bar at all is not drawn
        List<ChartSpec.BarSeries> drawn = series.stream()
                .filter(s -> s.values().stream().anyMatch(Objects::nonNull)).toList();
        return drawn.isEmpty() ? Optional.empty() : Optional.of(new ChartSpec.Bars(name, title, yTitle, categories, drawn, notes));
    }

    /** Row labels, with resolution and steps added where a label alone would repeat (XChart needs unique categories). */
    private static List<String> categories(Grid grid) {
        Map<String, Long> counts = grid.rows().stream()
                .collect(Collectors.groupingBy(RowLabel::label, Collectors.counting()));
        return grid.rows().stream()
                .map(r -> counts.get(r.label()) > 1 ? r.label() + " (" + r.detail() + ")" : r.label()).toList();
    }

    private static List<Double> values(Grid grid, Column c, Function<ResultRow, OptionalDouble> value) {
        List<Double> values = new ArrayList<>();
        for (RowLabel r : grid.rows()) {
            OptionalDouble v = grid.cell(r, c).filter(x -> x.outcome().isOk()).map(value).orElse(OptionalDouble.empty());
            values.add(v.isPresent() ? v.getAsDouble() : null);
        }
        return values;
    }

    private static OptionalDouble its(Optional<ResultRow> r) {
        return r.filter(x -> x.outcome().isOk()).map(ResultRow::itsMean).orElse(OptionalDouble.empty());
    }
}
