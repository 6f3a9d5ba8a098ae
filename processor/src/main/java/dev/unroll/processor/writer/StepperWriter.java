package dev.unroll.processor.writer;

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
import dev.unroll.processor.model.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming: {@code stepper()} and the nested {@code ModelStepper}, which keeps the state of every
 * layer between steps (each layer says what through {@link LayerWriter#stepper}) and shares the
 * model's weights.
 */
final class StepperWriter {
  private final ModelContext ctx;

  StepperWriter(ModelContext ctx) {
    this.ctx = ctx;
  }

  MethodSpec stepper() {
    MethodSpec.Builder m = override("stepper", Names.STEPPER)
        .addJavadoc("A new stepper over this model's weights, from a zero state. See {@link $T}.\n", Names.STEPPER);
    for (LayerWriter writer : ctx.layers) {
      Layer layer = writer.layer();
      if (!writer.parts().isEmpty()) {
        return m.addStatement("throw new $T($S)", UnsupportedOperationException.class,
                "layer " + layer.name() + " is Bidirectional: its backward direction reads each sequence from its "
                    + "last step, so the model cannot be stepped forward one timestep at a time; use predict on "
                    + "whole sequences")
            .build();
      }
      if (layer.goBackwards()) {
        return m.addStatement("throw new $T($S)", UnsupportedOperationException.class,
                "layer " + layer.name() + " processes each sequence from its last step (goBackwards = true), "
                    + "so the model cannot be stepped forward one timestep at a time; use predict on whole sequences")
            .build();
      }
    }
    return m.addStatement("return new ModelStepper(this)").build();
  }

  /**
   * The nested {@code ModelStepper}: its arrays and its step. Everything else a stepper does (sizes, the
   * state saved, restored and reset as one array) is the runtime's {@code GeneratedStepper}, which it
   * extends: the state arrays are handed to its constructor and taken back by index.
   */
  TypeSpec stepperClass() {
    Numeric num = ctx.num;
    TypeSpec.Builder type = TypeSpec.classBuilder("ModelStepper")
        .addModifiers(PRIVATE, STATIC, FINAL)
        .superclass(Names.GENERATED_STEPPER)
        .addJavadoc("One stream: the state of every layer, kept between steps; the weights are the model's.\n"
            + "Its sizes and the saving, restoring and resetting of its state are {@link $T}'s.\n",
            Names.GENERATED_STEPPER);
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addParameter(ctx.self, "model");
    MethodSpec.Builder step = MethodSpec.methodBuilder("step")
        .addAnnotation(Names.OVERRIDE)
        .addModifiers(PUBLIC)
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "input")
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "result")
        .addStatement("checkStep(input, result)");
    // in float64 the first layer reads the caller's input, which no layer writes; float32 converts it first
    String in = "input";
    if (num == Numeric.FLOAT32) {
      type.addField(FieldSpec.builder(num.array(), "x", PRIVATE, FINAL)
          .initializer("new $T[FEATURES]", num.scalar()).build());
      step.addStatement("$T.copy(input, 0, x, 0, FEATURES)", Names.LAYOUT);
      in = "x";
    }
    List<Saved> saved = new ArrayList<>();
    CodeBlock.Builder takeBack = CodeBlock.builder();
    for (LayerWriter writer : ctx.layers) {
      String f = writer.field();
      type.addField(writer.type(), f, PRIVATE, FINAL);
      takeBack.addStatement("this.$N = model.$N", f, f);
      LayerWriter.StepperPart part = writer.stepper(in);
      for (LayerWriter.StateArray a : part.fields()) {
        if (a.saved() != null) {
          type.addField(num.array(), a.name(), PRIVATE, FINAL);
          takeBack.addStatement("$N = $N($L)", a.name(), num == Numeric.FLOAT32 ? "stateFloats" : "state", saved.size());
          saved.add(new Saved(writer.layer().name(), a));
        } else {
          type.addField(FieldSpec.builder(num.array(), a.name(), PRIVATE, FINAL)
              .initializer("new $T[$L]", num.scalar(), a.length()).build());
        }
      }
      if (ctx.model.masked(writer.layer()) && writer.layer().recurrent()) {
        step.beginControlFlow("if (!masked)")
            .addCode(part.step())
            .nextControlFlow("else")
            .addComment("Masking: at a masked step layer $L keeps its state, and its output is the carried h",
                writer.layer().name())
            .endControlFlow();
      } else {
        step.addCode(part.step());
      }
      in = part.output();
    }
    step.addStatement("$T.copy($N, 0, result, 0, OUTPUTS)", Names.LAYOUT, in);
    CodeBlock.Builder names = CodeBlock.builder();
    CodeBlock.Builder arrays = CodeBlock.builder();
    for (int i = 0; i < saved.size(); i++) {
      names.add(i == 0 ? "$S" : ", $S", saved.get(i).part());
      arrays.add(", new $T[$L]", num.scalar(), saved.get(i).array().length());
    }
    ctor.addComment("the state, in the order of a saved one: $L", saved.isEmpty() ? "none"
        : String.join(", ", saved.stream().map(Saved::part).toList()));
    if (saved.isEmpty()) {
      ctor.addStatement("super(FEATURES, OUTPUTS, new String[0], new $T[0][])", num.scalar());
    } else {
      ctor.addStatement("super(FEATURES, OUTPUTS, new String[] {$L}$L)", names.build(), arrays.build());
    }
    ctor.addCode(takeBack.build());
    type.addMethod(ctor.build());
    type.addMethod(step.build());
    return type.build();
  }

  /** One array of the saved state, and its layer's name. */
  private record Saved(String layer, LayerWriter.StateArray array) {
    String part() {
      return layer + " " + array.saved();
    }
  }
}
