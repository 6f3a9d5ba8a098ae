package dev.unroll.processor.api;

import dev.unroll.Gradients;
import dev.unroll.LayerInfo;
import dev.unroll.SelfCheck;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The self-check as it was before it checked gradients along random directions (central differences
 * at 12 weight entries and 3 inputs, 31 forward passes for one LSTM layer), kept only so that
 * {@link SelfCheckCost} can time the two side by side on the same loaded machine. Not used otherwise.
 *
 * <p>Its original description follows.
 *
 * What {@link SequenceModel#selfCheck()} runs, and the fixed input and upstream gradient that the
 * annotation processor uses at compile time to compute a model's expected values.
 *
 * <p>The check input is {@value #BATCH} samples of uniform values in [−1, 1) drawn from
 * {@code SplittableRandom(INPUT_SEED)} (an algorithm the JDK specifies, so every JVM draws the same
 * values), in the order of the flat (batch, timesteps, features) tensor. The upstream gradient r, drawn
 * the same way from {@code UPSTREAM_SEED}, defines the loss {@code L = sum(output * r)}, whose
 * gradients the check compares with finite differences. The expected values a generated class stores
 * are the output at {@link #outputProbes} and L.
 */
final class SelfChecksBefore {
  private SelfChecksBefore() {}

  /** Samples in the check's batch: two, so that a mix-up between samples shows. */
  public static final int BATCH = 2;

  /** The seed of the check input. */
  public static final long INPUT_SEED = 0x5E1FC4EC4L;

  /** The seed of the upstream gradient r. */
  public static final long UPSTREAM_SEED = 0x5E1FC4EC5L;

  /** Output values kept as expected values, at most (spread evenly over the output, first and last included). */
  public static final int OUTPUT_PROBES = 8;

  /** Weights whose gradients are checked, at most, spread over the weight tensors. */
  public static final int WEIGHT_PROBES = 16;

  /** Float64: tolerance of the output, and of a gradient; step of the finite differences; floor of the relative gradient error as a fraction of max(1, Σ|y·r|). */
  static final double[] FLOAT64 = {1e-9, 1e-6, 1e-6, 1e-3};

  /** Float32, as {@link #FLOAT64}: the model's float rounding, and Eigen's tanh approximation, dominate. */
  static final double[] FLOAT32 = {1e-4, 1e-2, 1e-3, 1e-2};

  /** The check input, flat (BATCH, timesteps, features), values in [−1, 1). */
  public static double[] input(int timesteps, int features) {
    return uniform(INPUT_SEED, Math.multiplyExact(BATCH, Math.multiplyExact(timesteps, features)));
  }

  /** The upstream gradient r of the loss {@code L = sum(output * r)}, flat like the output, values in [−1, 1). */
  public static double[] upstream(int outputValues) {
    return uniform(UPSTREAM_SEED, outputValues);
  }

  /** The indices of the output values kept: all of them up to {@link #OUTPUT_PROBES}, else that many spread evenly. */
  public static int[] outputProbes(int outputValues) {
    int n = Math.min(outputValues, OUTPUT_PROBES);
    int[] probes = new int[n];
    for (int k = 0; k < n; k++) {
      probes[k] = n == 1 ? 0 : (int) ((long) k * (outputValues - 1) / (n - 1));
    }
    return probes;
  }

  /**
   * The expected values a generated class stores for an output: the output at {@link #outputProbes},
   * then L = sum(output * r).
   *
   * @param output the flat output of the check input. Not modified.
   */
  public static double[] expected(double[] output) {
    int[] probes = outputProbes(output.length);
    double[] r = upstream(output.length);
    double[] e = new double[probes.length + 1];
    for (int k = 0; k < probes.length; k++) {
      e[k] = output[probes[k]];
    }
    for (int i = 0; i < output.length; i++) {
      e[probes.length] += output[i] * r[i];
    }
    return e;
  }

  /**
   * Runs the self-check on {@code model}: its output on the check input against {@code expected}
   * (unless null), and the gradients of a few weights and inputs against central finite differences.
   * The weights are set back to what they were before returning (the finite differences move them
   * one at a time), also when something throws.
   *
   * @param model the model, at the weights {@code expected} was computed for. Its buffers are used.
   * @param expected what {@link #expected} gives for the right output, or null to check only the gradients
   * @param float32 whether the model computes in float: the tolerances and the step are float32's
   */
  public static SelfCheck run(SequenceModel model, double[] expected, boolean float32) {
    double[] tol = float32 ? FLOAT32 : FLOAT64;
    int[] in = model.inputShape();
    int timesteps = in[0];
    int features = in[1];
    int[] sample = model.outputShape();
    int[] outShape = new int[sample.length + 1];
    outShape[0] = BATCH;
    System.arraycopy(sample, 0, outShape, 1, sample.length);
    int outValues = BATCH;
    for (int d : sample) {
      outValues = Math.multiplyExact(outValues, d);
    }
    Tensor x = Tensor.wrap(input(timesteps, features), BATCH, timesteps, features);
    double[] r = upstream(outValues);
    Tensor dOutput = Tensor.wrap(r, outShape);
    Tensor y = Tensor.zeros(outShape);
    List<Tensor> saved = model.getWeights();
    try {
      model.predict(x, y);
      double scale = 0;
      for (int i = 0; i < outValues; i++) {
        scale += Math.abs(y.data()[i] * r[i]);
      }
      double forwardError = 0;
      int referenceValues = 0;
      if (expected != null) {
        double[] actual = expected(y.data());
        if (actual.length != expected.length) {
          throw new IllegalArgumentException("selfCheck: expected " + actual.length + " values for an output of "
              + outValues + ", found " + expected.length);
        }
        referenceValues = expected.length;
        for (int k = 0; k < expected.length; k++) {
          boolean loss = k == expected.length - 1;
          double error = Math.abs(actual[k] - expected[k]) / Math.max(1, loss ? scale : Math.abs(expected[k]));
          forwardError = worse(forwardError, error);
        }
      }
      Gradients g = model.gradients(x, dOutput);
      Worst worst = new Worst();
      double floor = tol[3] * Math.max(1, scale);
      List<String> names = weightNames(model.layers(), saved.size());
      List<Tensor> w = new ArrayList<>();
      for (Tensor t : saved) {
        w.add(t.copy());
      }
      int perTensor = Math.max(1, Math.min(4, WEIGHT_PROBES / saved.size()));
      for (int k = 0; k < w.size(); k++) {
        double[] values = w.get(k).data();
        for (int j : probes(w.get(k).shape(), perTensor)) {
          double original = values[j];
          double[] steps = steps(original, tol[2], float32);
          values[j] = original + tol[2];
          model.setWeights(w);
          double plus = loss(model.predict(x, y), r);
          values[j] = original - tol[2];
          model.setWeights(w);
          double minus = loss(model.predict(x, y), r);
          values[j] = original;
          worst.add((plus - minus) / (steps[0] - steps[1]), g.weights().get(k).data()[j], floor,
              names.get(k) + " " + Tensor.format(w.get(k).shape()) + "[" + j + "]");
        }
      }
      model.setWeights(saved);
      double[] xs = x.data();
      int[][] inputs = {{0, 0, 0}, {BATCH - 1, timesteps / 2, features / 2}, {BATCH - 1, timesteps - 1, features - 1}};
      int previous = -1;
      for (int[] p : inputs) {
        int j = (p[0] * timesteps + p[1]) * features + p[2];
        if (j == previous) {
          continue;
        }
        previous = j;
        double original = xs[j];
        double[] steps = steps(original, tol[2], float32);
        xs[j] = original + tol[2];
        double plus = loss(model.predict(x, y), r);
        xs[j] = original - tol[2];
        double minus = loss(model.predict(x, y), r);
        xs[j] = original;
        worst.add((plus - minus) / (steps[0] - steps[1]), g.input().data()[j], floor,
            "input[" + p[0] + ", " + p[1] + ", " + p[2] + "]");
      }
      return new SelfCheck(model.getClass().getSimpleName(), float32, referenceValues, forwardError, tol[0],
          worst.count, worst.error, tol[1], worst.where);
    } finally {
      model.setWeights(saved);
    }
  }

  /** Σ y·r. */
  private static double loss(Tensor y, double[] r) {
    double l = 0;
    double[] v = y.data();
    for (int i = 0; i < v.length; i++) {
      l += v[i] * r[i];
    }
    return l;
  }

  /** The values that original ± step become in the model: rounded to float for a float32 model. */
  private static double[] steps(double original, double step, boolean float32) {
    double plus = original + step;
    double minus = original - step;
    return float32 ? new double[] {(float) plus, (float) minus} : new double[] {plus, minus};
  }

  /** The larger error, NaN winning (a NaN error must fail). */
  private static double worse(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
  }

  /**
   * Up to {@code count} distinct flat indices spread over a tensor: for a (rows, cols) matrix, probe k
   * is in the middle of column block k of {@code count} (for an LSTM kernel's (F, 4U) and count 4, one
   * column of each gate i, f, c, o), on row k·rows/count.
   */
  static int[] probes(int[] shape, int count) {
    int rows = shape.length == 2 ? shape[0] : 1;
    int cols = shape[shape.length - 1];
    int n = Math.min(count, rows * cols);
    List<Integer> found = new ArrayList<>();
    for (int k = 0; found.size() < n && k < count; k++) {
      int block = cols / count;
      int col = Math.min(cols - 1, (int) ((long) k * cols / count) + block / 2);
      int row = (int) ((long) k * rows / count);
      int j = row * cols + col;
      if (!found.contains(j)) {
        found.add(j);
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * "lstm kernel", "gru recurrent_kernel", "bi backward_gru/bias", ... for each weight tensor, from the
   * layers; "weights[k]" when they do not match.
   */
  static List<String> weightNames(List<LayerInfo> layers, int tensors) {
    List<String> names = new ArrayList<>();
    for (LayerInfo layer : layers) {
      if (layer.isBidirectional()) {
        String wrapped = layer.wrapped().toLowerCase(java.util.Locale.ROOT);
        for (String direction : new String[] {"forward_", "backward_"}) {
          String prefix = layer.name() + " " + direction + wrapped + "/";
          names.add(prefix + "kernel");
          names.add(prefix + "recurrent_kernel");
          if (layer.useBias()) {
            names.add(prefix + "bias");
          }
        }
        continue;
      }
      names.add(layer.name() + " kernel");
      if (layer.isRecurrent()) {
        names.add(layer.name() + " recurrent_kernel");
      }
      if (layer.useBias()) {
        names.add(layer.name() + " bias");
      }
    }
    if (names.size() != tensors) {
      names.clear();
      for (int k = 0; k < tensors; k++) {
        names.add("weights[" + k + "]");
      }
    }
    return names;
  }

  private static double[] uniform(long seed, int n) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 2 * rng.nextDouble() - 1;
    }
    return v;
  }

  /** The worst gradient error so far, and where. */
  private static final class Worst {
    int count;
    double error;
    String where = "nothing";

    void add(double numeric, double analytic, double floor, String at) {
      count++;
      double e = Math.abs(analytic - numeric) / Math.max(floor, Math.max(Math.abs(analytic), Math.abs(numeric)));
      if (count == 1 || Double.isNaN(e) || (!Double.isNaN(error) && e > error)) {
        error = e;
        where = at;
      }
    }
  }
}
