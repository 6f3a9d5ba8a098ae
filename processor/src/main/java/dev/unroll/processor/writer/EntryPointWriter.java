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
import dev.unroll.processor.model.Weight;

/**
 * The model's public entry points: {@code predict}, {@code gradients}, {@code backward} and, for
 * Keras's return_state, their {@code WithState} forms. Each checks every tensor it is given (a wrong
 * shape is a {@code ShapeMismatchException} naming both shapes) before it runs the stack.
 */
final class EntryPointWriter {
  private final ModelContext ctx;

  EntryPointWriter(ModelContext ctx) {
    this.ctx = ctx;
  }

  void addTo(TypeSpec.Builder type) {
    type.addMethod(predict());
    type.addMethod(gradients());
    type.addMethod(backwardKept());
    if (ctx.returnsState() != null) {
      type.addMethod(predictWithState());
      type.addMethod(gradientsWithState());
    }
    type.addMethod(checkInitialState());
    type.addMethod(checkGradients());
  }

  private MethodSpec predict() {
    return override("predict", Names.TENSOR)
        .addParameter(Names.TENSOR, "x")
        .addParameter(TENSOR_LIST, "initialState")
        .addParameter(Names.TENSOR, "out")
        .addStatement("int batch = $T.batchOf(x, $S, TIMESTEPS, FEATURES)", Names.CHECKS, "predict: x")
        .addStatement("checkInitialState(initialState, batch, $S)", "predict: initialState")
        .beginControlFlow("if (out == null)")
        .addStatement("out = $T.zeros(batch, $L)", Names.TENSOR, ctx.outputTrailing())
        .nextControlFlow("else")
        .addStatement("$T.batchShape(out, $S, batch, $L)", Names.CHECKS, "predict: out", ctx.outputTrailing())
        .endControlFlow()
        .addStatement("forward(x, initialState, batch)")
        .addCode(copyOutput("out.data()"))
        .addStatement("return out")
        .build();
  }

  /** The last layer's output into {@code dst}, (batch, OUTPUTS) or (batch, TIMESTEPS, OUTPUTS). */
  private CodeBlock copyOutput(String dst) {
    LayerWriter last = ctx.last;
    int width = last.layer().outputWidth();
    if (ctx.sequenceOutput()) {
      return CodeBlock.builder()
          .add("// the output is every step of $L, back to (batch, $L, $L)\n", last.layer().name(), ctx.timesteps,
              width)
          .addStatement("$T.fromTimeMajor($L, $L, $L, batch, TIMESTEPS, $L, false)", Names.LAYOUT, last.sequence(),
              last.sequenceOffset(), dst, width)
          .build();
    }
    return CodeBlock.builder()
        .add("// the output is the last step of $L: (batch, $L)\n", last.layer().name(), width)
        .addStatement("$T.copy($L, $L, $L, 0, batch * $L)", Names.LAYOUT, last.last(), last.lastOffset(), dst, width)
        .build();
  }

  private MethodSpec gradients() {
    return override("gradients", Names.GRADIENTS)
        .addParameter(Names.TENSOR, "x")
        .addParameter(TENSOR_LIST, "initialState")
        .addParameter(Names.TENSOR, "dOutput")
        .addParameter(Names.GRADIENTS, "into")
        .addStatement("int batch = $T.batchOf(x, $S, TIMESTEPS, FEATURES)", Names.CHECKS, "gradients: x")
        .addStatement("checkInitialState(initialState, batch, $S)", "gradients: initialState")
        .addStatement("$T.batchShape(dOutput, $S, batch, $L)", Names.CHECKS, "gradients: dOutput", ctx.outputTrailing())
        .addStatement("into = checkGradients(into, batch)")
        .addStatement("forward(x, initialState, batch)")
        .addStatement("backward(dOutput, null, null, into, batch)")
        .addStatement("return into")
        .build();
  }

  private MethodSpec backwardKept() {
    return override("backward", Names.GRADIENTS)
        .addParameter(Names.TENSOR, "dOutput")
        .addParameter(Names.GRADIENTS, "into")
        .beginControlFlow("if (keptBatch == 0)")
        .addStatement("throw new $T($S)", IllegalStateException.class,
            "backward: no forward pass is kept; call predict first (setWeights discards the last one)")
        .endControlFlow()
        .addStatement("int batch = keptBatch")
        .addStatement("$T.batchShape(dOutput, $S, batch, $L)", Names.CHECKS, "backward: dOutput", ctx.outputTrailing())
        .addStatement("into = checkGradients(into, batch)")
        .addStatement("backward(dOutput, null, null, into, batch)")
        .addStatement("return into")
        .build();
  }

  private MethodSpec predictWithState() {
    LstmPorts l = ctx.returnsState();
    int u = l.layer().units();
    return MethodSpec.methodBuilder("predictWithState")
        .addModifiers(PUBLIC)
        .returns(TENSOR_LIST)
        .addJavadoc("Keras {@code return_state}: the output, h_T ($L, $L) and c_T (batch, $L), in that order.\n",
            "batch", u, u)
        .addJavadoc("\n@param initialState [h0, c0], each (batch, $L), or null for zeros. Not modified.\n", u)
        .addParameter(Names.TENSOR, "x")
        .addParameter(TENSOR_LIST, "initialState")
        .addStatement("$T out = predict(x, initialState, null)", Names.TENSOR)
        .addStatement("int batch = out.dim(0)")
        .addStatement("$T h = $T.zeros(batch, $L)", Names.TENSOR, Names.TENSOR, u)
        .addStatement("$T c = $T.zeros(batch, $L)", Names.TENSOR, Names.TENSOR, u)
        .addStatement("$T.copy($L, $L, h.data(), 0, batch * $L)", Names.LAYOUT, l.last(), l.lastOffset(), u)
        .addStatement("$T.copy($L, $L, c.data(), 0, batch * $L)", Names.LAYOUT, l.lastCell(), l.lastOffset(), u)
        .addStatement("return $T.of(out, h, c)", Names.LIST)
        .build();
  }

