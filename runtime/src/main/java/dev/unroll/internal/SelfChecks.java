package dev.unroll.internal;

import dev.unroll.Gradients;
import dev.unroll.LayerInfo;
import dev.unroll.SelfCheck;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What {@link SequenceModel#selfCheck()} runs, and the fixed input and upstream gradient that the
 * annotation processor uses at compile time to compute a model's expected values.
 *
 * <p>The check input is {@value #BATCH} samples of uniform values in [−1, 1) drawn from
 * {@code SplittableRandom(INPUT_SEED)} (an algorithm the JDK specifies, so every JVM draws the same
 * values), in the order of the flat (batch, timesteps, features) tensor. The upstream gradient r, drawn
 * the same way from {@code UPSTREAM_SEED}, defines the loss {@code L = sum(output * r)}, whose
 * gradients the check compares with finite differences. The expected values a generated class stores
 * are the output at {@link #outputProbes} and L.
 *
 * <p>A model with a {@code Masking} layer is checked on {@link #maskedInput}: the same values with some
 * steps set to the mask value (sample 0 padded at its end, sample 1 with a hole in the middle), so that
 * the check runs through the mask's code.
 */
public final class SelfChecks {
  private SelfChecks() {}

  /** Samples in the check's batch: two, so that a mix-up between samples shows. */
  public static final int BATCH = 2;

  /** The seed of the check input. */
  public static final long INPUT_SEED = 0x5E1FC4EC4L;

  /** The seed of the upstream gradient r. */
  public static final long UPSTREAM_SEED = 0x5E1FC4EC5L;

  /** Output values kept as expected values, at most (spread evenly over the output, first and last included). */
  public static final int OUTPUT_PROBES = 8;

  /** The seed of the random directions along which the gradients are checked. */
  public static final long DIRECTION_SEED = 0x5E1FC4EC6L;

  /** Float64: tolerance of the output, and of a gradient; step of the finite differences; floor of the relative gradient error as a fraction of max(1, Σ|y·r|). */
  static final double[] FLOAT64 = {1e-9, 1e-6, 1e-6, 1e-3};

  /** Float32, as {@link #FLOAT64}: the model's float rounding, and Eigen's tanh approximation, dominate. */
  static final double[] FLOAT32 = {1e-4, 1e-2, 1e-3, 1e-2};

  /** The check input, flat (BATCH, timesteps, features), values in [−1, 1). */
  public static double[] input(int timesteps, int features) {
    return uniform(INPUT_SEED, Math.multiplyExact(BATCH, Math.multiplyExact(timesteps, features)));
  }

  /**
   * The check input of a model with a {@code Masking} layer: {@link #input} with the steps of
   * {@link #maskedStep} set to {@code maskValue} in every feature.
   */
  public static double[] maskedInput(int timesteps, int features, double maskValue) {
    double[] x = input(timesteps, features);
    boolean[] masked = maskedValues(timesteps, features);
    for (int j = 0; j < x.length; j++) {
      if (masked[j]) {
        x[j] = maskValue;
      }
    }
    return x;
  }

  /**
   * Whether step {@code step} of sample {@code sample} of {@link #maskedInput} is masked: sample 0's
   * last max(1, T/4) steps (padding at the end; with T = 1 its only step), and sample 1's middle step
   * T/2 when T ≥ 3 (a hole the state is carried across). Every other step counts.
   */
  public static boolean maskedStep(int sample, int step, int timesteps) {
    if (sample == 0) {
      return step >= timesteps - Math.max(1, timesteps / 4);
    }
    return sample == 1 && timesteps >= 3 && step == timesteps / 2;
  }

  /** {@link #maskedStep} for each value of the flat (BATCH, timesteps, features) input. */
  static boolean[] maskedValues(int timesteps, int features) {
    boolean[] masked = new boolean[BATCH * timesteps * features];
    for (int b = 0; b < BATCH; b++) {
      for (int t = 0; t < timesteps; t++) {
        if (maskedStep(b, t, timesteps)) {
          java.util.Arrays.fill(masked, (b * timesteps + t) * features, (b * timesteps + t + 1) * features, true);
        }
      }
    }
    return masked;
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
   * (unless null), and its gradients against central finite differences: for each weight tensor, and
   * for the input, the derivative of L along one random direction over the whole tensor (fixed seed),
   * {@code (L(w + εd) − L(w − εd)) / 2ε} against {@code ⟨dL/dw, d⟩} from the backward pass. For a
   * model whose first layer is a {@code Masking} layer the input has masked steps ({@link #maskedInput}),
   * the input's direction leaves them alone (moving them would unmask them), and dL/dx there must be 0.
   * The weights are set back to what they were before returning (the finite differences move them
   * one tensor at a time), also when something throws.
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
    List<LayerInfo> layers = model.layers();
    boolean masked = !layers.isEmpty() && layers.get(0).isMasking();
    Tensor x = Tensor.wrap(masked ? maskedInput(timesteps, features, layers.get(0).maskValue())
        : input(timesteps, features), BATCH, timesteps, features);
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
      double step = tol[2];
      List<String> names = weightNames(layers, saved.size());
      List<Tensor> w = new ArrayList<>();
      for (Tensor t : saved) {
        w.add(t.copy());
      }
      SplittableRandom directions = new SplittableRandom(DIRECTION_SEED);
      for (int k = 0; k < w.size(); k++) {
        double[] values = w.get(k).data();
        double[] original = values.clone();
        double[] d = direction(directions, values.length, null);
        double plus = 0;
        double minus = 0;
        for (int sign : new int[] {1, -1}) {
          for (int j = 0; j < values.length; j++) {
            values[j] = original[j] + sign * step * d[j];
          }
          model.setWeights(w);
          double l = loss(model.predict(x, y), r);
          plus = sign > 0 ? l : plus;
          minus = sign < 0 ? l : minus;
        }
        System.arraycopy(original, 0, values, 0, values.length);
        worst.add(plus, minus, alongSteps(g.weights().get(k).data(), original, step, d, float32), step, floor,
            names.get(k) + " " + Tensor.format(w.get(k).shape()));
      }
      model.setWeights(saved);
      // dL/dx along a direction over the unmasked steps; 0 at the masked ones
      double[] xs = x.data();
      double[] original = xs.clone();
      boolean[] skip = masked ? maskedValues(timesteps, features) : null;
      double[] d = direction(directions, xs.length, skip);
      double plus = 0;
      double minus = 0;
      for (int sign : new int[] {1, -1}) {
        for (int j = 0; j < xs.length; j++) {
          xs[j] = original[j] + sign * step * d[j];
        }
        double l = loss(model.predict(x, y), r);
        plus = sign > 0 ? l : plus;
        minus = sign < 0 ? l : minus;
      }
      System.arraycopy(original, 0, xs, 0, xs.length);
      worst.add(plus, minus, alongSteps(g.input().data(), original, step, d, float32), step, floor,
          "input " + Tensor.format(x.shape()) + (masked ? " at its unmasked steps" : ""));
      if (masked) {
        double atMasked = 0;
        for (int j = 0; j < xs.length; j++) {
          if (skip[j]) {
            atMasked += Math.abs(g.input().data()[j]);
          }
        }
        worst.add(0, 0, atMasked, step, floor, "input at its masked steps (dL/dx must be 0 there)");
      }
      return new SelfCheck(model.getClass().getSimpleName(), float32, referenceValues, forwardError, tol[0],
          worst.count, worst.error, tol[1], worst.where);
    } finally {
      model.setWeights(saved);
    }
  }

  /**
   * A random unit direction over {@code n} values (uniform in [−1, 1), normalised), 0 where
   * {@code skip} is true.
   */
  private static double[] direction(SplittableRandom rng, int n, boolean[] skip) {
    double[] d = new double[n];
    double norm = 0;
    for (int j = 0; j < n; j++) {
      double v = 2 * rng.nextDouble() - 1;
      d[j] = skip != null && skip[j] ? 0 : v;
      norm += d[j] * d[j];
    }
    norm = Math.sqrt(norm);
    for (int j = 0; j < n; j++) {
      d[j] = norm == 0 ? 0 : d[j] / norm;
    }
    return d;
  }

  /**
   * ⟨gradient, Δ⟩ / 2ε, with Δ = w⁺ − w⁻ the step between the two points as the model holds them
   * (rounded to float for a float32 model): the backward pass's prediction of {@code (L⁺ − L⁻) / 2ε}.
   */
  private static double alongSteps(double[] gradient, double[] original, double step, double[] d, boolean float32) {
    double sum = 0;
    for (int j = 0; j < gradient.length; j++) {
      double plus = original[j] + step * d[j];
      double minus = original[j] - step * d[j];
      sum += gradient[j] * (float32 ? (double) (float) plus - (float) minus : plus - minus);
    }
    return sum / (2 * step);
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

  /** The larger error, NaN winning (a NaN error must fail). */
  private static double worse(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
  }

  /**
   * "lstm kernel", "gru recurrent_kernel", "bi backward_gru/bias", ... for each weight tensor, from the
   * layers; "weights[k]" when they do not match.
   */
  public static List<String> weightNames(List<LayerInfo> layers, int tensors) {
    List<String> names = new ArrayList<>();
    for (LayerInfo layer : layers) {
      if (layer.isMasking()) {
        continue; // no weights
      }
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

    /** A derivative from L⁺ and L⁻ (central difference over 2·step) against the backward pass's. */
    void add(double plus, double minus, double analytic, double step, double floor, String at) {
      count++;
      double numeric = (plus - minus) / (2 * step);
      double e = Math.abs(analytic - numeric) / Math.max(floor, Math.max(Math.abs(analytic), Math.abs(numeric)));
      if (count == 1 || Double.isNaN(e) || (!Double.isNaN(error) && e > error)) {
        error = e;
        where = at;
      }
    }
  }
}
