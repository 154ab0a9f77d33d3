package diffbench.reports;

import java.util.List;

/**
 * What a chart shows, as plain data: built with the tables, drawn later by {@link ChartRenderer}
 * (so a font or AWT problem while drawing never stops the tables being written).
 */
sealed interface ChartSpec permits ChartSpec.Bars, ChartSpec.Lines {
    int WIDTH = 1000;
    int HEIGHT = 520;
    /** Legend entries that fit one row below the plot; more go in a column, and the chart grows. */
    int ONE_ROW_LEGEND_CHARS = 110;
    int LEGEND_ROW_HEIGHT = 22;

    /** File name without extension under {@code charts/}. */
    String name();

    String title();

    /** Series names, in legend order. */
    List<String> seriesNames();

    /** Why some bars are absent (OOM, error), for the caption: a missing bar must not read as zero. */
    default List<String> notes() {
        return List.of();
    }

    default boolean legendInOneRow() {
        return seriesNames().size() <= 8 && seriesNames().stream().mapToInt(String::length).sum() <= ONE_ROW_LEGEND_CHARS;
    }

    /** Pixel height of the PNG: taller when the legend needs a row per series. */
    default int height() {
        return legendInOneRow() ? HEIGHT : HEIGHT - 80 + LEGEND_ROW_HEIGHT * seriesNames().size();
    }

    /** Grouped bars: one group per category, one bar per series; null values are left out. */
    record Bars(String name, String title, String yTitle, List<String> categories, List<BarSeries> series,
                List<String> notes) implements ChartSpec {
        @Override
        public List<String> seriesNames() {
            return series.stream().map(BarSeries::name).toList();
        }
    }

    /**
     * @param errors error bar half-heights (null where unknown), or null for no error bars
     * @param rgb    the bar colour
     */
    record BarSeries(String name, List<Double> values, List<Double> errors, int rgb) {
    }

    /** Lines over a numeric x axis. */
    record Lines(String name, String title, String xTitle, String yTitle, List<LineSeries> series)
            implements ChartSpec {
        @Override
        public List<String> seriesNames() {
            return series.stream().map(LineSeries::name).toList();
        }
    }

    record LineSeries(String name, List<Double> x, List<Double> y, int rgb) {
    }
}
