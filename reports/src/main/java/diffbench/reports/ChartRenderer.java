package diffbench.reports;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws a {@link ChartSpec} with XChart and saves it as {@code <name>.png} and {@code <name>.svg}. */
final class ChartRenderer {
    private ChartRenderer() {
    }

    static void render(ChartSpec spec, Path folder) throws IOException {
        Chart<?, ?> chart = spec instanceof ChartSpec.Bars bars ? bars(bars) : lines((ChartSpec.Lines) spec);
        String base = folder.resolve(spec.name()).toString();
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }

    private static CategoryChart bars(ChartSpec.Bars spec) {
        CategoryChart chart = new CategoryChartBuilder().width(ChartSpec.WIDTH).height(spec.height())
                .title(spec.title()).yAxisTitle(spec.yTitle()).build();
        style(chart.getStyler(), spec);
        chart.getStyler().setErrorBarsColor(Color.BLACK);
        chart.getStyler().setYAxisMin(0.0); // bars measure from zero; XChart would otherwise pad below it
        // long pipeline names and many groups overlap when horizontal
        chart.getStyler().setXAxisLabelRotation(spec.categories().size() > 5 ? 20 : 0);
        for (ChartSpec.BarSeries s : spec.series()) {
            CategorySeries series = s.errors() == null ? chart.addSeries(s.name(), spec.categories(), s.values())
                    : chart.addSeries(s.name(), spec.categories(), s.values(), s.errors());
            series.setFillColor(new Color(s.rgb()));
        }
        return chart;
    }

    private static XYChart lines(ChartSpec.Lines spec) {
        XYChart chart = new XYChartBuilder().width(ChartSpec.WIDTH).height(spec.height())
                .title(spec.title()).xAxisTitle(spec.xTitle()).yAxisTitle(spec.yTitle()).build();
        style(chart.getStyler(), spec);
        chart.getStyler().setYAxisMin(0.0); // throughput from zero, so a flat line does not look like a cliff
        for (ChartSpec.LineSeries s : spec.series()) {
            XYSeries series = chart.addSeries(s.name(), s.x(), s.y());
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineColor(new Color(s.rgb()));
            series.setMarkerColor(new Color(s.rgb()));
        }
        return chart;
    }

    private static void style(Styler styler, ChartSpec spec) {
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        // a long horizontal legend runs off the image; a column of entries never does
        styler.setLegendLayout(spec.legendInOneRow() ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setDecimalPattern("#,##0.##");
    }
}