  private MethodSpec gradientsWithState() {
    int u = ctx.returnsState().layer().units();
    return MethodSpec.methodBuilder("gradientsWithState")
        .addModifiers(PUBLIC)
        .returns(Names.GRADIENTS)
        .addJavadoc("Gradients given the gradients of all three outputs of {@link #predictWithState}:\n")
        .addJavadoc("{@code dOutputs} = [dOutput, dh_T (batch, $L), dc_T (batch, $L)].\n", u, u)
        .addJavadoc("\n@param into gradients to overwrite, or null. Modified.\n")
        .addParameter(Names.TENSOR, "x")
        .addParameter(TENSOR_LIST, "initialState")
        .addParameter(TENSOR_LIST, "dOutputs")
        .addParameter(Names.GRADIENTS, "into")
        .addStatement("int batch = $T.batchOf(x, $S, TIMESTEPS, FEATURES)", Names.CHECKS, "gradientsWithState: x")
        .addStatement("checkInitialState(initialState, batch, $S)", "gradientsWithState: initialState")
        .beginControlFlow("if (dOutputs == null || dOutputs.size() != 3)")
        .addStatement("throw new $T($S + (dOutputs == null ? $S : dOutputs.size() + $S))",
            IllegalArgumentException.class, "gradientsWithState: dOutputs must hold 3 tensors (dOutput, dh_T, dc_T), found ",
            "null", "")
        .endControlFlow()
        .addStatement("$T.batchShape(dOutputs.get(0), $S, batch, $L)", Names.CHECKS, "gradientsWithState: dOutputs[0]",
            ctx.outputTrailing())
        .addStatement("$T.batchShape(dOutputs.get(1), $S, batch, $L)", Names.CHECKS, "gradientsWithState: dOutputs[1] (dh_T)",
            u)
        .addStatement("$T.batchShape(dOutputs.get(2), $S, batch, $L)", Names.CHECKS, "gradientsWithState: dOutputs[2] (dc_T)",
            u)
        .addStatement("into = checkGradients(into, batch)")
        .addStatement("forward(x, initialState, batch)")
        .addStatement("backward(dOutputs.get(0), dOutputs.get(1), dOutputs.get(2), into, batch)")
        .addStatement("return into")
        .build();
  }

  private MethodSpec checkInitialState() {
    int u = ctx.first.layer().units();
    return MethodSpec.methodBuilder("checkInitialState")
        .addModifiers(PRIVATE, STATIC)
        .addParameter(TENSOR_LIST, "initialState")
        .addParameter(TypeName.INT, "batch")
        .addParameter(String.class, "what")
        .beginControlFlow("if (initialState == null)")
        .addStatement("return")
        .endControlFlow()
        .beginControlFlow("if (initialState.size() != 2)")
        .addStatement("throw new $T(what + $S + initialState.size() + $S)", IllegalArgumentException.class,
            ": expected [h0, c0] for layer " + ctx.first.layer().name() + ", found ", " tensors")
        .endControlFlow()
        .addStatement("$T.batchShape(initialState.get(0), what, $S, batch, $L)", Names.CHECKS, "[0] (h0)", u)
        .addStatement("$T.batchShape(initialState.get(1), what, $S, batch, $L)", Names.CHECKS, "[1] (c0)", u)
        .build();
  }

  private MethodSpec checkGradients() {
    int u = ctx.first.layer().units();
    CodeBlock.Builder list = CodeBlock.builder().add("$T.of(", Names.LIST);
    int i = 0;
    for (LayerWriter layer : ctx.layers) {
      for (Weight w : layer.weights()) {
        list.add(i++ > 0 ? ", " : "").add("$T.zeros($L)", Names.TENSOR, w.dims());
      }
    }
    list.add(")");
    return MethodSpec.methodBuilder("checkGradients")
        .addModifiers(PRIVATE, STATIC)
        .addJavadoc("{@code into}, checked, or new gradients for {@code batch} samples when it is null.\n")
        .returns(Names.GRADIENTS)
        .addParameter(Names.GRADIENTS, "into")
        .addParameter(TypeName.INT, "batch")
        .beginControlFlow("if (into == null)")
        .addStatement("return new $T($L, $T.zeros(batch, TIMESTEPS, FEATURES), $T.of($T.zeros(batch, $L), $T.zeros(batch, $L)))",
            Names.GRADIENTS, list.build(), Names.TENSOR, Names.LIST, Names.TENSOR, u, Names.TENSOR, u)
        .endControlFlow()
        .addStatement("checkWeights(into.weights(), $S)", "gradients: into.weights()")
        .addStatement("$T.batchShape(into.input(), $S, batch, TIMESTEPS, FEATURES)", Names.CHECKS,
            "gradients: into.input()")
        .beginControlFlow("if (into.initialState().size() != 2)")
        .addStatement("throw new $T($S + into.initialState().size())", IllegalArgumentException.class,
            "gradients: into.initialState() must hold 2 tensors (dh0, dc0), found ")
        .endControlFlow()
        .addStatement("$T.batchShape(into.initialState().get(0), $S, batch, $L)", Names.CHECKS,
            "gradients: into.initialState()[0]", u)
        .addStatement("$T.batchShape(into.initialState().get(1), $S, batch, $L)", Names.CHECKS,
            "gradients: into.initialState()[1]", u)
        .addStatement("return into")
        .build();
  }
}
