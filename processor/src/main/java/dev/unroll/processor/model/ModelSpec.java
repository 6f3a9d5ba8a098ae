package dev.unroll.processor.model;

import java.util.List;

/**
 * A validated model: the annotated type's names and its layers, free of javac types so that the
 * planner and the writer can be tested without a compiler.
 *
 * @param packageName the package of the annotated type, empty for the unnamed package
 * @param simpleNames the annotated type's simple name, preceded by those of its enclosing types
 * @param isInterface whether the annotated type is an interface (else the generated class extends it)
 * @param layers the layers in order, input first: the LSTM layers, then the Dense layers
 * @param float32 whether the model computes in float (else double)
 * @param deprecated whether the annotated type is deprecated (the generated class then is too)
 * @param serializable whether the annotated type is Serializable (the generated class then declares
 *     a serialVersionUID)
 * @param inheritedTypeNames simple names of member types the generated class inherits, which would
 *     hide imported runtime types of the same name
 * @param memberForm whether the layers are declared as methods (with {@code @Input} on the type):
 *     the generated class then implements each layer method, whose name is the layer's
 */
public record ModelSpec(
    String packageName,
    List<String> simpleNames,
    boolean isInterface,
    List<Layer> layers,
    boolean float32,
    boolean deprecated,
    boolean serializable,
    List<String> inheritedTypeNames,
    boolean memberForm) {

  public ModelSpec {
    simpleNames = List.copyOf(simpleNames);
    layers = List.copyOf(layers);
    inheritedTypeNames = List.copyOf(inheritedTypeNames);
  }

  /** A model of a plain interface: for tests of the planner and the writer. */
  public static ModelSpec of(String packageName, String simpleName, List<Layer> layers, boolean float32) {
    return new ModelSpec(packageName, List.of(simpleName), true, layers, float32, false, false, List.of(), false);
  }

  /** {@code Unrolled} and the simple names joined by {@code _}: {@code UnrolledOuter_Inner}. */
  public String generatedSimpleName() {
    return generatedSimpleName(simpleNames);
  }

  public static String generatedSimpleName(List<String> simpleNames) {
    return "Unrolled" + String.join("_", simpleNames);
  }

  /** The name users write for the annotated type, {@code Outer.Inner}. */
  public String sourceName() {
    return String.join(".", simpleNames);
  }

  /**
   * The first LSTM layer: the one whose initial state {@code predict(x, initialState, out)} sets and
   * whose gate views the model class offers. In the type-level form it is also the first layer; in
   * the member form a Dense layer may come before it.
   */
  public LstmLayer input() {
    return lstmLayers().get(0);
  }

  /** The first recurrent layer (LSTM or GRU): it takes the initial state. */
  public Layer firstRecurrent() {
    return layers.stream().filter(Layer::recurrent).findFirst().orElseThrow();
  }

  /** The length of the input sequences: the model's input is (batch, timesteps, features). */
  public int timesteps() {
    return layers.get(0).timesteps();
  }

  /** The width of x_t, the input of the first layer. */
  public int features() {
    return layers.get(0).inputWidth();
  }

  /** The last layer, whose output is the model's. */
  public Layer output() {
    return layers.get(layers.size() - 1);
  }

  /** The LSTM layers, in order, each direction of a Bidirectional LSTM among them. */
  public List<LstmLayer> lstmLayers() {
    List<LstmLayer> lstms = new java.util.ArrayList<>();
    for (Layer layer : layers) {
      if (layer instanceof LstmLayer l) {
        lstms.add(l);
      } else if (layer instanceof BidirectionalLayer b && b.forward() instanceof LstmLayer l) {
        lstms.add(l);
        lstms.add((LstmLayer) b.backward());
      }
    }
    return lstms;
  }

  /** The model's {@code Masking} layer (its first), or null. */
  public MaskingLayer masking() {
    return layers.isEmpty() || !(layers.get(0) instanceof MaskingLayer m) ? null : m;
  }

  /**
   * Whether {@code layer} sees the mask of the model's Masking layer: Keras passes it through every
   * layer that keeps the time axis and drops it after a layer that returns its last step only.
   */
  public boolean masked(Layer layer) {
    if (masking() == null) {
      return false;
    }
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i) == layer) {
        return true;
      }
      if (!layers.get(i).returnsSequences()) {
        return false;
      }
    }
    return false;
  }

  /** Whether the model's output carries the mask: a Masking layer, and every layer keeps the time axis. */
  public boolean outputMasked() {
    return masking() != null && layers.stream().allMatch(Layer::returnsSequences);
  }

  public long paramCount() {
    return layers.stream().mapToLong(Layer::paramCount).sum();
  }

  /** The size per sample of the largest work buffer of any layer. */
  public long valuesPerSample() {
    return layers.stream().mapToLong(Layer::valuesPerSample).max().orElse(1);
  }
}
