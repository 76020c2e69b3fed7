package dev.weft.benchmarks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * Draws the comparison as grouped bars: for each workload, each peer's cost divided by Weft's, on
 * a logarithmic axis, so Weft is the bar at 1 and a bar at 10 is a peer ten times slower (or ten
 * times larger).
 */
final class RatioChart {
    private RatioChart() {
    }

    static void write(Results results, Path png) throws IOException {
        List<String> categories = new ArrayList<>();
        for (Workload w : Workload.all()) {
            if (results.find("weft", w.key) != null) {
                categories.add(w.title);
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(560)
                .title("Cost relative to Weft (lower is better; Weft = 1)")
                .xAxisTitle("workload").yAxisTitle("peer / Weft (log scale)").build();
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        double lowest = 1;
        double highest = 1;
        for (String peer : results.peers()) {
            List<Double> ratios = new ArrayList<>();
            for (Workload w : Workload.all()) {
                Results.Result weft = results.find("weft", w.key);
                if (weft == null) {
                    continue;
                }
                Results.Result r = results.find(peer, w.key);
                // A missing bar must still hold its place; XChart leaves a NaN bar out.
                ratios.add(r == null ? Double.NaN : r.value() / weft.value());
            }
            for (double r : ratios) {
                if (!Double.isNaN(r)) {
                    lowest = Math.min(lowest, r);
                    highest = Math.max(highest, r);
                }
            }
            chart.addSeries(peer, categories, ratios);
        }
        // Bars grow from the axis minimum, which XChart puts at 0 unless told: invalid on a log axis.
        // Below Weft's 1, so that Weft's own bar shows.
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lowest * 0.9))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(highest * 1.5))));
        BitmapEncoder.saveBitmapWithDPI(chart, png.toString(), BitmapFormat.PNG, 110);
    }
}
