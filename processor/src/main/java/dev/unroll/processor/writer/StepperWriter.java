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

  TypeSpec stepperClass() {
    Numeric num = ctx.num;
    TypeSpec.Builder type = TypeSpec.classBuilder("ModelStepper")
        .addModifiers(PRIVATE, STATIC, FINAL)
        .addSuperinterface(Names.STEPPER)
        .addJavadoc("One stream: the state of every layer, kept between steps; the weights are the model's.\n");
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addParameter(ctx.self, "model");
    type.addField(num.array(), "x", PRIVATE, FINAL);
    ctor.addStatement("x = new $T[FEATURES]", num.scalar());
    MethodSpec.Builder step = MethodSpec.methodBuilder("step")
        .addAnnotation(Names.OVERRIDE)
        .addModifiers(PUBLIC)
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "input")
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "result")
        .beginControlFlow("if (input.length != FEATURES || result.length != OUTPUTS)")
        .addStatement("throw new $T($S + input.length + $S + result.length)", IllegalArgumentException.class,
            "step: expected x of length " + ctx.model.features() + " and an output of length "
                + ctx.last.layer().outputWidth() + ", found ", " and ")
        .endControlFlow()
        .addStatement("$T.copy(input, 0, x, 0, FEATURES)", Names.LAYOUT);
    MethodSpec.Builder reset = MethodSpec.methodBuilder("reset")
        .addAnnotation(Names.OVERRIDE)
        .addModifiers(PUBLIC);
    String in = "x";
    List<Saved> saved = new ArrayList<>();
    for (LayerWriter writer : ctx.layers) {
      String f = writer.field();
      type.addField(writer.type(), f, PRIVATE, FINAL);
      ctor.addStatement("this.$N = model.$N", f, f);
      LayerWriter.StepperPart part = writer.stepper(in);
      for (LayerWriter.StateArray a : part.fields()) {
        type.addField(num.array(), a.name(), PRIVATE, FINAL);
        ctor.addStatement("$N = new $T[$L]", a.name(), num.scalar(), a.length());
        if (a.saved() != null) {
          saved.add(new Saved(writer.layer().name(), a));
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
      reset.addCode(part.reset());
      in = part.output();
    }
    type.addField(ArrayTypeName.of(TypeName.DOUBLE), "out", PRIVATE, FINAL);
    ctor.addStatement("out = new double[OUTPUTS]");
    step.addStatement("$T.copy($N, 0, result, 0, OUTPUTS)", Names.LAYOUT, in);
    type.addMethod(ctor.build());
    type.addMethod(MethodSpec.methodBuilder("step")
        .addAnnotation(Names.OVERRIDE)
        .addModifiers(PUBLIC)
        .returns(ArrayTypeName.of(TypeName.DOUBLE))
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "input")
        .addStatement("step(input, out)")
        .addStatement("return out")
        .build());
    type.addMethod(step.build());
    type.addMethod(reset.build());
    type.addMethod(MethodSpec.methodBuilder("inputSize").addAnnotation(Names.OVERRIDE).addModifiers(PUBLIC)
        .returns(TypeName.INT).addStatement("return FEATURES").build());
    type.addMethod(MethodSpec.methodBuilder("outputSize").addAnnotation(Names.OVERRIDE).addModifiers(PUBLIC)
        .returns(TypeName.INT).addStatement("return OUTPUTS").build());
    addState(type, saved);
    return type.build();
  }

  /** One array of the saved state, and its layer's name. */
  private record Saved(String layer, LayerWriter.StateArray array) {
    String part() {
      return layer + " " + array.saved();
    }
  }

  /**
   * The saved state: the constants describing it, {@code stateSize}, {@code stateLayout},
   * {@code state(into)} and {@code restore}; one copy per array, so each method stays small.
   */
  private static void addState(TypeSpec.Builder type, List<Saved> saved) {
    int size = 0;
    StringBuilder layout = new StringBuilder();
    CodeBlock.Builder parts = CodeBlock.builder();
    CodeBlock.Builder sizes = CodeBlock.builder();
    String lastLayer = null;
    for (Saved s : saved) {
      LayerWriter.StateArray a = s.array();
      if (!s.layer().equals(lastLayer)) {
        layout.append(lastLayer == null ? "" : "; ").append(s.layer()).append(": ");
        lastLayer = s.layer();
      } else {
        layout.append(", ");
      }
      layout.append(a.saved()).append(" [").append(size).append(", ").append(size + a.length()).append(")");
      parts.add(size == 0 ? "$S" : ", $S", s.part());
      sizes.add(size == 0 ? "$L" : ", $L", a.length());
      size += a.length();
    }
    String layoutText = saved.isEmpty() ? "no state: no LSTM layer" : layout.toString();
    type.addField(FieldSpec.builder(TypeName.INT, "STATE_SIZE", PRIVATE, STATIC, FINAL)
        .addJavadoc("The length of a saved state: h and c of every LSTM layer.\n")
        .initializer("$L", size).build());
    type.addField(FieldSpec.builder(String.class, "STATE_LAYOUT", PRIVATE, STATIC, FINAL)
        .initializer("$S", layoutText).build());
    type.addField(FieldSpec.builder(String[].class, "STATE_PARTS", PRIVATE, STATIC, FINAL)
        .initializer("{$L}", parts.build()).build());
    type.addField(FieldSpec.builder(int[].class, "STATE_SIZES", PRIVATE, STATIC, FINAL)
        .initializer("{$L}", sizes.build()).build());
    type.addMethod(MethodSpec.methodBuilder("stateSize").addAnnotation(Names.OVERRIDE).addModifiers(PUBLIC)
        .returns(TypeName.INT).addStatement("return STATE_SIZE").build());
    type.addMethod(MethodSpec.methodBuilder("stateLayout").addAnnotation(Names.OVERRIDE).addModifiers(PUBLIC)
        .returns(String.class).addStatement("return STATE_LAYOUT").build());
    MethodSpec.Builder save = MethodSpec.methodBuilder("state").addAnnotation(Names.OVERRIDE).addModifiers(PUBLIC)
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "into")
        .beginControlFlow("if (into.length != STATE_SIZE)")
        .addStatement("throw new $T($S + into.length)", IllegalArgumentException.class,
            "state: expected an array of length " + size + " (" + layoutText + "), found length ")
        .endControlFlow();
    MethodSpec.Builder restore = MethodSpec.methodBuilder("restore").addAnnotation(Names.OVERRIDE)
        .addModifiers(PUBLIC)
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "state")
        .addComment("length and finiteness first: on error nothing is written")
        .addStatement("$T.state(state, $S, STATE_LAYOUT, STATE_PARTS, STATE_SIZES)", Names.CHECKS, "restore");
    int offset = 0;
    for (Saved s : saved) {
      LayerWriter.StateArray a = s.array();
      save.addStatement("$T.copy($N, 0, into, $L, $L)", Names.LAYOUT, a.name(), offset, a.length());
      restore.addStatement("$T.copy(state, $L, $N, 0, $L)", Names.LAYOUT, offset, a.name(), a.length());
      offset += a.length();
    }
    type.addMethod(save.build());
    type.addMethod(restore.build());
  }
}
