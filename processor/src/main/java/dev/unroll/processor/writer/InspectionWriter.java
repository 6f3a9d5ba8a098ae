package dev.unroll.processor.writer;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.internal.SelfChecks;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.reference.Interpreter;

/**
 * Writes what a user inspects a generated model with: the class Javadoc's pointer to the model's
 * picture ({@code Unrolled<Type>.svg}, see {@code dev.unroll.processor.diagram}) and
 * {@code selfCheck()}, with the expected values that {@link Interpreter} computes at compile time.
 */
final class InspectionWriter {
  /** Static name of the constant holding the expected values. */
  static final String EXPECTED = "SELF_CHECK_EXPECTED";

  /**
   * The most work the processor does for one model's expected values, in multiply-adds (drawing the
   * weights and two forward passes of one sample); above it the class stores none and
   * {@code selfCheck()} checks only the gradients. Measured on a busy machine, a model of 128 units over
   * 24 steps of 3 features (1.8e7 each time) took about 100 ms to draw its weights and 30 ms to run; 64
   * units over 100 steps of 64 features is within the budget, 128 units over 1,000 steps is not.
   */
  static final double COMPILE_TIME_BUDGET = 5e7;

  static final ClassName SELF_CHECK = ClassName.get(Names.RUNTIME, "SelfCheck");
  static final ClassName SELF_CHECKS = ClassName.get(Names.INTERNAL, "SelfChecks");

  private final ModelContext ctx;
  private final boolean picture;

  /** @param picture whether the processor writes the model's picture beside the class */
  InspectionWriter(ModelContext ctx, boolean picture) {
    this.ctx = ctx;
    this.picture = picture;
  }

  /** Whether the processor computes expected values for this model (within {@link #COMPILE_TIME_BUDGET}). */
  static boolean withinBudget(ModelSpec model) {
    return 2 * Interpreter.cost(model) <= COMPILE_TIME_BUDGET;
  }

  /**
   * Whether the interpreter knows every layer of the model (LSTM, GRU, Bidirectional and Dense, in
   * any order, and Masking): a layer kind it does not know gets a gradient-only check that says so.
   */
  static boolean interpretable(ModelSpec model) {
    return Interpreter.knows(model);
  }

  /**
   * The expected values of a model's self-check: its output at {@link ModelWriter#DEFAULT_SEED} on
   * the check input (with masked steps for a model with Masking), as {@link SelfChecks#expected} keeps
   * it, from the interpreter.
   */
  static double[] expected(ModelSpec model) {
    double[] x = model.masking() == null ? SelfChecks.input(model.timesteps(), model.features())
        : SelfChecks.maskedInput(model.timesteps(), model.features(), model.masking().maskValue());
    double[] output = Interpreter.atSeed(model, ModelWriter.DEFAULT_SEED).predict(x, SelfChecks.BATCH);
    return SelfChecks.expected(output);
  }

  void addTo(TypeSpec.Builder type) {
    ModelSpec model = ctx.model;
    String self = ctx.self.simpleName();
    if (picture) {
      type.addJavadoc("\n<p>A picture of this model, unrolled over time with its shapes and parameter counts:\n");
      type.addJavadoc("<a href=\"$L.svg\">$L.svg</a>, a resource beside this class.\n", self, self);
    }
    type.addJavadoc("\n<p>Check that this class computes what was declared, on your JVM: {@link #selfCheck()}.\n");

    String input = SelfChecks.BATCH + " samples of " + model.timesteps() + " "
        + ModelContext.plural(model.timesteps(), "timestep") + " of " + model.features() + " "
        + ModelContext.plural(model.features(), "feature")
        + (model.masking() == null ? "" : ", some steps set to the mask value");
    CodeBlock.Builder doc = CodeBlock.builder();
    CodeBlock expectedArgument;
    if (interpretable(model) && withinBudget(model)) {
      double[] e = expected(model);
      int outputs = e.length - 1;
      CodeBlock.Builder values = CodeBlock.builder().add("{\n$>");
      int[] probes = SelfChecks.outputProbes(outputValues(model));
      for (int k = 0; k < outputs; k++) {
        values.add("$L, // output[$L]\n", e[k], probes[k]);
      }
      values.add("$L // L = sum(output * r)\n$<}", e[outputs]);
      type.addField(FieldSpec.builder(ArrayTypeName.of(TypeName.DOUBLE), EXPECTED, PRIVATE, STATIC, FINAL)
          .addJavadoc("What {@link #selfCheck()} expects of a new {@code $L()} on the check input of\n", self)
          .addJavadoc("{@link $T}, $L: its output at $L of the $L values, then\n", SELF_CHECKS, input, outputs,
              outputValues(model))
          .addJavadoc("L = sum(output * r) over all of them. Computed while compiling by the processor's own interpreter\n")
          .addJavadoc("of the layer equations, not by this class's code.\n")
          .initializer(values.build())
          .build());
      doc.add("Runs a new {@code $L()} on the check input ($L):\n", self, input);
      doc.add("its output against {@code $L}, its gradients against finite differences, with the\n", EXPECTED);
      doc.add("tolerances of $L; this instance is not touched. See {@link $T#selfCheck()}.\n",
          model.float32() ? "float32" : "float64", Names.SEQUENCE_MODEL);
      expectedArgument = CodeBlock.of("$N", EXPECTED);
    } else {
      doc.add("Checks the gradients of a new {@code $L()}, at {@link #DEFAULT_SEED}, against central finite\n", self);
      doc.add("differences of its forward pass on the check input ($L), along a random direction over\n", input);
      doc.add("each weight tensor and over the input, and returns the report. This instance is not touched.\n");
      if (interpretable(model)) {
        doc.add("The processor computed no expected output for this model: that would have cost more than\n");
        doc.add("$L multiply-adds of compile time. See {@link $T#selfCheck()}.\n",
            String.format(java.util.Locale.ROOT, "%.0e", COMPILE_TIME_BUDGET), Names.SEQUENCE_MODEL);
      } else {
        doc.add("The processor computed no expected output for this model: its interpreter of the layer\n");
        doc.add("equations does not know all of its layers. See {@link $T#selfCheck()}.\n",
            Names.SEQUENCE_MODEL);
      }
      expectedArgument = CodeBlock.of("null");
    }
    type.addMethod(ModelContext.override("selfCheck", SELF_CHECK)
        .addJavadoc(doc.build())
        .addStatement("return $T.run(new $T(), $L, $L)", SELF_CHECKS, ctx.self, expectedArgument, model.float32())
        .build());
  }

  /** Values of the output of the check's batch. */
  static int outputValues(ModelSpec model) {
    int n = SelfChecks.BATCH;
    for (int d : model.output().outputShape()) {
      n *= d;
    }
    return n;
  }
}
