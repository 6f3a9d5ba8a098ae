package dev.unroll.processor.testing;

import dev.unroll.Activation;
import dev.unroll.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain forward pass of a Keras stack (LSTM layers, then Dense layers) written from the Keras
 * equations, independent of the generated code and of the runtime's {@code Activations}:
 * batch-major, one sample, one step, one unit at a time, with nested arrays.
 *
 * <ul>
 *   <li>LSTM: {@code z = x_t·W + h_{t-1}·U + b}, blocks i, f, c, o; {@code c_t = f⊙c_{t-1} + i⊙c~};
 *       {@code h_t = o⊙act(c_t)}. With {@code go_backwards} the layer reads x_{T-1} first, and its
 *       returned sequence is in processing order (reversed), its last output that of x_0 (Keras).
 *       The initial state, when given, is that of the first LSTM layer; the others start at zero.
 *   <li>Dense: {@code y = act(x·kernel + bias)}, per timestep after a sequence; softmax over the
 *       units of each row.
 * </ul>
 *
 * <p>Also measures how close any activation's argument comes to a kink (relu at 0, hard sigmoids at
 * ±2.5 and ±3), where finite differences are meaningless.
 */
public final class ReferenceStack {

  /** One layer's declaration. */
  public sealed interface Spec permits LstmSpec, DenseSpec {
    int units();
  }

  public record LstmSpec(int units, Activation activation, Activation recurrentActivation, boolean useBias,
      boolean returnSequences, boolean returnState, boolean goBackwards) implements Spec {

    /** The annotation; timesteps and features stated only when positive (the first layer). */
    public String annotation(int timesteps, int features) {
      StringBuilder sb = new StringBuilder("@Lstm(units = ").append(units);
      if (timesteps > 0) {
        sb.append(", timesteps = ").append(timesteps).append(", features = ").append(features);
      }
      if (activation != Activation.TANH) {
        sb.append(", activation = Activation.").append(activation);
      }
      if (recurrentActivation != Activation.SIGMOID) {
        sb.append(", recurrentActivation = Activation.").append(recurrentActivation);
      }
      if (!useBias) {
        sb.append(", useBias = false");
      }
      if (returnSequences) {
        sb.append(", returnSequences = true");
      }
      if (returnState) {
        sb.append(", returnState = true");
      }
      if (goBackwards) {
        sb.append(", goBackwards = true");
      }
      return sb.append(')').toString();
    }
  }

  public record DenseSpec(int units, Activation activation, boolean useBias) implements Spec {
    public String annotation() {
      return "@Dense(units = " + units + (activation != Activation.LINEAR ? ", activation = Activation." + activation : "")
          + (useBias ? "" : ", useBias = false") + ")";
    }
  }

  /** The forward pass of a batch. */
  public static final class Result {
    /** (batch, timesteps, width) or (batch, width). */
    public final Tensor output;
    /** h and c after the last step of the last LSTM layer, (batch, units). */
    public final Tensor hT;
    public final Tensor cT;
    /** The smallest distance of an activation's argument to a kink; +infinity if none has kinks. */
    public final double kinkMargin;

    Result(Tensor output, Tensor hT, Tensor cT, double kinkMargin) {
      this.output = output;
      this.hT = hT;
      this.cT = cT;
      this.kinkMargin = kinkMargin;
    }
  }

  public final List<Spec> layers;
  public final int timesteps;
  public final int features;

  public ReferenceStack(List<Spec> layers, int timesteps, int features) {
    this.layers = List.copyOf(layers);
    this.timesteps = timesteps;
    this.features = features;
  }

  /** The annotations declaring this stack, in order. */
  public String annotations() {
    List<String> parts = new ArrayList<>();
    boolean firstLstm = true;
    for (Spec s : layers) {
      if (s instanceof LstmSpec) {
        parts.add(((LstmSpec) s).annotation(firstLstm ? timesteps : 0, features));
        firstLstm = false;
      } else {
        parts.add(((DenseSpec) s).annotation());
      }
    }
    return String.join(" ", parts);
  }

  /** The shapes of the weights, in Keras {@code get_weights()} order. */
  public List<int[]> weightShapes() {
    List<int[]> shapes = new ArrayList<>();
    int in = features;
    for (Spec s : layers) {
      if (s instanceof LstmSpec) {
        LstmSpec l = (LstmSpec) s;
        shapes.add(new int[] {in, 4 * l.units()});
        shapes.add(new int[] {l.units(), 4 * l.units()});
        if (l.useBias()) {
          shapes.add(new int[] {4 * l.units()});
        }
      } else {
        DenseSpec d = (DenseSpec) s;
        shapes.add(new int[] {in, d.units()});
        if (d.useBias()) {
          shapes.add(new int[] {d.units()});
        }
      }
      in = s.units();
    }
    return shapes;
  }

  /** The units of the first LSTM layer (the width of the initial state). */
  public int firstUnits() {
    return layers.get(0).units();
  }

  /** Whether the output has a time axis. */
  public boolean returnsSequences() {
    boolean seq = true;
    for (Spec s : layers) {
      if (s instanceof LstmSpec) {
        seq = ((LstmSpec) s).returnSequences();
      }
    }
    return seq;
  }

