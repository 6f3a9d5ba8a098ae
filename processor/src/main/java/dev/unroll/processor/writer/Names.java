package dev.unroll.processor.writer;

import com.palantir.javapoet.ClassName;
import dev.unroll.Activation;

/** The runtime types generated code refers to, and the names derived from the model. */
final class Names {
  private Names() {}

  static final String RUNTIME = "dev.unroll";
  static final String INTERNAL = "dev.unroll.internal";

  static final ClassName TENSOR = ClassName.get(RUNTIME, "Tensor");
  static final ClassName GATE = ClassName.get(RUNTIME, "Gate");
  static final ClassName GRADIENTS = ClassName.get(RUNTIME, "Gradients");
  static final ClassName SEQUENCE_MODEL = ClassName.get(RUNTIME, "SequenceModel");
  static final ClassName STEPPER = ClassName.get(RUNTIME, "Stepper");
  static final ClassName LAYER_INFO = ClassName.get(RUNTIME, "LayerInfo");
  static final ClassName LAYER = ClassName.get(RUNTIME, "Layer");
  static final ClassName ACTIVATION = ClassName.get(RUNTIME, "Activation");
  static final ClassName UNROLL_GENERATED = ClassName.get(RUNTIME, "UnrollGenerated");
  static final ClassName ACTIVATIONS = ClassName.get(INTERNAL, "Activations");
  static final ClassName CHECKS = ClassName.get(INTERNAL, "Checks");
  static final ClassName LAYOUT = ClassName.get(INTERNAL, "Layout");
  static final ClassName MODEL_TABLE = ClassName.get(INTERNAL, "ModelTable");
  static final ClassName D_LSTM_BUFFERS = ClassName.get(INTERNAL, "DLstmBuffers");
  static final ClassName F_LSTM_BUFFERS = ClassName.get(INTERNAL, "FLstmBuffers");
  static final ClassName GRADIENTS_CHECK = ClassName.get(INTERNAL, "GradientsCheck");
  static final ClassName INITIALIZERS = ClassName.get(INTERNAL, "Initializers");
  /** The runtime's kernels: the products and elementwise loops of a step. */
  static final ClassName KERNELS = ClassName.get(INTERNAL, "Kernels");
  static final ClassName MASKS = ClassName.get(INTERNAL, "Masks");
  /** The base of every generated stepper: sizes, and the state saved, restored and reset. */
  static final ClassName GENERATED_STEPPER = ClassName.get(INTERNAL, "GeneratedStepper");
  static final ClassName KERAS_SUMMARY = ClassName.get(INTERNAL, "KerasSummary");
  static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  static final ClassName SPLITTABLE_RANDOM = ClassName.get("java.util", "SplittableRandom");
  static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");
  static final ClassName LIST = ClassName.get("java.util", "List");
  static final ClassName OVERRIDE = ClassName.get("java.lang", "Override");

  /** {@code lstm_1} → {@code Lstm1}: the nested class of a layer. */
  static String layerClass(String layerName) {
    StringBuilder sb = new StringBuilder();
    boolean upper = true;
    for (char ch : layerName.toCharArray()) {
      if (ch == '_') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(ch) : ch);
        upper = false;
      }
    }
    return sb.toString();
  }

  /** {@code lstm_1} → {@code lstm1}: the field holding a layer. */
  static String layerField(String layerName) {
    String cls = layerClass(layerName);
    String field = Character.toLowerCase(cls.charAt(0)) + cls.substring(1);
    return GENERATED_NAMES.contains(field) ? field + "Layer" : field;
  }

  /**
   * The parameters, locals and fields of the generated code that read layers' fields: a layer named so
   * (a PyTorch head is often {@code out}) has its field called {@code outLayer}, so that neither hides the
   * other.
   */
  private static final java.util.Set<String> GENERATED_NAMES = java.util.Set.of("x", "out", "batch", "initialState",
      "dOutput", "dOutputs", "into", "w", "weights", "rng", "seed", "dhLast", "dcLast", "lengths", "what", "model",
      "input", "result", "masked", "state", "keptBatch", "outputMask", "intoCheck");

  /** The {@code Activations} method computing an activation. */
  static String function(Activation a) {
    switch (a) {
      case TANH: return "tanh";
      case SIGMOID: return "sigmoid";
      case HARD_SIGMOID: return "hardSigmoid";
      case HARD_SIGMOID_KERAS3: return "hardSigmoidKeras3";
      case RELU: return "relu";
      case LINEAR: return "linear";
      case SOFTMAX: return "softmax";
      default: throw new AssertionError(a);
    }
  }

  /** The {@code Activations} method computing an activation's derivative from its output. */
  static String derivative(Activation a) {
    return function(a) + "Grad";
  }

  /** How comments write an activation. */
  static String math(Activation a) {
    return a == Activation.HARD_SIGMOID_KERAS3 ? "hard_sigmoid3" : a.kerasName();
  }
}
