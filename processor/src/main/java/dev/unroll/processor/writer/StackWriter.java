package dev.unroll.processor.writer;

import static dev.unroll.processor.writer.ModelContext.TENSOR_LIST;
import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.processor.model.Layer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The stack's wiring: {@code forward} runs the layers in order, each reading the output of the one
 * before; {@code backward} runs them in reverse, each taking dL/d(its output) from the dL/dx of the
 * one after, and collects the gradients in {@code getWeights()} order. Layers are reached through
 * their {@link LayerWriter} ports only.
 */
final class StackWriter {
  private final ModelContext ctx;

  StackWriter(ModelContext ctx) {
    this.ctx = ctx;
  }

  void addTo(TypeSpec.Builder type) {
    type.addMethod(forward());
    type.addMethod(backward());
  }

  private MethodSpec forward() {
    LayerWriter input = ctx.input;
    boolean reverse = input.layer().goBackwards();
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward")
        .addModifiers(PRIVATE)
        .addJavadoc("The forward pass of checked inputs through every layer.\n")
        .addParameter(Names.TENSOR, "x")
        .addParameter(TENSOR_LIST, "initialState")
        .addParameter(TypeName.INT, "batch")
        .addStatement("$T.batchFits(batch, VALUES_PER_SAMPLE, $S)", Names.CHECKS, ctx.self.simpleName());
    for (LayerWriter layer : ctx.layers) {
      m.addStatement("$N.resize(batch)", layer.field());
    }
    if (ctx.masking != null) {
      m.addComment("the layers that see the mask of $L: every one up to the first that returns its last step only",
          ctx.masking.layer().name());
      for (LayerWriter layer : ctx.maskedLayers()) {
        m.addStatement("$N.mask = $L", layer.field(), ctx.masking.mask());
      }
    }
    m.addComment("layer $L: x (batch, $L, $L) into its time-major buffer$L", input.layer().name(), ctx.timesteps,
            ctx.model.features(), reverse ? ", last step first (goBackwards)" : "")
        .addStatement("$T.toTimeMajor(x.data(), $L, batch, TIMESTEPS, FEATURES, $L)", Names.LAYOUT, input.input(),
            reverse);
    for (int i = 0; i < ctx.layers.size(); i++) {
      LayerWriter cur = ctx.layers.get(i);
      if (i > 0) {
        m.addCode(connect(ctx.layers.get(i - 1), cur));
      }
      if (cur == ctx.first) {
        List<String> state = new ArrayList<>();
        for (int k = 0; k < ctx.first.stateNames().size(); k++) {
          state.add("initialState == null ? null : initialState.get(" + k + ").data()");
        }
        m.addCode(ctx.first.initialState(state));
      } else if (cur instanceof RecurrentPorts r) {
        m.addCode(r.initialState(Collections.nCopies(r.stateNames().size(), "null")));
      }
      m.addStatement("$N.forward()", cur.field());
    }
    return m.addStatement("keptBatch = batch").build();
  }

  /** The output of {@code prev} into the input buffer of {@code cur}. */
  private CodeBlock connect(LayerWriter prev, LayerWriter cur) {
    Layer p = prev.layer();
    int width = p.outputWidth();
    boolean reverse = cur.layer().goBackwards();
    if (p.returnsSequences()) {
      return CodeBlock.builder()
          .add("// layer $L: its input is every step of $L$L\n", cur.layer().name(), p.name(),
              reverse ? ", last step first (goBackwards)" : "")
          .addStatement("$T.copySteps($L, $L, $L, 0, batch, TIMESTEPS, $L, $L)", Names.LAYOUT, prev.sequence(),
              prev.sequenceOffset(), cur.input(), width, reverse)
          .build();
    }
    return CodeBlock.builder()
        .add("// layer $L: its input is the last output of $L, (batch, $L)\n", cur.layer().name(), p.name(), width)
        .addStatement("$T.copy($L, $L, $L, 0, batch * $L)", Names.LAYOUT, prev.last(), prev.lastOffset(), cur.input(),
            width)
        .build();
  }

