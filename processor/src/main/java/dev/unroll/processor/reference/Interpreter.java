package dev.unroll.processor.reference;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import dev.unroll.internal.Initializers;
import dev.unroll.processor.model.BidirectionalLayer;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.GruLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.MaskingLayer;
import dev.unroll.processor.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A plain interpreter of the layer equations over a {@link ModelSpec}, in double, one sample and
 * one timestep at a time: the reference that a generated class's {@code selfCheck()} compares its
 * compiled code with. It knows LSTM, GRU (reset_after true and false), Bidirectional over either
 * (merge modes concat, sum, mul, ave) and Dense layers, in any order, after a Masking layer or not
 * ({@link #knows}). It is written from the equations (Keras's, as in the design notes), not from
 * the code writers, and shares nothing with them but the model spec and the runtime's initialisers
 * (the weights at a seed are defined by those).
 *
 * <p>Masking as Keras: step t of a sample is masked when every feature equals the mask value (compared
 * in the model's precision). At a masked step a recurrent layer keeps h (and c); a plain layer's output
 * there is the carried h (zeros before its first unmasked step), a Bidirectional copy's is zeros
 * (Keras's {@code zero_output_for_mask}); the backward copy, reading from the last step, reads the mask
 * from the last step too. The mask goes through every layer that keeps the time axis (a Dense per
 * timestep computes every step) and is dropped after a layer that returns its last step only.
 *
 * <p>A float32 model holds its weights and input rounded to float; the interpreter rounds them the
 * same way and then computes in double, so what remains between the two is the model's float
 * arithmetic.
 */
public final class Interpreter {
  private final ModelSpec model;
  private final List<double[]> weights;

  /**
   * The model with the weights its generated class draws from {@code seed}: the layers in order,
   * each drawing from one {@code SplittableRandom(seed)} as Keras's defaults (LSTM kernel
   * glorot_uniform, recurrent kernel orthogonal, bias zeros with the forget block at 1 under
   * unit_forget_bias; Dense kernel glorot_uniform, bias zeros).
   */
  public static Interpreter atSeed(ModelSpec model, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<double[]> weights = new ArrayList<>();
    for (Layer layer : model.layers()) {
      if (layer instanceof MaskingLayer) {
        continue; // no weights
      }
      if (layer instanceof BidirectionalLayer b) {
        // the forward copy draws first, then the backward copy, each as the layer it wraps
        draw(b.forward(), rng, weights);
        draw(b.backward(), rng, weights);
      } else {
        draw(layer, rng, weights);
      }
    }
    if (model.float32()) {
      weights.forEach(Interpreter::roundToFloat);
    }
    return new Interpreter(model, weights);
  }

  /**
   * Draws one layer's weights as Keras's defaults: a recurrent kernel glorot_uniform over
   * (F, gates), the recurrent kernel orthogonal, the bias zeros (an LSTM's forget block at 1 under
   * unit_forget_bias; a GRU's (2, 3U) with reset_after, (3U) without); Dense glorot_uniform, zeros.
   */
  private static void draw(Layer layer, SplittableRandom rng, List<double[]> weights) {
    if (layer instanceof LstmLayer l) {
      int u = l.units();
      double[] w = new double[l.features() * 4 * u];
      Initializers.glorotUniform(rng, w, l.features(), 4 * u);
      double[] rec = new double[u * 4 * u];
      Initializers.orthogonal(rng, rec, u, 4 * u);
      weights.add(w);
      weights.add(rec);
      if (l.useBias()) {
        double[] b = new double[4 * u];
        if (l.unitForgetBias()) {
          for (int j = u; j < 2 * u; j++) {
            b[j] = 1;
          }
        }
        weights.add(b);
      }
    } else if (layer instanceof GruLayer g) {
      int u = g.units();
      double[] w = new double[g.features() * 3 * u];
      Initializers.glorotUniform(rng, w, g.features(), 3 * u);
      double[] rec = new double[u * 3 * u];
      Initializers.orthogonal(rng, rec, u, 3 * u);
      weights.add(w);
      weights.add(rec);
      if (g.useBias()) {
        weights.add(new double[(g.resetAfter() ? 2 : 1) * 3 * u]);
      }
    } else if (layer instanceof DenseLayer d) {
      double[] k = new double[d.inputs() * d.units()];
      Initializers.glorotUniform(rng, k, d.inputs(), d.units());
      weights.add(k);
      if (d.useBias()) {
        weights.add(new double[d.units()]);
      }
    } else {
      throw new IllegalArgumentException("the interpreter has no " + layer.kerasClass() + " layer");
    }
  }

  /**
   * Whether the interpreter knows every layer of {@code model}: LSTM, GRU, Bidirectional and Dense, in
   * any order, and Masking.
   */
  public static boolean knows(ModelSpec model) {
    return model.layers().stream().allMatch(Interpreter::knows);
  }

  private static boolean knows(Layer layer) {
    return layer instanceof MaskingLayer || layer instanceof LstmLayer || layer instanceof GruLayer || layer instanceof DenseLayer
        || layer instanceof BidirectionalLayer b && (b.forward() instanceof LstmLayer || b.forward() instanceof GruLayer);
  }

  /** The model with the given weights, in Keras {@code get_weights()} order, flat row-major. */
  public Interpreter(ModelSpec model, List<double[]> weights) {
    this.model = model;
    this.weights = weights;
  }

  /** The weights, in Keras {@code get_weights()} order, flat row-major. */
  public List<double[]> weights() {
    return weights;
  }

  /**
   * Multiply-adds of a forward pass of one sample and of drawing the weights (the QR decompositions
   * of the orthogonal initialiser, about 2·rows·cols² each): what {@link #atSeed} and {@link #predict}
   * cost, for the processor's compile-time budget.
   */
  public static double cost(ModelSpec model) {
    double cost = 0;
    for (Layer layer : model.layers()) {
      cost += cost(layer);
    }
    return cost;
  }

  private static double cost(Layer layer) {
    if (layer instanceof LstmLayer l) {
      double u = l.units();
      return (double) l.timesteps() * 4 * u * (l.features() + u) + 2 * (4 * u) * u * u;
    } else if (layer instanceof GruLayer g) {
      double u = g.units();
      return (double) g.timesteps() * 3 * u * (g.features() + u) + 2 * (3 * u) * u * u;
    } else if (layer instanceof BidirectionalLayer b) {
      return 2 * cost(b.forward());
    } else if (layer instanceof DenseLayer d) {
      return Math.max(1, d.timesteps()) * (double) d.inputs() * d.units();
    }
    return 0;
  }

  /**
   * The model's output for a batch.
   *
   * @param x the input, flat (batch, timesteps, features). Not modified.
   * @return the output, flat (batch, output shape)
   */
  public double[] predict(double[] x, int batch) {
    int t = model.timesteps();
    int f = model.features();
    MaskingLayer masking = model.masking();
    List<double[]> out = new ArrayList<>();
    for (int s = 0; s < batch; s++) {
      // one sample as a sequence of rows: (timesteps, features)
      double[][] rows = new double[t][f];
      for (int step = 0; step < t; step++) {
        for (int k = 0; k < f; k++) {
          double v = x[(s * t + step) * f + k];
          rows[step][k] = model.float32() ? (float) v : v;
        }
      }
      out.add(flatten(sample(rows, masking == null ? null : mask(rows, masking.maskValue()))));
    }
    double[] all = new double[out.size() * out.get(0).length];
    for (int s = 0; s < out.size(); s++) {
      System.arraycopy(out.get(s), 0, all, s * out.get(0).length, out.get(0).length);
    }
    return all;
  }

  /**
   * Keras's mask of one sample: step t is masked (true) when every feature equals {@code maskValue},
   * compared in the model's precision (the rows are already rounded to it).
   */
  private boolean[] mask(double[][] rows, double maskValue) {
    double value = model.float32() ? (float) maskValue : maskValue;
    boolean[] masked = new boolean[rows.length];
    for (int t = 0; t < rows.length; t++) {
      masked[t] = true;
      for (double v : rows[t]) {
        masked[t] &= v == value;
      }
    }
    return masked;
  }

  /**
   * One sample through the stack: a sequence (rows, width) in; a sequence, or one row, out.
   *
   * @param mask which steps are masked, by input step; null for a model without Masking
   */
  private double[][] sample(double[][] sequence, boolean[] mask) {
    int[] w = {0};
    double[][] h = sequence;
    for (Layer layer : model.layers()) {
      if (layer instanceof MaskingLayer) {
        continue; // its output is its input; what it adds is the mask
      }
      if (layer instanceof BidirectionalLayer b) {
        // each copy's output is zeros at a masked step (zero_output_for_mask)
        double[][] forward = recurrent(b.forward(), h, mask, true, w);
        double[][] backward = recurrent(b.backward(), h, mask, true, w);
        h = merge(b, forward, backward);
      } else if (layer instanceof DenseLayer d) {
        h = dense(d, h, weights.get(w[0]), d.useBias() ? weights.get(w[0] + 1) : null);
        w[0] += d.useBias() ? 2 : 1;
      } else {
        h = recurrent(layer, h, mask, false, w);
      }
      if (!layer.returnsSequences()) {
        mask = null; // the last step only: no mask after it
      }
    }
    return h;
  }

  /**
   * An LSTM or GRU layer with the weights from index {@code w[0]} on, which it moves past.
   *
   * @param mask the masked input steps, or null
   * @param zeroOutput whether the output at a masked step is zeros (inside a Bidirectional) rather than the carried h
   */
  private double[][] recurrent(Layer layer, double[][] xs, boolean[] mask, boolean zeroOutput, int[] w) {
    int at = w[0];
    if (layer instanceof LstmLayer l) {
      w[0] += l.useBias() ? 3 : 2;
      return lstm(l, xs, mask, zeroOutput, weights.get(at), weights.get(at + 1), l.useBias() ? weights.get(at + 2) : null);
    }
    if (layer instanceof GruLayer g) {
      w[0] += g.useBias() ? 3 : 2;
      return gru(g, xs, mask, zeroOutput, weights.get(at), weights.get(at + 1), g.useBias() ? weights.get(at + 2) : null);
    }
    throw new IllegalArgumentException("the interpreter has no " + layer.kerasClass() + " layer");
  }

  /**
   * A Bidirectional layer's output from its two copies' outputs (each a sequence in the order it was
   * computed, or its last h): the backward copy computed from the last step to the first, so its
   * sequence is reversed back to input order; then row by row concat (forward first), sum, mul or ave.
   */
  static double[][] merge(BidirectionalLayer b, double[][] forward, double[][] backward) {
    int rows = forward.length;
    int u = forward[0].length;
    double[][] out = new double[rows][];
    for (int r = 0; r < rows; r++) {
      double[] f = forward[r];
      double[] k = backward[rows - 1 - r];
      double[] y = new double[b.mergeMode() == MergeMode.CONCAT ? 2 * u : u];
      for (int j = 0; j < u; j++) {
        switch (b.mergeMode()) {
          case CONCAT -> {
            y[j] = f[j];
            y[u + j] = k[j];
          }
          case SUM -> y[j] = f[j] + k[j];
          case MUL -> y[j] = f[j] * k[j];
          case AVE -> y[j] = (f[j] + k[j]) / 2;
        }
      }
      out[r] = y;
    }
    return out;
  }

  /**
   * One LSTM layer on one sample: z = x_t·W + h_{t-1}·U + b in gate blocks i, f, c, o;
   * c_t = f·c_{t-1} + i·c~; h_t = o·act(c_t); from zero state; the steps from the last when going
   * backwards. At a masked step h and c stay, and the output is h (or zeros, {@code zeroOutput}).
   * Returns every output in the order computed, or only the last h.
   */
  static double[][] lstm(LstmLayer l, double[][] xs, boolean[] mask, boolean zeroOutput, double[] kernel,
      double[] recurrent, double[] bias) {
    int u = l.units();
    int f = l.features();
    int steps = xs.length;
    double[] h = new double[u];
    double[] c = new double[u];
    double[][] seq = new double[steps][];
    for (int s = 0; s < steps; s++) {
      int input = l.goBackwards() ? steps - 1 - s : s;
      if (mask != null && mask[input]) {
        seq[s] = zeroOutput ? new double[u] : h;
        continue;
      }
      double[] x = xs[input];
      double[] z = new double[4 * u];
      for (int j = 0; j < 4 * u; j++) {
        double sum = bias == null ? 0 : bias[j];
        for (int k = 0; k < f; k++) {
          sum += x[k] * kernel[k * 4 * u + j];
        }
        for (int k = 0; k < u; k++) {
          sum += h[k] * recurrent[k * 4 * u + j];
        }
        z[j] = sum;
      }
      double[] next = new double[u];
      for (int j = 0; j < u; j++) {
        double in = apply(l.recurrentActivation(), z[j]);
        double forget = apply(l.recurrentActivation(), z[u + j]);
        double candidate = apply(l.activation(), z[2 * u + j]);
        double out = apply(l.recurrentActivation(), z[3 * u + j]);
        c[j] = forget * c[j] + in * candidate;
        next[j] = out * apply(l.activation(), c[j]);
      }
      h = next;
      seq[s] = next;
    }
    return l.returnSequences() ? seq : new double[][] {h};
  }

  /**
   * One GRU layer on one sample, gate blocks z, r, h (Keras's column order), from zero state; the steps
   * from the last when going backwards. With reset_after, bias rows b (input) and b' (recurrent):
   * z = σ(x·W_z + b_z + h·U_z + b'_z), r likewise, ĥ = act(x·W_h + b_h + r ⊙ (h·U_h + b'_h)); without,
   * one bias: z = σ(x·W_z + h·U_z + b_z), r likewise, ĥ = act(x·W_h + (r ⊙ h)·U_h + b_h). Then
   * h_t = z ⊙ h_{t−1} + (1 − z) ⊙ ĥ. At a masked step h stays, and the output is h (or zeros,
   * {@code zeroOutput}). Returns every output in the order computed, or only the last h.
   */
  static double[][] gru(GruLayer g, double[][] xs, boolean[] mask, boolean zeroOutput, double[] kernel,
      double[] recurrent, double[] bias) {
    int u = g.units();
    int f = g.features();
    int width = 3 * u;
    int steps = xs.length;
    double[] h = new double[u];
    double[][] seq = new double[steps][];
    for (int s = 0; s < steps; s++) {
      int input = g.goBackwards() ? steps - 1 - s : s;
      if (mask != null && mask[input]) {
        seq[s] = zeroOutput ? new double[u] : h;
        continue;
      }
      double[] x = xs[input];
      // x·W + b, and h·U (+ b' with reset_after), each over all three blocks
      double[] xw = new double[width];
      double[] hu = new double[width];
      for (int j = 0; j < width; j++) {
        double sum = bias == null ? 0 : bias[j];
        for (int k = 0; k < f; k++) {
          sum += x[k] * kernel[k * width + j];
        }
        xw[j] = sum;
        double rec = bias != null && g.resetAfter() ? bias[width + j] : 0;
        for (int k = 0; k < u; k++) {
          rec += h[k] * recurrent[k * width + j];
        }
        hu[j] = rec;
      }
      double[] z = new double[u];
      double[] r = new double[u];
      for (int j = 0; j < u; j++) {
        z[j] = apply(g.recurrentActivation(), xw[j] + hu[j]);
        r[j] = apply(g.recurrentActivation(), xw[u + j] + hu[u + j]);
      }
      double[] next = new double[u];
      for (int j = 0; j < u; j++) {
        double pre;
        if (g.resetAfter()) {
          pre = xw[2 * u + j] + r[j] * hu[2 * u + j];
        } else {
          // (r ⊙ h)·U_h: the candidate's recurrent product of the reset state
          pre = xw[2 * u + j];
          for (int k = 0; k < u; k++) {
            pre += r[k] * h[k] * recurrent[k * width + 2 * u + j];
          }
        }
        double candidate = apply(g.activation(), pre);
        next[j] = z[j] * h[j] + (1 - z[j]) * candidate;
      }
      h = next;
      seq[s] = next;
    }
    return g.returnSequences() ? seq : new double[][] {h};
  }

  /** A Dense layer on each row: y = act(x·K + b). */
  static double[][] dense(DenseLayer d, double[][] xs, double[] kernel, double[] bias) {
    double[][] ys = new double[xs.length][];
    for (int r = 0; r < xs.length; r++) {
      double[] y = new double[d.units()];
      for (int j = 0; j < d.units(); j++) {
        double sum = bias == null ? 0 : bias[j];
        for (int k = 0; k < d.inputs(); k++) {
          sum += xs[r][k] * kernel[k * d.units() + j];
        }
        y[j] = sum;
      }
      if (d.activation() == Activation.SOFTMAX) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : y) {
          max = Math.max(max, v);
        }
        double total = 0;
        for (int j = 0; j < y.length; j++) {
          y[j] = Math.exp(y[j] - max);
          total += y[j];
        }
        for (int j = 0; j < y.length; j++) {
          y[j] /= total;
        }
      } else {
        for (int j = 0; j < y.length; j++) {
          y[j] = apply(d.activation(), y[j]);
        }
      }
      ys[r] = y;
    }
    return ys;
  }

  /** An elementwise activation, by its Keras formula. */
  static double apply(Activation a, double x) {
    return switch (a) {
      case TANH -> Math.tanh(x);
      case SIGMOID -> 1 / (1 + Math.exp(-x));
      case HARD_SIGMOID -> Math.min(1, Math.max(0, 0.2 * x + 0.5));
      case HARD_SIGMOID_KERAS3 -> Math.min(1, Math.max(0, x / 6 + 0.5));
      case RELU -> Math.max(0, x);
      case LINEAR -> x;
      case SOFTMAX -> throw new IllegalArgumentException("softmax applies to a whole row, not to one value");
    };
  }

  private static double[] flatten(double[][] rows) {
    double[] flat = new double[rows.length * rows[0].length];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * rows[r].length, rows[r].length);
    }
    return flat;
  }

  private static void roundToFloat(double[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) v[i];
    }
  }
}
