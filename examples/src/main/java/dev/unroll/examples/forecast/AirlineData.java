package dev.unroll.examples.forecast;

import dev.unroll.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The monthly airline passengers series and its preparation for {@link AirlineForecast}: windows of
 * {@code timesteps} months, features and targets scaled with statistics of the training windows
 * only, and the naive baselines.
 *
 * <p>Each sample predicts month j from months j−T .. j−1. Its features per month i are
 * {@code (log y_i − log y_{j−1}) / featureScale} (the window's shape relative to its last month, so
 * that the growing level never leaves the range the model was trained on), {@code sin(2π·m_i/12)}
 * and {@code cos(2π·m_i/12)} with m_i the month of the year (0 = January). Its target is next
 * month's log change, {@code (log y_j − log y_{j−1} − targetMean) / targetStd}; a prediction z
 * becomes {@code y_{j−1} · exp(z · targetStd + targetMean)}.
 */
public final class AirlineData {
  /** The CSV on the class path, with its source in README.md beside it. */
  public static final String RESOURCE = "/forecast/airline-passengers.csv";

  /** "1949-01" ... "1960-12". */
  public final List<String> months;

  /** Passengers per month, thousands. */
  public final double[] passengers;

  /** The calendar month (0 = January) of each value. */
  public final int[] monthOfYear;

  private AirlineData(List<String> months, double[] passengers, int[] monthOfYear) {
    this.months = months;
    this.passengers = passengers;
    this.monthOfYear = monthOfYear;
  }

  /** Reads {@link #RESOURCE}. */
  public static AirlineData load() {
    try (InputStream in = AirlineData.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String header = reader.readLine();
      if (!"month,passengers".equals(header)) {
        throw new IllegalStateException(RESOURCE + ": unexpected header " + header);
      }
      List<String> months = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.split(",");
        months.add(parts[0]);
        values.add(Double.parseDouble(parts[1]));
      }
      double[] v = new double[values.size()];
      int[] m = new int[values.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = values.get(i);
        m[i] = Integer.parseInt(months.get(i).substring(5, 7)) - 1;
      }
      return new AirlineData(List.copyOf(months), v, m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The number of months. */
  public int size() {
    return passengers.length;
  }

  /** The index of a month such as "1959-01". */
  public int indexOf(String month) {
    int i = months.indexOf(month);
    if (i < 0) {
      throw new IllegalArgumentException("no month " + month + " in " + months.get(0) + ".." + months.get(size() - 1));
    }
    return i;
  }

  /** Scaling statistics, fit on training targets [timesteps, trainEnd) only. */
  public static final class Scaling {
    public final double featureScale;
    public final double targetMean;
    public final double targetStd;

    Scaling(double featureScale, double targetMean, double targetStd) {
      this.featureScale = featureScale;
      this.targetMean = targetMean;
      this.targetStd = targetStd;
    }
  }

  /**
   * Fits the scaling on the windows whose targets are months [timesteps, trainEnd): the standard
   * deviation of the relative log levels, and the mean and standard deviation of the log changes.
   */
  public Scaling fitScaling(int timesteps, int trainEnd) {
    double sumSq = 0;
    int count = 0;
    double sum = 0;
    double sum2 = 0;
    int n = 0;
    for (int j = timesteps; j < trainEnd; j++) {
      double last = Math.log(passengers[j - 1]);
      for (int i = j - timesteps; i < j; i++) {
        double r = Math.log(passengers[i]) - last;
        sumSq += r * r;
        count++;
      }
      double change = Math.log(passengers[j]) - last;
      sum += change;
      sum2 += change * change;
      n++;
    }
    double mean = sum / n;
    double std = Math.sqrt(sum2 / n - mean * mean);
    return new Scaling(Math.sqrt(sumSq / count), mean, std);
  }

  /** Inputs (targets in [from, to), timesteps, 3) for the targets months [from, to). */
  public Tensor inputs(int from, int to, int timesteps, Scaling s) {
    if (from < timesteps || to > size() || from >= to) {
      throw new IllegalArgumentException(
          "targets [" + from + ", " + to + ") need " + timesteps + " months before them");
    }
    double[] x = new double[(to - from) * timesteps * 3];
    int p = 0;
    for (int j = from; j < to; j++) {
      double last = Math.log(passengers[j - 1]);
      for (int i = j - timesteps; i < j; i++) {
        double angle = 2 * Math.PI * monthOfYear[i] / 12.0;
        x[p++] = (Math.log(passengers[i]) - last) / s.featureScale;
        x[p++] = Math.sin(angle);
        x[p++] = Math.cos(angle);
      }
    }
    return Tensor.wrap(x, to - from, timesteps, 3);
  }

  /** Scaled targets (to − from, 1): next month's log change. */
  public Tensor targets(int from, int to, Scaling s) {
    double[] y = new double[to - from];
    for (int j = from; j < to; j++) {
      y[j - from] = (Math.log(passengers[j]) - Math.log(passengers[j - 1]) - s.targetMean) / s.targetStd;
    }
    return Tensor.wrap(y, to - from, 1);
  }

  /** Passengers forecast from the model's scaled outputs for targets [from, from + z.length). */
  public double[] unscale(double[] z, int from, Scaling s) {
    double[] out = new double[z.length];
    for (int k = 0; k < z.length; k++) {
      out[k] = passengers[from + k - 1] * Math.exp(z[k] * s.targetStd + s.targetMean);
    }
    return out;
  }

  /** The actual passengers of months [from, to). */
  public double[] actual(int from, int to) {
    return java.util.Arrays.copyOfRange(passengers, from, to);
  }

  /** Naive forecast: each month equals the month before. */
  public double[] lastValue(int from, int to) {
    return java.util.Arrays.copyOfRange(passengers, from - 1, to - 1);
  }

  /** Seasonal naive forecast: each month equals the same month a year before. */
  public double[] seasonalNaive(int from, int to) {
    return java.util.Arrays.copyOfRange(passengers, from - 12, to - 12);
  }

  /** Root mean squared error. */
  public static double rmse(double[] actual, double[] forecast) {
    double s = 0;
    for (int i = 0; i < actual.length; i++) {
      s += (actual[i] - forecast[i]) * (actual[i] - forecast[i]);
    }
    return Math.sqrt(s / actual.length);
  }
}
