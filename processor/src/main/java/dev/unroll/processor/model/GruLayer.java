package dev.unroll.processor.model;

import dev.unroll.Activation;
import dev.unroll.LayerInfo;
import java.util.List;

/**
 * One Keras {@code GRU} layer with every shape resolved. Keras stores the three gates side by side,
 * in the column order z, r, h: kernel W (F, 3U), recurrent kernel U (U, 3U), and a bias of (2, 3U)
 * with {@code reset_after} (input bias, then recurrent bias) or (3U) without.
 *
 * @param name the Keras layer name, {@code gru}, {@code gru_1}, ... or the layer method's name
 * @param units U, the width of h
 * @param timesteps T, the length of the sequences
 * @param features F, the width of x_t
 * @param resetAfter Keras {@code reset_after}: the reset gate applies after the recurrent product
 */
public record GruLayer(
    String name,
    int units,
    int timesteps,
    int features,
    Activation activation,
    Activation recurrentActivation,
    boolean useBias,
    boolean resetAfter,
    boolean returnSequences,
    boolean returnState,
    boolean goBackwards) implements Layer {

  /** The gate blocks of W and U, in Keras's column order z, r, h. */
  public static final int GATE_BLOCKS = 3;

  /** 3·U, the width of W and U. */
  public int gates() {
    return GATE_BLOCKS * units;
  }

  @Override
  public List<Weight> weights() {
    Weight kernel = new Weight("kernel", "W", features, gates());
    Weight recurrent = new Weight("recurrent_kernel", "U", units, gates());
    if (!useBias) {
      return List.of(kernel, recurrent);
    }
    Weight bias = resetAfter ? new Weight("bias", "b", 2, gates()) : new Weight("bias", "b", gates());
    return List.of(kernel, recurrent, bias);
  }

  /** The parameter count, 3·(F·U + U·U + 2U) with reset_after, 3·(F·U + U·U + U) without, in long. */
  public static long paramCount(long units, long features, boolean useBias, boolean resetAfter) {
    return GATE_BLOCKS * (features * units + units * units + (useBias ? (resetAfter ? 2 : 1) * units : 0));
  }

  @Override
  public String paramFormula() {
    int f = features;
    int u = units;
    String biasTerm = !useBias ? "" : resetAfter ? " + 2*U" : " + U";
    String biasValue = !useBias ? "" : resetAfter ? " + 2*" + u : " + " + u;
    return "3*(F*U + U*U" + biasTerm + ") = 3*(" + f + "*" + u + " + " + u + "*" + u + biasValue + ")"
        + (useBias ? "" : " (no bias)");
  }

  @Override
  public boolean recurrent() {
    return true;
  }

  @Override
  public LayerInfo info() {
    return new LayerInfo(name, kerasClass(), units, features, timesteps, activation, recurrentActivation, useBias,
        returnSequences, returnState, goBackwards, resetAfter);
  }

  @Override
  public String kerasClass() {
    return "GRU";
  }

  @Override
  public boolean returnsSequences() {
    return returnSequences;
  }

  @Override
  public int inputWidth() {
    return features;
  }

  @Override
  public int outputWidth() {
    return units;
  }

  @Override
  public int[] outputShape() {
    return returnSequences ? new int[] {timesteps, units} : new int[] {units};
  }

  /** The largest work buffer per sample: the kept gates (T, 4U), h (T+1, U), or x (T, F). */
  @Override
  public long valuesPerSample() {
    long t = timesteps;
    return Math.max(t * 4L * units, Math.max((t + 1) * units, t * features));
  }
}
