package dev.unroll.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Charts of training written as PNG files, drawn with JFreeChart: the loss per epoch, and
 * predictions against targets.
 *
 * <p>JFreeChart ({@code org.jfree:jfreechart}) is a dependency of {@code unroll-train}; a build that
 * excludes it can train but not plot: every method here then throws {@link IllegalStateException}
 * saying so, and nothing else needs it. Works headless.
 */
public final class Plots {
  /** Default image size, in pixels. */
  public static final int WIDTH = 900;

  public static final int HEIGHT = 500;

  private Plots() {}

  /** Whether JFreeChart is on the class path. */
  public static boolean available() {
    try {
      Class.forName("org.jfree.chart.JFreeChart", false, Plots.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The loss and, if logged, the validation loss per epoch (from 1), as Keras users plot them. */
  public static void history(History history, Path png) throws IOException {
    history(history, png, "Training history", "loss", "val_loss");
  }

  /**
   * The named series of a history per epoch (from 1); names not logged are left out.
   *
   * @throws IllegalArgumentException if none of the names was logged
   */
  public static void history(History history, Path png, String title, String... keys) throws IOException {
    Map<String, double[]> series = new LinkedHashMap<>();
    for (String key : keys) {
      if (history.has(key)) {
        List<Double> values = history.get(key);
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = values.get(i);
        }
        series.put(key, v);
      }
    }
    if (series.isEmpty()) {
      throw new IllegalArgumentException("Plots.history: none of " + List.of(keys) + " was logged; logged: "
          + history.keys());
    }
    double[] epochs = new double[history.epochs()];
    for (int i = 0; i < epochs.length; i++) {
      epochs[i] = i + 1;
    }
    lines(png, title, "epoch", "loss", epochs, series);
  }

  /** Targets and predictions against their index. */
  public static void predictions(Path png, String title, double[] targets, double[] predictions) throws IOException {
    if (targets.length != predictions.length) {
      throw new IllegalArgumentException("Plots.predictions: " + targets.length + " targets, " + predictions.length
          + " predictions");
    }
    double[] x = new double[targets.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("target", targets);
    series.put("prediction", predictions);
    lines(png, title, "sample", "value", x, series);
  }

  /**
   * Line chart of several series over shared x values; a NaN value leaves a gap. Written as a PNG of
   * {@link #WIDTH} × {@link #HEIGHT} pixels, replacing the file, creating its directory.
   *
   * @param series name to y values, each as long as {@code x}, drawn in order (the last on top)
   */
  public static void lines(Path png, String title, String xLabel, String yLabel, double[] x,
      Map<String, double[]> series) throws IOException {
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      if (e.getValue().length != x.length) {
        throw new IllegalArgumentException("Plots.lines: series " + e.getKey() + " has " + e.getValue().length
            + " values for " + x.length + " x values");
      }
    }
    requireJFreeChart();
    JFreeChartPlots.lines(png, title, xLabel, yLabel, x, series, WIDTH, HEIGHT);
  }

  private static void requireJFreeChart() {
    if (!available()) {
      throw new IllegalStateException("Plots needs JFreeChart on the class path; unroll-train depends on it, so it "
          + "was excluded from this build: add org.jfree:jfreechart (1.5.6) back to your dependencies");
    }
  }
}
