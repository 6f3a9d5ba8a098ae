package dev.unroll.internal;

import dev.unroll.Stepper;
import java.util.Arrays;

/**
 * What every generated stepper has in common, whatever its model: its sizes, the output array of
 * {@link #step(double[])}, and its state (h, and c for an LSTM, of every recurrent layer) saved, restored
 * and reset as one array. A generated {@code ModelStepper} extends it and writes only its step, the
 * part that is the model's own.
 *
 * <p>The state arrays are handed to the constructor in the order of the saved state, with one name
 * each ({@code "lstm h"}, {@code "lstm c"}, {@code "gru h"}: the layer, a space, the array), and the
 * subclass takes them back with {@link #state(int)} or {@link #stateFloats(int)} to step on them. They
 * are double arrays for a float64 model and float arrays for a float32 one.
 */
public abstract class GeneratedStepper implements Stepper {
  private final int inputSize;
  private final int outputSize;
  private final String[] parts;
  private final int[] sizes;
  private final int stateSize;
  private final String layout;
  private final double[][] doubles;
  private final float[][] floats;
  private final double[] out;

  /** A stepper of a float64 model whose state is {@code state}, named by {@code parts}. */
  protected GeneratedStepper(int inputSize, int outputSize, String[] parts, double[]... state) {
    this(inputSize, outputSize, parts, state, null);
  }

  /** A stepper of a float32 model whose state is {@code state}, named by {@code parts}. */
  protected GeneratedStepper(int inputSize, int outputSize, String[] parts, float[]... state) {
    this(inputSize, outputSize, parts, null, state);
  }

  private GeneratedStepper(int inputSize, int outputSize, String[] parts, double[][] doubles, float[][] floats) {
    int n = doubles != null ? doubles.length : floats.length;
    if (parts.length != n) {
      throw new IllegalArgumentException("GeneratedStepper: " + parts.length + " names for " + n + " state arrays");
    }
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.parts = parts.clone();
    this.doubles = doubles;
    this.floats = floats;
    this.sizes = new int[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      sizes[i] = doubles != null ? doubles[i].length : floats[i].length;
      total += sizes[i];
    }
    this.stateSize = total;
    this.layout = layout(parts, sizes);
    this.out = new double[outputSize];
  }

  /**
   * The layout of a saved state, layer by layer: {@code lstm: h [0, 32), c [32, 64); lstm_1: h [64, 80), ...}.
   */
  static String layout(String[] parts, int[] sizes) {
    if (parts.length == 0) {
      return "no state: no recurrent layer";
    }
    StringBuilder sb = new StringBuilder();
    String lastLayer = null;
    int offset = 0;
    for (int i = 0; i < parts.length; i++) {
      int space = parts[i].lastIndexOf(' ');
      String layer = parts[i].substring(0, space);
      if (!layer.equals(lastLayer)) {
        sb.append(lastLayer == null ? "" : "; ").append(layer).append(": ");
        lastLayer = layer;
      } else {
        sb.append(", ");
      }
      sb.append(parts[i].substring(space + 1)).append(" [").append(offset).append(", ")
          .append(offset + sizes[i]).append(')');
      offset += sizes[i];
    }
    return sb.toString();
  }

  /** State array {@code i} of a float64 model, as given to the constructor. */
  protected final double[] state(int i) {
    return doubles[i];
  }

  /** State array {@code i} of a float32 model, as given to the constructor. */
  protected final float[] stateFloats(int i) {
    return floats[i];
  }

  /**
   * Checks the lengths of a step's input and output.
   *
   * @throws IllegalArgumentException naming both expected and both actual lengths
   */
  protected final void checkStep(double[] input, double[] result) {
    if (input.length != inputSize || result.length != outputSize) {
      throw new IllegalArgumentException("step: expected x of length " + inputSize + " and an output of length "
          + outputSize + ", found " + input.length + " and " + result.length);
    }
  }

  @Override
  public final double[] step(double[] input) {
    step(input, out);
    return out;
  }

  @Override
  public final void reset() {
    for (int i = 0; i < sizes.length; i++) {
      if (doubles != null) {
        Arrays.fill(doubles[i], 0.0);
      } else {
        Arrays.fill(floats[i], 0f);
      }
    }
  }

  @Override
  public final int inputSize() {
    return inputSize;
  }

  @Override
  public final int outputSize() {
    return outputSize;
  }

  @Override
  public final int stateSize() {
    return stateSize;
  }

  @Override
  public final String stateLayout() {
    return layout;
  }

  @Override
  public final void state(double[] into) {
    if (into.length != stateSize) {
      throw new IllegalArgumentException("state: expected an array of length " + stateSize + " (" + layout
          + "), found length " + into.length);
    }
    int offset = 0;
    for (int i = 0; i < sizes.length; i++) {
      if (doubles != null) {
        Layout.copy(doubles[i], 0, into, offset, sizes[i]);
      } else {
        Layout.copy(floats[i], 0, into, offset, sizes[i]);
      }
      offset += sizes[i];
    }
  }

  @Override
  public final void restore(double[] state) {
    // length and finiteness first: on error nothing is written
    Checks.state(state, "restore", layout, parts, sizes);
    int offset = 0;
    for (int i = 0; i < sizes.length; i++) {
      if (doubles != null) {
        Layout.copy(state, offset, doubles[i], 0, sizes[i]);
      } else {
        Layout.copy(state, offset, floats[i], 0, sizes[i]);
      }
      offset += sizes[i];
    }
  }
}
