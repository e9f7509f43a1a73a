package io.netconform.bench;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Bar charts of the comparison with the 95 % confidence interval as error bars. JFreeChart's
 * statistical dataset calls its second value a standard deviation; it is only drawn as ±value, so
 * it carries the CI half-width here. Failed figures are left out of the chart (a gap), never drawn as 0.
 */
final class BenchCharts {

    static {
        // charts are written by CLIs and CI jobs without a display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private BenchCharts() {
    }

    static void throughput(BenchComparison comparison, Path png) throws IOException {
        // UDP is left out: it runs at a fixed target rate, so its bar says nothing about capacity
        write(comparison, List.of(Metric.TCP_THROUGHPUT, Metric.TCP_THROUGHPUT_MULTI),
                "Throughput per path (error bars: 95 % CI)", "Mbit/s", png);
    }

    static void latency(BenchComparison comparison, Path png) throws IOException {
        write(comparison, List.of(Metric.ICMP_RTT, Metric.TCP_CONNECT, Metric.TCP_REQUEST_RESPONSE),
                "Latency per path (error bars: 95 % CI)", "ms", png);
    }

    private static void write(BenchComparison comparison, List<Metric> metrics, String title, String unit, Path png)
            throws IOException {
        DefaultStatisticalCategoryDataset dataset = new DefaultStatisticalCategoryDataset();
        int categories = 0;
        for (BenchComparison.Row row : comparison.rows()) {
            if (!metrics.contains(row.metric())) {
                continue;
            }
            categories++;
            String category = row.path() + " · " + shortName(row.metric());
            for (int i = 0; i < comparison.labels().size(); i++) {
                Stats s = row.cells().get(i).stats();
                Double mean = s == null ? null : s.mean();
                Double half = s == null || s.n() < 2 ? null : s.halfWidth();
                dataset.add(mean, half, comparison.labels().get(i), category);
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, null, unit, dataset);
        CategoryPlot plot = chart.getCategoryPlot();
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setErrorIndicatorPaint(Color.BLACK);
        renderer.setErrorIndicatorStroke(new BasicStroke(1.5f));
        renderer.setDrawBarOutline(false);
        plot.setRenderer(renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        plot.getDomainAxis().setMaximumCategoryLabelLines(2);
        chart.setBackgroundPaint(Color.WHITE);
        int width = Math.max(900, categories * Math.max(1, comparison.labels().size()) * 45 + 200);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, width, 600);
    }

    private static String shortName(Metric metric) {
        return switch (metric) {
            case TCP_THROUGHPUT -> "TCP 1 stream";
            case TCP_THROUGHPUT_MULTI -> "TCP parallel";
            case ICMP_RTT -> "ICMP RTT";
            case TCP_CONNECT -> "TCP connect";
            case TCP_REQUEST_RESPONSE -> "HTTP req/resp";
            default -> metric.label();
        };
    }
}