  private MethodSpec backward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("backward")
        .addModifiers(PRIVATE)
        .addJavadoc("Backpropagation through every layer, after {@link #forward}; fills {@code into}.\n")
        .addParameter(Names.TENSOR, "dOutput")
        .addParameter(Names.TENSOR, "dhLast")
        .addParameter(Names.TENSOR, "dcLast")
        .addParameter(Names.GRADIENTS, "into")
        .addParameter(TypeName.INT, "batch");
    LayerWriter last = ctx.last;
    int width = last.layer().outputWidth();
    m.addComment("the gradient from above, into layer $L", last.layer().name())
        .addStatement("$N.startBackward()", last.field());
    if (last.layer().returnsSequences()) {
      m.addStatement("$T.toTimeMajor(dOutput.data(), $L, batch, TIMESTEPS, $L, false)", Names.LAYOUT, last.dSequence(),
          width);
    } else {
      m.addStatement("$T.copy(dOutput.data(), 0, $L, 0, batch * $L)", Names.LAYOUT, last.dLast(), width);
    }
    RecurrentPorts state = ctx.returnsState();
    if (state != null) {
      boolean cell = state.stateNames().size() > 1;
      m.beginControlFlow("if (dhLast != null)")
          .addComment(cell ? "return_state: h_T and c_T are outputs too" : "return_state: h_T is an output too")
          .addStatement("$T.add(dhLast.data(), 0, $L, 0, batch * $L)", Names.LAYOUT, state.dLastState(0), width);
      if (cell) {
        m.addStatement("$T.copy(dcLast.data(), 0, $L, 0, batch * $L)", Names.LAYOUT, state.dLastState(1), width);
      }
      m.endControlFlow();
    }
    m.addStatement("$N.backward()", last.field());
    for (int i = ctx.layers.size() - 1; i >= 1; i--) {
      LayerWriter prev = ctx.layers.get(i - 1);
      LayerWriter cur = ctx.layers.get(i);
      Layer p = prev.layer();
      int w = p.outputWidth();
      m.addComment("layer $L: dL/d(its output) is dL/dx of $L", p.name(), cur.layer().name())
          .addStatement("$N.startBackward()", prev.field());
      if (p.returnsSequences()) {
        boolean reverse = cur.layer().goBackwards();
        m.addStatement("$T.copySteps($L, 0, $L, 0, batch, TIMESTEPS, $L, $L)", Names.LAYOUT, cur.dInput(),
            prev.dSequence(), w, reverse);
      } else {
        m.addStatement("$T.copy($L, 0, $L, 0, batch * $L)", Names.LAYOUT, cur.dInput(), prev.dLast(), w);
      }
      m.addStatement("$N.backward()", prev.field());
    }
    m.addComment("the gradients, in the order of getWeights()")
        .addStatement("TABLE.copyGradients(gradientArrays, into.weights())");
    RecurrentPorts first = ctx.first;
    boolean reverse = ctx.input.layer().goBackwards();
    m.addComment("dL/dx, back to (batch, $L, $L)$L", ctx.timesteps, ctx.model.features(),
            reverse ? " in input order" : "")
        .addStatement("$T.fromTimeMajor($L, 0, into.input().data(), batch, TIMESTEPS, FEATURES, $L)",
            Names.LAYOUT, ctx.input.dInput(), reverse);
    List<String> names = first.stateNames();
    m.addComment("$L: the gradients of layer $L's initial state", names.size() > 1 ? "dL/dh_{-1}, dL/dc_{-1}"
        : "dL/dh_{-1}", first.layer().name());
    for (int part = 0; part < names.size(); part++) {
      m.addStatement("$T.copy($L, 0, into.initialState().get($L).data(), 0, batch * $L)", Names.LAYOUT,
          first.dInitialState(part), part, first.stateWidth());
    }
    return m.build();
  }
}
