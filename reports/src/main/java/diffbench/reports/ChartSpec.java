package diffbench.reports;

import java.util.List;

/**
 * What a chart shows, as plain data: built with the tables, drawn later by {@link ChartRenderer}
 * (so a font or AWT problem while drawing never stops the tables being written).
 */
sealed interface ChartSpec permits ChartSpec.Bars, ChartSpec.Lines {
    int WIDTH = 1000;
    int HEIGHT = 520;

    /** File name without extension under {@code charts/}. */
    String name();

    String title();

    /** Grouped bars: one group per category, one bar per series; null values are left out. */
    record Bars(String name, String title, String yTitle, List<String> categories, List<BarSeries> series)
            implements ChartSpec {
    }

    /** @param errors error bar half-heights (null where unknown), or null for no error bars */
    record BarSeries(String name, List<Double> values, List<Double> errors) {
    }

    /** Lines over a numeric x axis. */
    record Lines(String name, String title, String xTitle, String yTitle, List<LineSeries> series)
            implements ChartSpec {
    }

    record LineSeries(String name, List<Double> x, List<Double> y) {
    }
}
