package dev.unroll.processor.writer;

import static dev.unroll.processor.writer.ModelContext.TENSOR_LIST;
import static dev.unroll.processor.writer.ModelContext.override;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.PUBLIC;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.List;

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
    if (ctx.masking != null) {
      type.addMethod(predictLengths());
      type.addMethod(gradientsLengths());
    }
    if (ctx.model.outputMasked()) {
      type.addField(FieldSpec.builder(Names.TENSOR, "outputMask", PRIVATE)
          .addJavadoc("The output's mask in Keras's form, (batch, TIMESTEPS); sized on first use.\n").build());
      type.addMethod(outputMask());
    }
  }

  private MethodSpec predict() {
    return override("predict", Names.TENSOR)
        .addParameter(Names.TENSOR, "x")
        .addParameter(TENSOR_LIST, "initialState")
        .addParameter(Names.TENSOR, "out")
        .addStatement("int batch = $T.batchOf(x, $S, TIMESTEPS, FEATURES)", Names.CHECKS, "predict: x")
        .addStatement("TABLE.checkInitialState(initialState, batch, $S)", "predict: initialState")
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
        .addStatement("TABLE.checkInitialState(initialState, batch, $S)", "gradients: initialState")
        .addStatement("$T.batchShape(dOutput, $S, batch, $L)", Names.CHECKS, "gradients: dOutput", ctx.outputTrailing())
        .addStatement("into = intoCheck.check(into, batch)")
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
        .addStatement("into = intoCheck.check(into, batch)")
        .addStatement("backward(dOutput, null, null, into, batch)")
        .addStatement("return into")
        .build();
  }

  private MethodSpec predictWithState() {
    RecurrentPorts l = ctx.returnsState();
    int u = l.stateWidth();
    List<String> names = l.stateNames();
    String parts = names.size() > 1 ? "h_T ($L, $L) and c_T (batch, $L)" : "h_T ($L, $L)";
    MethodSpec.Builder m = MethodSpec.methodBuilder("predictWithState")
        .addModifiers(PUBLIC)
        .returns(TENSOR_LIST)
        .addJavadoc("Keras {@code return_state}: the output, " + parts + ", in that order.\n",
            names.size() > 1 ? new Object[] {"batch", u, u} : new Object[] {"batch", u})
        .addJavadoc("\n@param initialState [$L], each (batch, $L), or null for zeros. Not modified.\n",
            ctx.stateList("0"), ctx.first.stateWidth())
        .addParameter(Names.TENSOR, "x")
        .addParameter(TENSOR_LIST, "initialState")
        .addStatement("$T out = predict(x, initialState, null)", Names.TENSOR)
        .addStatement("int batch = out.dim(0)");
    for (String n : names) {
      m.addStatement("$T $L = $T.zeros(batch, $L)", Names.TENSOR, n, Names.TENSOR, u);
    }
    for (int k = 0; k < names.size(); k++) {
      m.addStatement("$T.copy($L, $L, $L.data(), 0, batch * $L)", Names.LAYOUT, l.lastState(k), l.lastOffset(),
          names.get(k), u);
    }
    return m.addStatement("return $T.of(out, $L)", Names.LIST, String.join(", ", names)).build();
  }

  private MethodSpec gradientsWithState() {
    RecurrentPorts l = ctx.returnsState();
    int u = l.stateWidth();
    boolean cell = l.stateNames().size() > 1;
    int count = 1 + l.stateNames().size();
    MethodSpec.Builder m = MethodSpec.methodBuilder("gradientsWithState")
        .addModifiers(PUBLIC)
        .returns(Names.GRADIENTS)
        .addJavadoc("Gradients given the gradients of all $L outputs of {@link #predictWithState}:\n",
            cell ? "three" : "two")
        .addJavadoc(cell ? "{@code dOutputs} = [dOutput, dh_T (batch, $L), dc_T (batch, $L)].\n"
            : "{@code dOutputs} = [dOutput, dh_T (batch, $L)].\n", cell ? new Object[] {u, u} : new Object[] {u})
        .addJavadoc("\n@param into gradients to overwrite, or null. Modified.\n")
        .addParameter(Names.TENSOR, "x")
        .addParameter(TENSOR_LIST, "initialState")
        .addParameter(TENSOR_LIST, "dOutputs")
        .addParameter(Names.GRADIENTS, "into")
        .addStatement("int batch = $T.batchOf(x, $S, TIMESTEPS, FEATURES)", Names.CHECKS, "gradientsWithState: x")
        .addStatement("TABLE.checkInitialState(initialState, batch, $S)", "gradientsWithState: initialState")
        .beginControlFlow("if (dOutputs == null || dOutputs.size() != $L)", count)
        .addStatement("throw new $T($S + (dOutputs == null ? $S : dOutputs.size() + $S))",
            IllegalArgumentException.class, "gradientsWithState: dOutputs must hold " + count + " tensors (dOutput, dh_T"
                + (cell ? ", dc_T" : "") + "), found ", "null", "")
        .endControlFlow()
        .addStatement("$T.batchShape(dOutputs.get(0), $S, batch, $L)", Names.CHECKS, "gradientsWithState: dOutputs[0]",
            ctx.outputTrailing())
        .addStatement("$T.batchShape(dOutputs.get(1), $S, batch, $L)", Names.CHECKS, "gradientsWithState: dOutputs[1] (dh_T)",
            u);
    if (cell) {
      m.addStatement("$T.batchShape(dOutputs.get(2), $S, batch, $L)", Names.CHECKS,
          "gradientsWithState: dOutputs[2] (dc_T)", u);
    }
    return m.addStatement("into = intoCheck.check(into, batch)")
        .addStatement("forward(x, initialState, batch)")
        .addStatement("backward(dOutputs.get(0), dOutputs.get(1), $L, into, batch)", cell ? "dOutputs.get(2)" : "null")
        .addStatement("return into")
        .build();
  }

  private MethodSpec predictLengths() {
    return MethodSpec.methodBuilder("predictWithLengths")
        .addModifiers(PUBLIC)
        .returns(Names.TENSOR)
        .addJavadoc("{@link #predict(Tensor, List, Tensor)} on sequences of different lengths, right-padded: step t of\n")
        .addJavadoc("sample b is masked when t >= lengths[b], whatever its values (the mask value is not looked at).\n")
        .addJavadoc("\n@param lengths one per sample, each in [0, TIMESTEPS]. Not modified.\n")
        .addJavadoc("@throws IllegalArgumentException if there is not one length per sample, or one is out of range;\n")
        .addJavadoc("    checked before anything changes, so the last pass (for {@code backward}) stays as it was\n")
        .addParameter(Names.TENSOR, "x")
        .addParameter(int[].class, "lengths")
        .addParameter(Names.TENSOR, "out")
        .addComment("x and lengths are checked before anything changes: on error the last pass stays as it was")
        .addStatement("int batch = $T.batchOf(x, $S, TIMESTEPS, FEATURES)", Names.CHECKS, "predictWithLengths: x")
        .addStatement("$T.checkLengths(lengths, batch, TIMESTEPS, $S)", Names.MASKS, "predictWithLengths")
        .addStatement("$L = lengths", ctx.masking.lengths())
        .beginControlFlow("try")
        .addStatement("return predict(x, null, out)")
        .nextControlFlow("finally")
        .addStatement("$L = null", ctx.masking.lengths())
        .endControlFlow()
        .build();
  }

  private MethodSpec gradientsLengths() {
    return MethodSpec.methodBuilder("gradientsWithLengths")
        .addModifiers(PUBLIC)
        .returns(Names.GRADIENTS)
        .addJavadoc("{@link #gradients(Tensor, List, Tensor, Gradients)} on right-padded sequences of different lengths,\n")
        .addJavadoc("masked as {@link #predictWithLengths} masks them.\n")
        .addJavadoc("\n@param lengths one per sample, each in [0, TIMESTEPS]. Not modified.\n")
        .addJavadoc("@param into gradients to overwrite, or null. Modified.\n")
        .addJavadoc("@throws IllegalArgumentException if there is not one length per sample, or one is out of range;\n")
        .addJavadoc("    checked before anything changes, so the last pass (for {@code backward}) stays as it was\n")
        .addParameter(Names.TENSOR, "x")
        .addParameter(int[].class, "lengths")
        .addParameter(Names.TENSOR, "dOutput")
        .addParameter(Names.GRADIENTS, "into")
        .addComment("x and lengths are checked before anything changes: on error the last pass stays as it was")
        .addStatement("int batch = $T.batchOf(x, $S, TIMESTEPS, FEATURES)", Names.CHECKS, "gradientsWithLengths: x")
        .addStatement("$T.checkLengths(lengths, batch, TIMESTEPS, $S)", Names.MASKS, "gradientsWithLengths")
        .addStatement("$L = lengths", ctx.masking.lengths())
        .beginControlFlow("try")
        .addStatement("return gradients(x, null, dOutput, into)")
        .nextControlFlow("finally")
        .addStatement("$L = null", ctx.masking.lengths())
        .endControlFlow()
        .build();
  }

  private MethodSpec outputMask() {
    return override("outputMask", Names.TENSOR)
        .addJavadoc("The mask of the last forward pass's output, 1 where a step counts and 0 where it is masked:\n")
        .addJavadoc("(batch, $L), reused by the next call; null before the first forward pass.\n", ctx.timesteps)
        .beginControlFlow("if (keptBatch == 0)")
        .addStatement("return null")
        .endControlFlow()
        .beginControlFlow("if (outputMask == null || outputMask.dim(0) != keptBatch)")
        .addStatement("outputMask = $T.zeros(keptBatch, TIMESTEPS)", Names.TENSOR)
        .endControlFlow()
        .addStatement("$T.toKeras($L, keptBatch, TIMESTEPS, outputMask.data())", Names.MASKS, ctx.masking.mask())
        .addStatement("return outputMask")
        .build();
  }
}
