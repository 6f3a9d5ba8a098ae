package dev.unroll.processor.writer;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.PUBLIC;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.model.Plan;
import dev.unroll.processor.model.Summary;
import java.util.List;

/**
 * Writes {@code Unrolled<Type>} for a validated model. Reports no user errors: whatever reaches it
 * has passed the validator, so a failure here is a bug, which the processor reports as such.
 */
public final class ModelWriter {
  /** The seed of the no-argument constructor. */
  public static final long DEFAULT_SEED = 42L;

  private final ModelSpec model;
  private final Plan plan;
  private final Numeric num = Numeric.FLOAT64;
  private final boolean generatedAnnotation;
  private final LstmLayer lstm;
  private final String field;
  private final ClassName self;

  /**
   * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} is available
   *     to the code being compiled
   */
  public ModelWriter(ModelSpec model, Plan plan, boolean generatedAnnotation) {
    this.model = model;
    this.plan = plan;
    this.generatedAnnotation = generatedAnnotation;
    this.lstm = model.input();
    this.field = Names.layerField(lstm.name());
    this.self = ClassName.get(model.packageName(), model.generatedSimpleName());
  }

  public JavaFile write() {
    LstmLayerWriter layerWriter = new LstmLayerWriter(lstm, plan.of(lstm), num);
    ClassName layerType = self.nestedClass(layerWriter.className());
    ClassName source = ClassName.get(model.packageName(), model.simpleNames().get(0),
        model.simpleNames().subList(1, model.simpleNames().size()).toArray(new String[0]));

    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addModifiers(PUBLIC, FINAL)
        .addAnnotation(Names.UNROLL_GENERATED)
        .addJavadoc(classJavadoc());
    if (generatedAnnotation) {
      type.addAnnotation(AnnotationSpec.builder(Names.GENERATED)
          .addMember("value", "$S", "dev.unroll.processor.UnrollProcessor")
          .addMember("comments", "$S", "https://unroll.dev: generated from " + model.sourceName() + ", do not edit")
          .build());
    }
    if (model.isInterface()) {
      type.addSuperinterface(source);
    } else {
      type.superclass(source);
    }
    type.addSuperinterface(Names.SEQUENCE_MODEL);

    type.addField(publicConstant("UNITS", lstm.units(), "Units of the LSTM layer: the width of h and c."));
    type.addField(publicConstant("TIMESTEPS", lstm.timesteps(), "Steps per input sequence."));
    type.addField(publicConstant("FEATURES", lstm.features(), "Values per step of the input: the width of x_t."));
    type.addField(FieldSpec.builder(TypeName.INT, "PARAM_COUNT", PUBLIC, STATIC, FINAL)
        .addJavadoc("Weights in all: $L.\n", paramFormula(lstm))
        .initializer("$L", model.paramCount()).build());
    type.addField(FieldSpec.builder(TypeName.LONG, "DEFAULT_SEED", PUBLIC, STATIC, FINAL)
        .addJavadoc("The seed of {@link #$L()}.\n", self.simpleName())
        .initializer("$LL", DEFAULT_SEED).build());
    type.addField(FieldSpec.builder(String.class, "SUMMARY", PRIVATE, STATIC, FINAL)
        .initializer("$S", Summary.of(model)).build());
    type.addField(FieldSpec.builder(TypeName.LONG, "VALUES_PER_SAMPLE", PRIVATE, STATIC, FINAL)
        .addJavadoc("The largest work buffer's size per sample, to check that a batch fits in Java arrays.\n")
        .initializer("$LL", valuesPerSample(lstm)).build());
    type.addField(FieldSpec.builder(layerType, field, PRIVATE, FINAL)
        .initializer("new $T()", layerType).build());

    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(PUBLIC)
        .addJavadoc("A model initialised as Keras initialises one, from {@link #DEFAULT_SEED}: reproducible.\n")
        .addStatement("this(DEFAULT_SEED)")
        .build());
    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(PUBLIC)
        .addJavadoc("A model initialised as Keras initialises one (glorot_uniform kernel, orthogonal recurrent\n")
        .addJavadoc("kernel, zero bias with the forget block at 1), from {@code seed}: same seed, same weights.\n")
        .addParameter(TypeName.LONG, "seed")
        .addStatement("$N.initialize(new $T(seed))", field, Names.SPLITTABLE_RANDOM)
        .build());

    type.addMethod(override("paramCount", TypeName.INT).addStatement("return PARAM_COUNT").build());
    type.addMethod(override("summary", ClassName.get(String.class)).addStatement("return SUMMARY").build());
    type.addMethod(override("inputShape", ArrayTypeName.of(TypeName.INT))
        .addStatement("return new int[] {TIMESTEPS, FEATURES}").build());
    type.addMethod(override("outputShape", ArrayTypeName.of(TypeName.INT))
        .addStatement(lstm.returnSequences() ? "return new int[] {TIMESTEPS, UNITS}" : "return new int[] {UNITS}")
        .build());
    type.addMethod(predict());
    type.addMethod(gradients());
    type.addMethod(run());
    type.addMethod(newGradients());
    type.addMethod(getWeights());
    type.addMethod(setWeights());
    type.addMethod(checkWeights());
    type.addMethod(gateView("kernel", "kernel", "FEATURES", "W", "(" + lstm.features() + ", " + lstm.units() + ")"));
    type.addMethod(gateView("recurrentKernel", "recurrentKernel", "UNITS", "U", "(" + lstm.units() + ", " + lstm.units() + ")"));
    if (lstm.useBias()) {
      type.addMethod(gateView("bias", "bias", "0", "b", "(" + lstm.units() + ",)"));
    }
    type.addMethod(MethodSpec.methodBuilder("toString")
        .addAnnotation(Names.OVERRIDE)
        .addModifiers(PUBLIC)
        .returns(String.class)
        .addStatement("return $S", self.simpleName() + " " + describeShapes())
        .build());
    type.addType(layerWriter.write());

    return JavaFile.builder(model.packageName(), type.build())
        .addFileComment("Generated by Unroll from $L. Do not edit: change the annotations and recompile.",
            model.sourceName())
        .skipJavaLangImports(true)
        .build();
  }

  private CodeBlock classJavadoc() {
    LstmLayer l = lstm;
    String rec = Names.math(l.recurrentActivation());
    String act = Names.math(l.activation());
    int u = l.units();
    CodeBlock.Builder doc = CodeBlock.builder()
        .add("An LSTM written out by Unroll for {@link $L}: $L $L, sequences of $L $L, each x_t a vector of\n",
            model.sourceName(), u, LstmLayerWriter.plural(u, "unit"), l.timesteps(),
            LstmLayerWriter.plural(l.timesteps(), "timestep"))
        .add("$L $L. Keras semantics, weights and defaults.\n", l.features(), LstmLayerWriter.plural(l.features(), "feature"))
        .add("\n<pre>\n")
        .add("input   x       (batch, $L, $L)\n", l.timesteps(), l.features())
        .add("lstm    W ($L, $L)  U ($L, $L)$L  $L parameters = $L\n", l.features(), l.gates(), u, l.gates(),
            l.useBias() ? "  b (" + l.gates() + ",)" : "", l.paramCount(), paramFormula(l))
        .add("output  $L\n", l.returnSequences()
            ? "h_0 .. h_" + (l.timesteps() - 1) + "  (batch, " + l.timesteps() + ", " + u + ")"
            : "h_" + (l.timesteps() - 1) + "   (batch, " + u + ")")
        .add("</pre>\n")
        .add("\n<p>Each step t, for each sample ({@code @} is the matrix product, {@code *} elementwise):\n")
        .add("<pre>\n")
        .add("z_t = x_t @ W + h_{t-1} @ U$L    (1, $L) @ ($L, $L) + (1, $L) @ ($L, $L)$L -> (1, $L)\n",
            l.useBias() ? " + b" : "", l.features(), l.features(), l.gates(), u, u, l.gates(),
            l.useBias() ? " + (" + l.gates() + ",)" : "", l.gates())
        .add("i   = $L(z_t[0:$L])      input gate\n", rec, u)
        .add("f   = $L(z_t[$L:$L])      forget gate\n", rec, u, 2 * u)
        .add("c~  = $L(z_t[$L:$L])      cell candidate\n", act, 2 * u, 3 * u)
        .add("o   = $L(z_t[$L:$L])      output gate\n", rec, 3 * u, 4 * u)
        .add("c_t = f * c_{t-1} + i * c~\n")
        .add("h_t = o * $L(c_t)\n", act)
        .add("</pre>\n")
        .add("h_{-1} = c_{-1} = 0. The forward pass is in {@code $L.forward} and {@code step}, backpropagation\n",
            Names.layerClass(l.name()))
        .add("through time in {@code backward} and {@code backwardStep}.\n")
        .add("\n<p>Not thread-safe: an instance keeps work buffers for the last batch size it saw. Use one\n")
        .add("instance per thread (copy weights with {@link #getWeights()} and {@link #setWeights}).\n");
    return doc.build();
  }

  private MethodSpec predict() {
    MethodSpec.Builder m = override("predict", Names.TENSOR)
        .addParameter(Names.TENSOR, "x")
        .addParameter(Names.TENSOR, "out")
        .addStatement("int batch = $T.batchOf(x, $S, TIMESTEPS, FEATURES)", Names.CHECKS, "predict: x");
    if (lstm.returnSequences()) {
      m.beginControlFlow("if (out == null)")
          .addStatement("out = $T.zeros(batch, TIMESTEPS, UNITS)", Names.TENSOR)
          .nextControlFlow("else")
          .addStatement("$T.batchShape(out, $S, batch, TIMESTEPS, UNITS)", Names.CHECKS, "predict: out")
          .endControlFlow()
          .addStatement("run(x, batch)")
          .addComment("the output is h_0 .. h_$L: blocks 1 .. $L of h, back to (batch, $L, $L)",
              lstm.timesteps() - 1, lstm.timesteps(), lstm.timesteps(), lstm.units())
          .addStatement("$T.fromTimeMajor($N.h, batch * UNITS, out.data(), batch, TIMESTEPS, UNITS)",
              Names.LAYOUT, field);
    } else {
      m.beginControlFlow("if (out == null)")
          .addStatement("out = $T.zeros(batch, UNITS)", Names.TENSOR)
          .nextControlFlow("else")
          .addStatement("$T.batchShape(out, $S, batch, UNITS)", Names.CHECKS, "predict: out")
          .endControlFlow()
          .addStatement("run(x, batch)")
          .addComment("the output is h_$L, the last block of h: (batch, $L)", lstm.timesteps() - 1, lstm.units())
          .addStatement("$T.arraycopy($N.h, TIMESTEPS * batch * UNITS, out.data(), 0, batch * UNITS)",
              System.class, field);
    }
    return m.addStatement("return out").build();
  }

  private MethodSpec run() {
    return MethodSpec.methodBuilder("run")
        .addModifiers(PRIVATE)
        .addJavadoc("The forward pass of a checked input.\n")
        .addParameter(Names.TENSOR, "x")
        .addParameter(TypeName.INT, "batch")
        .addStatement("$T.batchFits(batch, VALUES_PER_SAMPLE, $S)", Names.CHECKS, self.simpleName())
        .addStatement("$N.resize(batch)", field)
        .addStatement("$T.toTimeMajor(x.data(), $N.x.data, batch, TIMESTEPS, FEATURES)", Names.LAYOUT, field)
        .addStatement("$N.forward()", field)
        .build();
  }

  private MethodSpec gradients() {
    MethodSpec.Builder m = override("gradients", Names.GRADIENTS)
        .addParameter(Names.TENSOR, "x")
        .addParameter(Names.TENSOR, "dOutput")
        .addParameter(Names.GRADIENTS, "into")
        .addStatement("int batch = $T.batchOf(x, $S, TIMESTEPS, FEATURES)", Names.CHECKS, "gradients: x");
    if (lstm.returnSequences()) {
      m.addStatement("$T.batchShape(dOutput, $S, batch, TIMESTEPS, UNITS)", Names.CHECKS, "gradients: dOutput");
    } else {
      m.addStatement("$T.batchShape(dOutput, $S, batch, UNITS)", Names.CHECKS, "gradients: dOutput");
    }
    m.beginControlFlow("if (into == null)")
        .addStatement("into = newGradients(batch)")
        .nextControlFlow("else")
        .addStatement("$T.batchShape(into.input(), $S, batch, TIMESTEPS, FEATURES)", Names.CHECKS,
            "gradients: into.input()")
        .addStatement("checkWeights(into.weights(), $S)", "gradients: into.weights()")
        .endControlFlow()
        .addStatement("run(x, batch)");
    if (lstm.returnSequences()) {
      m.addStatement("$N.resizeBackward()", field)
          .addStatement("$T.toTimeMajor(dOutput.data(), $N.dhSeq, batch, TIMESTEPS, UNITS)", Names.LAYOUT, field)
          .addStatement("$N.backward()", field);
    } else {
      m.addStatement("$N.resizeBackward()", field)
          .addStatement("$N.backward(dOutput.data())", field);
    }
    m.addStatement("$T<$T> w = into.weights()", Names.LIST, Names.TENSOR)
        .addStatement("$T.arraycopy($N.dKernel.data, 0, w.get(0).data(), 0, FEATURES * 4 * UNITS)", System.class, field)
        .addStatement("$T.arraycopy($N.dRecurrentKernel.data, 0, w.get(1).data(), 0, UNITS * 4 * UNITS)",
            System.class, field);
    if (lstm.useBias()) {
      m.addStatement("$T.arraycopy($N.dBias.data, 0, w.get(2).data(), 0, 4 * UNITS)", System.class, field);
    }
    return m.addStatement("$T.fromTimeMajor($N.dx.data, 0, into.input().data(), batch, TIMESTEPS, FEATURES)",
            Names.LAYOUT, field)
        .addStatement("return into")
        .build();
  }

  private MethodSpec newGradients() {
    CodeBlock weights = lstm.useBias()
        ? CodeBlock.of("$T.of($T.zeros(FEATURES, 4 * UNITS), $T.zeros(UNITS, 4 * UNITS), $T.zeros(4 * UNITS))",
            Names.LIST, Names.TENSOR, Names.TENSOR, Names.TENSOR)
        : CodeBlock.of("$T.of($T.zeros(FEATURES, 4 * UNITS), $T.zeros(UNITS, 4 * UNITS))",
            Names.LIST, Names.TENSOR, Names.TENSOR);
    return MethodSpec.methodBuilder("newGradients")
        .addModifiers(PRIVATE, STATIC)
        .returns(Names.GRADIENTS)
        .addParameter(TypeName.INT, "batch")
        .addStatement("return new $T($L, $T.zeros(batch, TIMESTEPS, FEATURES))", Names.GRADIENTS, weights, Names.TENSOR)
        .build();
  }

  private MethodSpec getWeights() {
    MethodSpec.Builder m = override("getWeights", ParameterizedTypeName.get(Names.LIST, Names.TENSOR))
        .addJavadoc("Copies of $L, as Keras {@code get_weights()}.\n", weightList());
    if (lstm.useBias()) {
      m.addStatement("return $T.of($T.wrap($N.kernel.data.clone(), FEATURES, 4 * UNITS), "
              + "$T.wrap($N.recurrentKernel.data.clone(), UNITS, 4 * UNITS), $T.wrap($N.bias.clone(), 4 * UNITS))",
          Names.LIST, Names.TENSOR, field, Names.TENSOR, field, Names.TENSOR, field);
    } else {
      m.addStatement("return $T.of($T.wrap($N.kernel.data.clone(), FEATURES, 4 * UNITS), "
              + "$T.wrap($N.recurrentKernel.data.clone(), UNITS, 4 * UNITS))",
          Names.LIST, Names.TENSOR, field, Names.TENSOR, field);
    }
    return m.build();
  }

  private MethodSpec setWeights() {
    MethodSpec.Builder m = override("setWeights", TypeName.VOID)
        .addJavadoc("Replaces $L, in the shapes of {@link #getWeights()}; checks all before writing any.\n",
            weightList())
        .addParameter(ParameterizedTypeName.get(Names.LIST, Names.TENSOR), "weights")
        .addStatement("checkWeights(weights, $S)", "setWeights")
        .addStatement("$T.arraycopy(weights.get(0).data(), 0, $N.kernel.data, 0, FEATURES * 4 * UNITS)",
            System.class, field)
        .addStatement("$T.arraycopy(weights.get(1).data(), 0, $N.recurrentKernel.data, 0, UNITS * 4 * UNITS)",
            System.class, field);
    if (lstm.useBias()) {
      m.addStatement("$T.arraycopy(weights.get(2).data(), 0, $N.bias, 0, 4 * UNITS)", System.class, field);
    }
    return m.build();
  }

  /** Written beside setWeights: the shape check shared by setWeights and gradients. */
  private MethodSpec checkWeights() {
    int n = lstm.useBias() ? 3 : 2;
    MethodSpec.Builder m = MethodSpec.methodBuilder("checkWeights")
        .addModifiers(PRIVATE, STATIC)
        .addParameter(ParameterizedTypeName.get(Names.LIST, Names.TENSOR), "weights")
        .addParameter(String.class, "what")
        .beginControlFlow("if (weights == null || weights.size() != $L)", n)
        .addStatement("throw new $T(what + $S + (weights == null ? $S : weights.size() + $S))",
            IllegalArgumentException.class, ": expected " + n + " tensors (" + weightList() + "), found ", "null",
            " tensors")
        .endControlFlow()
        .addStatement("$T.exactShape(weights.get(0), what, $S, FEATURES, 4 * UNITS)", Names.CHECKS,
            "[0] (" + lstm.name() + " kernel)")
        .addStatement("$T.exactShape(weights.get(1), what, $S, UNITS, 4 * UNITS)", Names.CHECKS,
            "[1] (" + lstm.name() + " recurrent_kernel)");
    if (lstm.useBias()) {
      m.addStatement("$T.exactShape(weights.get(2), what, $S, 4 * UNITS)", Names.CHECKS,
          "[2] (" + lstm.name() + " bias)");
    }
    return m.build();
  }

  private MethodSpec gateView(String method, String weight, String rows, String symbol, String shape) {
    String data = weight.equals("bias") ? field + ".bias" : field + "." + weight + ".data";
    return MethodSpec.methodBuilder(method)
        .addModifiers(PUBLIC)
        .returns(Names.TENSOR)
        .addParameter(Names.GATE, "gate")
        .addJavadoc("A copy of one gate's block of $L, shape $L: e.g. {@code $L(Gate.C)} for the cell candidate.\n",
            symbol, shape, method)
        .addStatement("return $T.gateBlock($L, $L, UNITS, gate)", Names.LAYOUT, data, rows)
        .build();
  }

  private String weightList() {
    return lstm.useBias() ? "kernel (" + lstm.features() + ", " + lstm.gates() + "), recurrent_kernel ("
        + lstm.units() + ", " + lstm.gates() + "), bias (" + lstm.gates() + ",)"
        : "kernel (" + lstm.features() + ", " + lstm.gates() + "), recurrent_kernel ("
        + lstm.units() + ", " + lstm.gates() + ")";
  }

  private String describeShapes() {
    return "(lstm: " + lstm.units() + " units, input (batch, " + lstm.timesteps() + ", " + lstm.features()
        + "), " + model.paramCount() + " parameters)";
  }

  static String paramFormula(LstmLayer l) {
    int f = l.features();
    int u = l.units();
    return l.useBias()
        ? "4*(F*U + U*U + U) = 4*(" + f + "*" + u + " + " + u + "*" + u + " + " + u + ")"
        : "4*(F*U + U*U) = 4*(" + f + "*" + u + " + " + u + "*" + u + ") (no bias)";
  }

  /** The size per sample of the largest work buffer: z and dz, (T, 4U), or h and c, (T+1, U), or x. */
  public static long valuesPerSample(LstmLayer l) {
    long t = l.timesteps();
    return Math.max(t * 4L * l.units(), Math.max((t + 1) * l.units(), t * l.features()));
  }

  private static FieldSpec publicConstant(String name, int value, String doc) {
    return FieldSpec.builder(TypeName.INT, name, PUBLIC, STATIC, FINAL)
        .addJavadoc("$L\n", doc)
        .initializer("$L", value)
        .build();
  }

  private static MethodSpec.Builder override(String name, TypeName returns) {
    return MethodSpec.methodBuilder(name).addAnnotation(Names.OVERRIDE).addModifiers(PUBLIC).returns(returns);
  }

  /** The layers of the model, for the processor's NOTE. */
  public List<LstmLayer> layers() {
    return model.layers();
  }
}