  /**
   * @param weights in {@link #weightShapes()} order
   * @param x (batch, timesteps, features)
   * @param h0 (batch, units of the first layer), or null for zeros; c0 likewise
   */
  public Result forward(List<Tensor> weights, Tensor x, Tensor h0, Tensor c0) {
    int batch = x.dim(0);
    // current activations: [batch][rows][width], rows = timesteps for a sequence, 1 after the last step
    double[][][] cur = x.toArray3d();
    boolean seq = true;
    double margin = Double.POSITIVE_INFINITY;
    double[][] hT = null;
    double[][] cT = null;
    int w = 0;
    boolean firstLstm = true;
    for (Spec s : layers) {
      if (s instanceof LstmSpec) {
        LstmSpec l = (LstmSpec) s;
        int u = l.units();
        double[][] kernel = weights.get(w++).toArray2d();
        double[][] rec = weights.get(w++).toArray2d();
        double[] bias = l.useBias() ? weights.get(w++).toArray1d() : new double[4 * u];
        double[][][] out = new double[batch][l.returnSequences() ? timesteps : 1][];
        hT = new double[batch][];
        cT = new double[batch][];
        for (int b = 0; b < batch; b++) {
          double[] h = new double[u];
          double[] c = new double[u];
          if (firstLstm && h0 != null) {
            h = h0.toArray2d()[b];
            c = c0.toArray2d()[b];
          }
          for (int step = 0; step < timesteps; step++) {
            double[] in = cur[b][l.goBackwards() ? timesteps - 1 - step : step];
            double[] z = new double[4 * u];
            for (int j = 0; j < 4 * u; j++) {
              double sum = bias[j];
              for (int k = 0; k < in.length; k++) {
                sum += in[k] * kernel[k][j];
              }
              for (int k = 0; k < u; k++) {
                sum += h[k] * rec[k][j];
              }
              z[j] = sum;
            }
            double[] hNext = new double[u];
            double[] cNext = new double[u];
            for (int j = 0; j < u; j++) {
              margin = Math.min(margin, kinkDistance(l.recurrentActivation(), z[j]));
              margin = Math.min(margin, kinkDistance(l.recurrentActivation(), z[u + j]));
              margin = Math.min(margin, kinkDistance(l.activation(), z[2 * u + j]));
              margin = Math.min(margin, kinkDistance(l.recurrentActivation(), z[3 * u + j]));
              double i = apply(l.recurrentActivation(), z[j]);
              double f = apply(l.recurrentActivation(), z[u + j]);
              double g = apply(l.activation(), z[2 * u + j]);
              double o = apply(l.recurrentActivation(), z[3 * u + j]);
              cNext[j] = f * c[j] + i * g;
              // an exact 0 is structural (every term has an exact zero factor) and stays 0: no kink
              if (cNext[j] != 0.0) {
                margin = Math.min(margin, kinkDistance(l.activation(), cNext[j]));
              }
              hNext[j] = o * apply(l.activation(), cNext[j]);
            }
            h = hNext;
            c = cNext;
            if (l.returnSequences()) {
              out[b][step] = h;
            }
          }
          if (!l.returnSequences()) {
            out[b][0] = h;
          }
          hT[b] = h;
          cT[b] = c;
        }
        cur = out;
        seq = l.returnSequences();
        firstLstm = false;
      } else {
        DenseSpec d = (DenseSpec) s;
        double[][] kernel = weights.get(w++).toArray2d();
        double[] bias = d.useBias() ? weights.get(w++).toArray1d() : new double[d.units()];
        double[][][] out = new double[batch][cur[0].length][];
        for (int b = 0; b < batch; b++) {
          for (int r = 0; r < cur[b].length; r++) {
            double[] in = cur[b][r];
            double[] y = new double[d.units()];
            for (int j = 0; j < d.units(); j++) {
              double sum = bias[j];
              for (int k = 0; k < in.length; k++) {
                sum += in[k] * kernel[k][j];
              }
              if (sum != 0.0) {
                margin = Math.min(margin, kinkDistance(d.activation(), sum));
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
            out[b][r] = y;
          }
        }
        cur = out;
      }
    }
    Tensor output;
    if (seq) {
      output = Tensor.of(cur);
    } else {
      double[][] flat = new double[batch][];
      for (int b = 0; b < batch; b++) {
        flat[b] = cur[b][0];
      }
      output = Tensor.of(flat);
    }
    return new Result(output, Tensor.of(hT), Tensor.of(cT), margin);
  }

  /** The activation's formula, as Keras documents it (not SOFTMAX). */
  public static double apply(Activation a, double x) {
    switch (a) {
      case TANH:
        return Math.tanh(x);
      case SIGMOID:
        return 1.0 / (1.0 + Math.exp(-x));
      case HARD_SIGMOID:
        return x <= -2.5 ? 0.0 : x >= 2.5 ? 1.0 : 0.2 * x + 0.5;
      case HARD_SIGMOID_KERAS3:
        return x <= -3.0 ? 0.0 : x >= 3.0 ? 1.0 : x / 6.0 + 0.5;
      case RELU:
        return x > 0 ? x : 0.0;
      case LINEAR:
        return x;
      default:
        throw new AssertionError(a);
    }
  }

  /** How far {@code x} is from the nearest point where {@code a} is not differentiable. */
  public static double kinkDistance(Activation a, double x) {
    switch (a) {
      case HARD_SIGMOID:
        return Math.min(Math.abs(x - 2.5), Math.abs(x + 2.5));
      case HARD_SIGMOID_KERAS3:
        return Math.min(Math.abs(x - 3.0), Math.abs(x + 3.0));
      case RELU:
        return Math.abs(x);
      default:
        return Double.POSITIVE_INFINITY;
    }
  }
}
