package io.netconform.disruption;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A timeline of one path: one row per check, green while it was measured, red bars where it was down; the x
 * axis is seconds since the watch started, so the charts of all paths line up.
 */
public final class DisruptionChart {

    static {
        // charts are written by CLIs and CI jobs without a display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private DisruptionChart() {
    }

    /** @param checks the targets of one path, in the order their rows are drawn (top to bottom) */
    public static void write(String path, List<PathDisruption> checks, Instant origin, Path png) throws IOException {
        XYIntervalSeries measured = new XYIntervalSeries("measured");
        XYIntervalSeries down = new XYIntervalSeries("outage");
        String[] rows = new String[checks.size()];
        for (int i = 0; i < checks.size(); i++) {
            PathDisruption c = checks.get(i);
            int row = checks.size() - 1 - i;
            rows[row] = c.target().check().label();
            if (c.from() != null) {
                add(measured, seconds(origin, c.from()), seconds(origin, c.to()), row, 0.35);
            }
            for (Outage o : c.outages()) {
                add(down, seconds(origin, o.start()), seconds(origin, o.end()), row, 0.3);
            }
        }
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        data.addSeries(measured);
        data.addSeries(down);
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setUseYInterval(true);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, new Color(0x8BC34A));
        renderer.setSeriesPaint(1, new Color(0xD32F2F));
        NumberAxis time = new NumberAxis("seconds since the watch started");
        SymbolAxis checkAxis = new SymbolAxis(null, rows);
        checkAxis.setGridBandsVisible(false);
        XYPlot plot = new XYPlot(data, time, checkAxis, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(path, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 140 + 45 * Math.max(1, checks.size()));
    }

    private static void add(XYIntervalSeries series, double from, double to, int row, double half) {
        series.add((from + to) / 2, from, to, row, row - half, row + half);
    }

    private static double seconds(Instant origin, Instant t) {
        return Duration.between(origin, t).toMillis() / 1000.0;
    }
}
