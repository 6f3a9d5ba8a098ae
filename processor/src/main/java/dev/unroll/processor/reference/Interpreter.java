package dev.unroll.processor.reference;

import dev.unroll.Activation;
import dev.unroll.internal.Initializers;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A plain interpreter of the layer equations over a {@link ModelSpec}, in double, one sample and
 * one timestep at a time: the reference that a generated class's {@code selfCheck()} compares its
 * compiled code with. It is written from the equations (Keras's, as in the design notes), not from
 * the code writers, and shares nothing with them but the model spec and the runtime's initialisers
 * (the weights at a seed are defined by those).
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
      } else if (layer instanceof DenseLayer d) {
        double[] k = new double[d.inputs() * d.units()];
        Initializers.glorotUniform(rng, k, d.inputs(), d.units());
        weights.add(k);
        if (d.useBias()) {
          weights.add(new double[d.units()]);
        }
      }
    }
    if (model.float32()) {
      weights.forEach(Interpreter::roundToFloat);
    }
    return new Interpreter(model, weights);
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
      if (layer instanceof LstmLayer l) {
        double u = l.units();
        cost += (double) l.timesteps() * 4 * u * (l.features() + u) + 2 * (4 * u) * u * u;
      } else if (layer instanceof DenseLayer d) {
        cost += Math.max(1, d.timesteps()) * (double) d.inputs() * d.units();
      }
    }
    return cost;
  }

  /**
   * The model's output for a batch.
   *
   * @param x the input, flat (batch, timesteps, features). Not modified.
   * @return the output, flat (batch, output shape)
   */
  public double[] predict(double[] x, int batch) {
    LstmLayer first = model.input();
    int t = first.timesteps();
    int f = first.features();
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
      out.add(flatten(sample(rows)));
    }
    double[] all = new double[out.size() * out.get(0).length];
    for (int s = 0; s < out.size(); s++) {
      System.arraycopy(out.get(s), 0, all, s * out.get(0).length, out.get(0).length);
    }
    return all;
  }

  /** One sample through the stack: a sequence (rows, width) in; a sequence, or one row, out. */
  private double[][] sample(double[][] sequence) {
    int w = 0;
    double[][] h = sequence;
    for (Layer layer : model.layers()) {
      if (layer instanceof LstmLayer l) {
        h = lstm(l, h, weights.get(w), weights.get(w + 1), l.useBias() ? weights.get(w + 2) : null);
        w += l.useBias() ? 3 : 2;
      } else if (layer instanceof DenseLayer d) {
        h = dense(d, h, weights.get(w), d.useBias() ? weights.get(w + 1) : null);
        w += d.useBias() ? 2 : 1;
      }
    }
    return h;
  }

  /**
   * One LSTM layer on one sample: z = x_t·W + h_{t-1}·U + b in gate blocks i, f, c, o;
   * c_t = f·c_{t-1} + i·c~; h_t = o·act(c_t); from zero state; the steps from the last when going
   * backwards. Returns every h_t in the order computed, or only the last.
   */
  static double[][] lstm(LstmLayer l, double[][] xs, double[] kernel, double[] recurrent, double[] bias) {
    int u = l.units();
    int f = l.features();
    int steps = xs.length;
    double[] h = new double[u];
    double[] c = new double[u];
    double[][] seq = new double[steps][];
    for (int s = 0; s < steps; s++) {
      double[] x = xs[l.goBackwards() ? steps - 1 - s : s];
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
