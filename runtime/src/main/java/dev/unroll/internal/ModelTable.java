package dev.unroll.internal;

import dev.unroll.Gradients;
import dev.unroll.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a generated model that has the same shape in every model: its weights in Keras order
 * (names and shapes), its initial state (the first recurrent layer's h, or h and c) and its input
 * shape, and what derives from them: the checks of a weight list, of an initial state and of
 * gradients given to fill; new gradients; the copies of {@code getWeights}, of the checked,
 * all-or-nothing {@code setWeights} and of the weights' gradients after a backward pass.
 *
 * <p>A generated class holds one as a {@code private static final} constant, built from literals,
 * and passes it its layers' arrays, in the same order; the table never calls back into the model.
 * Every check is allocation-free unless it fails, so that {@code predict}, {@code gradients} and
 * {@code backward} allocate nothing after their first call.
 */
public final class ModelTable {
  private final String[] labels; // [0] (lstm kernel)
  private final int[][] shapes;
  private final int[] sizes;
  /** {@code lstm kernel (2, 4), lstm recurrent_kernel (1, 4), lstm bias (4,)} */
  private final String weightList;
  /** The labels one a line, for {@link Checks#finite}. */
  private final String finiteLabels;
  private final String stateLayer;
  private final String[] stateLabels; // [0] (h0)
  private final String[] stateGradientLabels; // gradients: into.initialState()[0]
  private final String stateList; // h0, c0
  private final String stateGradientList; // dh0, dc0
  private final int stateWidth;
  private final int timesteps;
  private final int features;

  /**
   * @param weightNames every weight of the model, in Keras {@code get_weights()} order, named as
   *     {@code "lstm kernel"} (the layer's name, then Keras's name of the weight). Not modified.
   * @param weightShapes their shapes, Keras's: {@code {2, 4}}, {@code {4}}. Not modified.
   * @param stateLayer the name of the layer whose initial state the model takes
   * @param stateNames the parts of that state, {@code h, c} or {@code h}. Not modified.
   * @param stateWidth the width of each part
   */
  public ModelTable(String[] weightNames, int[][] weightShapes, String stateLayer, String[] stateNames,
      int stateWidth, int timesteps, int features) {
    int n = weightNames.length;
    labels = new String[n];
    shapes = new int[n][];
    sizes = new int[n];
    List<String> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels[i] = "[" + i + "] (" + weightNames[i] + ")";
      shapes[i] = weightShapes[i].clone();
      int size = 1;
      for (int d : shapes[i]) {
        size *= d;
      }
      sizes[i] = size;
      list.add(weightNames[i] + " " + Tensor.format(shapes[i]));
    }
    this.weightList = String.join(", ", list);
    this.finiteLabels = String.join("\n", labels);
    this.stateLayer = stateLayer;
    int k = stateNames.length;
    stateLabels = new String[k];
    stateGradientLabels = new String[k];
    List<String> states = new ArrayList<>();
    List<String> dStates = new ArrayList<>();
    for (int p = 0; p < k; p++) {
      stateLabels[p] = "[" + p + "] (" + stateNames[p] + "0)";
      stateGradientLabels[p] = "gradients: into.initialState()[" + p + "]";
      states.add(stateNames[p] + "0");
      dStates.add("d" + stateNames[p] + "0");
    }
    this.stateList = String.join(", ", states);
    this.stateGradientList = String.join(", ", dStates);
    this.stateWidth = stateWidth;
    this.timesteps = timesteps;
    this.features = features;
  }

  /** The number of weight tensors. */
  public int count() {
    return labels.length;
  }

  /** The weights with their shapes, {@code lstm kernel (2, 4), lstm recurrent_kernel (1, 4), lstm bias (4,)}. */
  public String weightList() {
    return weightList;
  }

  /**
   * Checks a list of weights (or of their gradients): one tensor per weight, each of its shape.
   *
   * @throws IllegalArgumentException naming {@code what} and the expected list, if the count differs
   * @throws dev.unroll.ShapeMismatchException naming the tensor and both shapes, if a shape differs
   */
  public void checkWeights(List<Tensor> weights, String what) {
    if (weights == null || weights.size() != labels.length) {
      throw new IllegalArgumentException(what + ": expected " + labels.length + " tensors (" + weightList + "), found "
          + (weights == null ? "null" : weights.size() + " tensors"));
    }
    for (int i = 0; i < labels.length; i++) {
      Tensor t = weights.get(i);
      if (t == null || !t.hasShape(shapes[i])) {
        Checks.exactShape(t, what + labels[i], shapes[i]);
      }
    }
  }

  /**
   * Checks an initial state: null (zeros), or one (batch, width) tensor per part of the state.
   * Allocation-free unless it fails.
   */
  public void checkInitialState(List<Tensor> initialState, int batch, String what) {
    if (initialState == null) {
      return;
    }
    if (initialState.size() != stateLabels.length) {
      throw new IllegalArgumentException(what + ": expected [" + stateList + "] for layer " + stateLayer + ", found "
          + initialState.size() + " tensors");
    }
    for (int p = 0; p < stateLabels.length; p++) {
      Checks.batchShape(initialState.get(p), what, stateLabels[p], batch, stateWidth);
    }
  }

  /**
   * {@code into}, checked, or {@link #newGradients new gradients} for {@code batch} samples when it is
   * null. Allocation-free when {@code into} is given and right.
   */
  public Gradients checkGradients(Gradients into, int batch) {
    if (into == null) {
      return newGradients(batch);
    }
    checkWeights(into.weights(), "gradients: into.weights()");
    Checks.batchShape(into.input(), "gradients: into.input()", batch, timesteps, features);
    int k = stateLabels.length;
    if (into.initialState().size() != k) {
      throw new IllegalArgumentException("gradients: into.initialState() must hold " + k + " tensor"
          + (k > 1 ? "s" : "") + " (" + stateGradientList + "), found " + into.initialState().size());
    }
    for (int p = 0; p < k; p++) {
      Checks.batchShape(into.initialState().get(p), stateGradientLabels[p], batch, stateWidth);
    }
    return into;
  }

  /** Zero gradients for {@code batch} samples: of every weight, of the input and of the initial state. */
  public Gradients newGradients(int batch) {
    List<Tensor> weights = new ArrayList<>(shapes.length);
    for (int[] shape : shapes) {
      weights.add(Tensor.zeros(shape));
    }
    List<Tensor> state = new ArrayList<>(stateLabels.length);
    for (int p = 0; p < stateLabels.length; p++) {
      state.add(Tensor.zeros(batch, stateWidth));
    }
    return new Gradients(weights, Tensor.zeros(batch, timesteps, features), state);
  }

  /** Copies of the weights, as Keras {@code model.get_weights()}, from the layers' arrays in that order. */
  public List<Tensor> getWeights(double[][] arrays) {
    Tensor[] out = new Tensor[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      out[i] = Layout.tensor(arrays[i], shapes[i]);
    }
    return List.of(out);
  }

  /** As {@link #getWeights(double[][])}, from the float arrays of a float32 model. */
  public List<Tensor> getWeights(float[][] arrays) {
    Tensor[] out = new Tensor[arrays.length];
    for (int i = 0; i < arrays.length; i++) {
      out[i] = Layout.tensor(arrays[i], shapes[i]);
    }
    return List.of(out);
  }

  /**
   * Copies {@code weights} into the layers' arrays, after checking every shape and that every value is
   * finite: on error nothing is written.
   *
   * @param arrays the layers' arrays, in Keras order. Modified.
   */
  public void setWeights(List<Tensor> weights, double[][] arrays) {
    checkWeights(weights, "setWeights");
    Checks.finite(weights, "setWeights", finiteLabels);
    for (int i = 0; i < arrays.length; i++) {
      Layout.copy(weights.get(i).data(), 0, arrays[i], 0, sizes[i]);
    }
  }

  /** As {@link #setWeights(List, double[][])}, into the float arrays of a float32 model (rounding). */
  public void setWeights(List<Tensor> weights, float[][] arrays) {
    checkWeights(weights, "setWeights");
    Checks.finite(weights, "setWeights", finiteLabels);
    for (int i = 0; i < arrays.length; i++) {
      Layout.copy(weights.get(i).data(), 0, arrays[i], 0, sizes[i]);
    }
  }

  /**
   * Copies the weights' gradients from the layers' arrays (in Keras order) into {@code into}, checked
   * by {@link #checkWeights}. Allocation-free.
   */
  public void copyGradients(double[][] arrays, List<Tensor> into) {
    for (int i = 0; i < arrays.length; i++) {
      Layout.copy(arrays[i], 0, into.get(i).data(), 0, sizes[i]);
    }
  }

  /** As {@link #copyGradients(double[][], List)}, from the float arrays of a float32 model. */
  public void copyGradients(float[][] arrays, List<Tensor> into) {
    for (int i = 0; i < arrays.length; i++) {
      Layout.copy(arrays[i], 0, into.get(i).data(), 0, sizes[i]);
    }
  }
}
