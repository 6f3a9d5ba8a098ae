package dev.unroll.train;

import dev.unroll.Activation;
import dev.unroll.Gradients;
import dev.unroll.LayerInfo;
import dev.unroll.SequenceModel;
import dev.unroll.ShapeMismatchException;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A hand-written {@link SequenceModel} for the runtime's trainer tests (the runtime has no annotation
 * processor): a Dense layer over the flattened sequence, {@code y = x.reshape(B, T·F) @ W + b}, or
 * with {@code sequences} a Dense applied at every step, {@code y[:, t] = x[:, t] @ W + b}. Buffers are
 * reused, so a warmed-up call allocates nothing, as in generated models.
 */
final class LinearModel implements SequenceModel {
  final int timesteps;
  final int features;
  final int units;
  final boolean sequences;
  /** The input of the last predict, for backward (a test double: the tensor, not a copy). */
  private Tensor lastInput;
  private final int inputs;
  private final double[] kernel;
  private final double[] bias;

  LinearModel(int timesteps, int features, int units, boolean sequences, long seed) {
    this.timesteps = timesteps;
    this.features = features;
    this.units = units;
    this.sequences = sequences;
    this.inputs = sequences ? features : timesteps * features;
    this.kernel = new double[inputs * units];
    this.bias = new double[units];
    SplittableRandom rng = new SplittableRandom(seed);
    double limit = Math.sqrt(6.0 / (inputs + units));
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = (2 * rng.nextDouble() - 1) * limit;
    }
  }

  @Override
  public int paramCount() {
    return kernel.length + bias.length;
  }

  @Override
  public String summary() {
    return "LinearModel";
  }

  @Override
  public List<LayerInfo> layers() {
    return List.of(new LayerInfo("dense", "Dense", units, inputs, sequences ? timesteps : 0, Activation.LINEAR, null,
        true, sequences, false, false));
  }

  @Override
  public int[] inputShape() {
    return new int[] {timesteps, features};
  }

  @Override
  public int[] outputShape() {
    return sequences ? new int[] {timesteps, units} : new int[] {units};
  }

  private int rows(Tensor x) {
    if (x.rank() != 3 || x.dim(1) != timesteps || x.dim(2) != features) {
      throw new ShapeMismatchException("x", "(batch, " + timesteps + ", " + features + ")", Tensor.format(x.shape()));
    }
    return sequences ? x.dim(0) * timesteps : x.dim(0);
  }

  @Override
  public Tensor predict(Tensor x, List<Tensor> initialState, Tensor out) {
    int rows = rows(x);
    lastInput = x;
    if (out == null) {
      out = sequences ? Tensor.zeros(x.dim(0), timesteps, units) : Tensor.zeros(x.dim(0), units);
    }
    double[] xs = x.data();
    double[] ys = out.data();
    for (int r = 0; r < rows; r++) {
      for (int u = 0; u < units; u++) {
        double s = bias[u];
        for (int i = 0; i < inputs; i++) {
          s += xs[r * inputs + i] * kernel[i * units + u];
        }
        ys[r * units + u] = s;
      }
    }
    return out;
  }

  @Override
  public Gradients backward(Tensor dOutput, Gradients into) {
    if (lastInput == null) {
      throw new IllegalStateException("backward: call predict first");
    }
    return gradients(lastInput, null, dOutput, into);
  }

  @Override
  public Gradients gradients(Tensor x, List<Tensor> initialState, Tensor dOutput, Gradients into) {
    int rows = rows(x);
    if (into == null) {
      into = new Gradients(List.of(Tensor.zeros(inputs, units), Tensor.zeros(units)), Tensor.zeros(x.shape()));
    }
    double[] xs = x.data();
    double[] dy = dOutput.data();
    double[] dk = into.weights().get(0).data();
    double[] db = into.weights().get(1).data();
    double[] dx = into.input().data();
    java.util.Arrays.fill(dk, 0.0);
    java.util.Arrays.fill(db, 0.0);
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < inputs; i++) {
        double s = 0;
        for (int u = 0; u < units; u++) {
          dk[i * units + u] += xs[r * inputs + i] * dy[r * units + u];
          s += dy[r * units + u] * kernel[i * units + u];
        }
        dx[r * inputs + i] = s;
      }
      for (int u = 0; u < units; u++) {
        db[u] += dy[r * units + u];
      }
    }
    return into;
  }

  @Override
  public List<Tensor> getWeights() {
    return List.of(Tensor.wrap(kernel.clone(), inputs, units), Tensor.wrap(bias.clone(), units));
  }

  @Override
  public void setWeights(List<Tensor> weights) {
    if (weights.size() != 2) {
      throw new IllegalArgumentException("setWeights: expected 2 tensors, found " + weights.size());
    }
    Tensor k = weights.get(0);
    if (k.rank() != 2 || k.dim(0) != inputs || k.dim(1) != units) { // no varargs: allocation-free
      throw new ShapeMismatchException("setWeights[0] (dense kernel)", Tensor.format(inputs, units),
          Tensor.format(weights.get(0).shape()));
    }
    Tensor b = weights.get(1);
    if (b.rank() != 1 || b.dim(0) != units) {
      throw new ShapeMismatchException("setWeights[1] (dense bias)", Tensor.format(units),
          Tensor.format(weights.get(1).shape()));
    }
    System.arraycopy(weights.get(0).data(), 0, kernel, 0, kernel.length);
    System.arraycopy(weights.get(1).data(), 0, bias, 0, bias.length);
  }

  @Override
  public Stepper stepper() {
    throw new UnsupportedOperationException();
  }
}
