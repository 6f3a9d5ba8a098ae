package dev.unroll.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The JFreeChart calls of {@link Plots}, apart so that Plots loads without JFreeChart. */
final class JFreeChartPlots {
  /** Matplotlib's default colour cycle, familiar from Keras tutorials. */
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
  };

  private JFreeChartPlots() {}

  static void lines(Path png, String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series,
      int width, int height) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      XYSeries s = new XYSeries(e.getKey(), false, true);
      double[] y = e.getValue();
      for (int i = 0; i < x.length; i++) {
        s.add(x[i], Double.isFinite(y[i]) ? y[i] : Double.NaN);
      }
      data.addSeries(s);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
        false, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // later series on top
    NumberAxis range = (NumberAxis) plot.getRangeAxis();
    range.setAutoRangeIncludesZero(false);
    NumberAxis domain = (NumberAxis) plot.getDomainAxis();
    domain.setAutoRangeIncludesZero(false);
    // years and epochs without a thousands separator (1959, not 1,959), whole ticks for wide ranges
    domain.setNumberFormatOverride(new DecimalFormat("0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
    if (x.length > 0 && x[x.length - 1] - x[0] >= 2) {
      domain.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    }
    Path target = png.toAbsolutePath();
    if (target.getParent() != null) {
      Files.createDirectories(target.getParent());
    }
    ChartUtils.saveChartAsPNG(target.toFile(), chart, width, height);
  }
}
