package dev.unroll.processor.writer;

import static dev.unroll.processor.writer.ModelContext.TENSOR_LIST;
import static dev.unroll.processor.writer.ModelContext.override;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.PUBLIC;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights in Keras {@code get_weights()} order: the model's {@code ModelTable} constant (names,
 * shapes, initial state) with the lists of its layers' arrays, {@code getWeights} and
 * {@code setWeights} (every shape checked before anything is written, by the table), and the per-gate
 * views of the first LSTM layer. Every list derives from the layers' {@link Weight} descriptions.
 */
final class WeightsWriter {
  private final ModelContext ctx;
  /** Every weight of the model in order, with the layer it belongs to and its index there. */
  private final List<Slot> slots = new ArrayList<>();

  private record Slot(LayerWriter layer, int index, Weight weight) {
    /** {@code lstm kernel} */
    String label() {
      return layer.layer().name() + " " + weight.name();
    }
  }

  WeightsWriter(ModelContext ctx) {
    this.ctx = ctx;
    for (LayerWriter layer : ctx.layers) {
      for (int i = 0; i < layer.weights().size(); i++) {
        slots.add(new Slot(layer, i, layer.weights().get(i)));
      }
    }
  }

  /** The model's {@code ModelTable} constant: the weights' names and shapes, and the initial state's. */
  void addTable(TypeSpec.Builder type) {
    addFields(type, true);
  }

  /**
   * The two lists of the layers' arrays the table reads and writes, the weights and their gradients,
   * in Keras order; declared after the layers' fields.
   */
  void addArrays(TypeSpec.Builder type) {
    addFields(type, false);
  }

  private void addFields(TypeSpec.Builder type, boolean table) {
    CodeBlock.Builder names = CodeBlock.builder();
    CodeBlock.Builder shapes = CodeBlock.builder();
    CodeBlock.Builder weights = CodeBlock.builder();
    CodeBlock.Builder gradients = CodeBlock.builder();
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      String sep = i > 0 ? ", " : "";
      names.add(sep).add("$S", s.label());
      shapes.add(sep).add("{$L}", s.weight.dims());
      weights.add(sep).add(s.layer.weight(s.index));
      gradients.add(sep).add(s.layer.gradient(s.index));
    }
    RecurrentPorts first = ctx.first;
    CodeBlock.Builder states = CodeBlock.builder();
    for (int k = 0; k < first.stateNames().size(); k++) {
      states.add(k > 0 ? ", " : "").add("$S", first.stateNames().get(k));
    }
    TypeName arrays = ArrayTypeName.of(ctx.num.array());
    if (table) {
      type.addField(FieldSpec.builder(Names.MODEL_TABLE, "TABLE", PRIVATE, STATIC, FINAL)
        .addJavadoc("The weights (Keras names and shapes) and the initial state: their checks and copies.\n")
        .initializer("new $T(\n    new String[] {$L},\n    new int[][] {$L},\n    $S, new String[] {$L}, $L, TIMESTEPS, FEATURES)",
            Names.MODEL_TABLE, names.build(), shapes.build(), first.layer().name(), states.build(), first.stateWidth())
        .build());
      return;
    }
    type.addField(FieldSpec.builder(arrays, "weightArrays", PRIVATE, FINAL)
        .initializer("{$L}", weights.build()).build());
    type.addField(FieldSpec.builder(arrays, "gradientArrays", PRIVATE, FINAL)
        .initializer("{$L}", gradients.build()).build());
  }

  void addTo(TypeSpec.Builder type) {
    type.addMethod(getWeights());
    type.addMethod(setWeights());
    LstmPorts first = ctx.firstLstm;
    if (first == null) {
      return; // no LSTM: the layers' own views (layer(i)) give the gates
    }
    LstmLayer l = first.layer();
    // the constants name the model's input width and first recurrent layer: use them when they are this layer's
    String rows = first == ctx.input ? "FEATURES" : String.valueOf(l.features());
    String units = first == ctx.first ? "UNITS" : String.valueOf(l.units());
    type.addMethod(gateView("kernel", 0, rows, "(" + l.features() + ", " + l.units() + ")"));
    type.addMethod(gateView("recurrentKernel", 1, units, "(" + l.units() + ", " + l.units() + ")"));
    if (l.useBias()) {
      type.addMethod(gateView("bias", 2, "0", "(" + l.units() + ",)"));
    }
  }

  /** {@code lstm kernel (2, 4), lstm recurrent_kernel (1, 4), lstm bias (4,)}. */
  String weightList() {
    List<String> parts = new ArrayList<>();
    for (Slot s : slots) {
      parts.add(s.label() + " " + s.weight.shapeText());
    }
    return String.join(", ", parts);
  }

  private MethodSpec getWeights() {
    return override("getWeights", TENSOR_LIST)
        .addJavadoc("Copies of the weights, as Keras {@code model.get_weights()}: $L.\n", weightList())
        .addStatement("return TABLE.getWeights(weightArrays)")
        .build();
  }

  private MethodSpec setWeights() {
    // its Javadoc is SequenceModel's: every shape and value checked before anything is written
    MethodSpec.Builder m = override("setWeights", TypeName.VOID)
        .addParameter(TENSOR_LIST, "weights")
        .addStatement("TABLE.setWeights(weights, weightArrays)")
        .addComment("the buffers no longer hold a forward pass of these weights")
        .addStatement("keptBatch = 0");
    for (LayerWriter layer : ctx.layers) {
      m.addCode(layer.onWeightsChanged());
    }
    return m.build();
  }

  /** {@code kernel(Gate)}: a copy of one gate's block of weight {@code index} of the first layer. */
  private MethodSpec gateView(String method, int index, String rows, String shape) {
    LstmPorts first = ctx.firstLstm;
    Weight w = first.weights().get(index);
    return MethodSpec.methodBuilder(method)
        .addModifiers(PUBLIC)
        .returns(Names.TENSOR)
        .addParameter(Names.GATE, "gate")
        .addJavadoc("A copy of one gate's block of $L$L, shape $L: e.g. {@code $L(Gate.C)} for the cell candidate.\n",
            w.symbol(), ctx.layers.size() > 1 ? " of layer " + first.layer().name() : "", shape, method)
        .addStatement("return $T.gateBlock($L, $L, $L, gate)", Names.LAYOUT, first.weight(index), rows,
            first.layer().units())
        .build();
  }
}
