package dev.unroll.processor.writer;

import static dev.unroll.processor.writer.ModelContext.TENSOR_LIST;
import static dev.unroll.processor.writer.ModelContext.override;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.PUBLIC;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights in Keras {@code get_weights()} order: {@code getWeights}, {@code setWeights} (every
 * shape checked before anything is written), {@code checkWeights}, and the per-gate views of the
 * first LSTM layer. Every list derives from the layers' {@link Weight} descriptions.
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

  void addTo(TypeSpec.Builder type) {
    type.addMethod(getWeights());
    type.addMethod(setWeights());
    type.addMethod(checkWeights());
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
    CodeBlock.Builder list = CodeBlock.builder().add("return $T.of(", Names.LIST);
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      list.add(i > 0 ? ",\n    " : "\n    ")
          .add("$T.tensor($L, $L)", Names.LAYOUT, s.layer.weight(s.index), s.weight.dims());
    }
    return override("getWeights", TENSOR_LIST)
        .addJavadoc("Copies of the weights, as Keras {@code model.get_weights()}: $L.\n", weightList())
        .addStatement(list.add(")").build())
        .build();
  }

  private MethodSpec setWeights() {
    MethodSpec.Builder m = override("setWeights", TypeName.VOID)
        .addJavadoc("Replaces the weights, given as {@link #getWeights()} returns them; checks every shape before\n")
        .addJavadoc("writing any, and that every value is finite, so that on error the model is unchanged.\n")
        .addParameter(TENSOR_LIST, "weights")
        .addStatement("checkWeights(weights, $S)", "setWeights");
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      labels.add("[" + i + "] (" + slots.get(i).label() + ")");
    }
    // one call and one constant for all tensors: setWeights stays under the JIT's bytecode limit
    m.addStatement("$T.finite(weights, $S, $S)", Names.CHECKS, "setWeights", String.join("\n", labels))
        .addComment("the buffers no longer hold a forward pass of these weights")
        .addStatement("keptBatch = 0");
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      m.addStatement("$T.copy(weights.get($L).data(), 0, $L, 0, weights.get($L).size())", Names.LAYOUT, i,
          s.layer.weight(s.index), i);
    }
    for (LayerWriter layer : ctx.layers) {
      m.addCode(layer.onWeightsChanged());
    }
    return m.build();
  }

  private MethodSpec checkWeights() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("checkWeights")
        .addModifiers(PRIVATE, STATIC)
        .addParameter(TENSOR_LIST, "weights")
        .addParameter(String.class, "what")
        .beginControlFlow("if (weights == null || weights.size() != $L)", slots.size())
        .addStatement("throw new $T(what + $S + (weights == null ? $S : weights.size() + $S))",
            IllegalArgumentException.class, ": expected " + slots.size() + " tensors (" + weightList() + "), found ",
            "null", " tensors")
        .endControlFlow();
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      m.addStatement("$T.exactShape(weights.get($L), what, $S, $L)", Names.CHECKS, i,
          "[" + i + "] (" + s.label() + ")", s.weight.dims());
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
