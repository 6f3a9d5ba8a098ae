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
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.model.Plan;
import dev.unroll.processor.model.Summary;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code Unrolled<Type>} for a validated model: one nested class per layer (see
 * {@link LstmLayerWriter}, {@link DenseLayerWriter}) and the model class that connects them,
 * checks shapes at its entry points, and converts between user tensors and work buffers.
 *
 * <p>Reports no user errors: whatever reaches it has passed the validator, so a failure here is a
 * bug, which the processor reports as such.
 */
public final class ModelWriter {
  /** The seed of the no-argument constructor. */
  public static final long DEFAULT_SEED = 42L;

  private static final ParameterizedTypeName TENSOR_LIST = ParameterizedTypeName.get(Names.LIST, Names.TENSOR);

  private final ModelSpec model;
  private final Plan plan;
  private final Numeric num;
  private final boolean generatedAnnotation;
  private final ClassName self;
  private final List<Layer> layers;
  private final List<String> fields = new ArrayList<>();
  private final List<ClassName> types = new ArrayList<>();
  private final LstmLayer first;
  private final Layer last;
  private final int timesteps;

  /**
   * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} is available
   *     to the code being compiled
   */
  public ModelWriter(ModelSpec model, Plan plan, boolean generatedAnnotation) {
    this.model = model;
    this.plan = plan;
    this.num = Numeric.of(model.float32());
    this.generatedAnnotation = generatedAnnotation;
    this.self = ClassName.get(model.packageName(), model.generatedSimpleName());
    this.layers = model.layers();
    this.first = model.input();
    this.last = model.output();
    this.timesteps = first.timesteps();
    for (Layer layer : layers) {
      fields.add(Names.layerField(layer.name()));
      types.add(self.nestedClass(Names.layerClass(layer.name())));
    }
  }

  public JavaFile write() {
    ClassName source = ClassName.get(model.packageName(), model.simpleNames().get(0),
        model.simpleNames().subList(1, model.simpleNames().size()).toArray(new String[0]));

    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addModifiers(PUBLIC, FINAL)
        .addAnnotation(Names.UNROLL_GENERATED)
        .addJavadoc(classJavadoc());
    if (generatedAnnotation) {
      type.addAnnotation(AnnotationSpec.builder(Names.GENERATED)
          .addMember("value", "$S", "dev.unroll.processor.UnrollProcessor")
          .addMember("comments", "$S", "generated from " + model.sourceName() + ", do not edit")
          .build());
    }
    // a member type the class inherits (say Foo.Tensor) would hide an import of the same simple name
    type.alwaysQualify(model.inheritedTypeNames().toArray(new String[0]));
    if (model.deprecated()) {
      type.addAnnotation(Deprecated.class)
          .addAnnotation(AnnotationSpec.builder(SuppressWarnings.class).addMember("value", "$S", "deprecation").build());
    }
    if (model.serializable()) {
      type.addField(FieldSpec.builder(TypeName.LONG, "serialVersionUID", PRIVATE, STATIC, FINAL)
          .initializer("1L").build());
    }
    if (model.isInterface()) {
      type.addSuperinterface(source);
    } else {
      type.superclass(source);
    }
    type.addSuperinterface(Names.SEQUENCE_MODEL);

    type.addField(publicConstant("UNITS", first.units(),
        layers.size() == 1 ? "Units of the LSTM layer: the width of h and c." : "Units of the first LSTM layer."));
    type.addField(publicConstant("TIMESTEPS", timesteps, "Steps per input sequence."));
    type.addField(publicConstant("FEATURES", first.features(), "Values per step of the input: the width of x_t."));
    type.addField(publicConstant("OUTPUTS", last.outputWidth(), "Width of the model's output (its last axis)."));
    type.addField(FieldSpec.builder(TypeName.INT, "PARAM_COUNT", PUBLIC, STATIC, FINAL)
        .addJavadoc("Weights in all: $L.\n", paramFormula())
        .initializer("$L", model.paramCount()).build());
    type.addField(FieldSpec.builder(TypeName.LONG, "DEFAULT_SEED", PUBLIC, STATIC, FINAL)
        .addJavadoc("The seed of {@link #$L()}.\n", self.simpleName())
        .initializer("$LL", DEFAULT_SEED).build());
    type.addField(FieldSpec.builder(String.class, "SUMMARY", PRIVATE, STATIC, FINAL)
        .initializer("$S", Summary.of(model)).build());
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(Names.LIST, Names.LAYER_INFO), "LAYERS", PRIVATE,
            STATIC, FINAL)
        .initializer(layerInfos()).build());
    type.addField(FieldSpec.builder(TypeName.LONG, "VALUES_PER_SAMPLE", PRIVATE, STATIC, FINAL)
        .addJavadoc("The largest work buffer's size per sample, to check that a batch fits in Java arrays.\n")
        .initializer("$LL", valuesPerSample(model)).build());
    for (int i = 0; i < layers.size(); i++) {
      type.addField(FieldSpec.builder(types.get(i), fields.get(i), PRIVATE, FINAL)
          .initializer("new $T()", types.get(i)).build());
    }
    type.addField(FieldSpec.builder(TypeName.INT, "keptBatch", PRIVATE)
        .addJavadoc("The batch size of the forward pass the buffers hold, for {@link #backward(Tensor, Gradients)};\n")
        .addJavadoc("0 when none (before the first call, and after setWeights).\n")
        .build());

    type.addMethod(MethodSpec.constructorBuilder()
        .addModifiers(PUBLIC)
        .addJavadoc("A model initialised as Keras initialises one, from {@link #DEFAULT_SEED}: reproducible.\n")
        .addStatement("this(DEFAULT_SEED)")
        .build());
    MethodSpec.Builder seeded = MethodSpec.constructorBuilder()
        .addModifiers(PUBLIC)
        .addJavadoc("A model initialised as Keras initialises one (glorot_uniform kernels, orthogonal recurrent\n")
        .addJavadoc("kernels, zero biases with the LSTM forget blocks at 1), from {@code seed}: same seed, same weights.\n")
        .addParameter(TypeName.LONG, "seed")
        .addStatement("$T rng = new $T(seed)", Names.SPLITTABLE_RANDOM, Names.SPLITTABLE_RANDOM);
    for (String f : fields) {
      seeded.addStatement("$N.initialize(rng)", f);
    }
    type.addMethod(seeded.build());

    type.addMethod(override("paramCount", TypeName.INT).addStatement("return PARAM_COUNT").build());
    type.addMethod(override("summary", ClassName.get(String.class)).addStatement("return SUMMARY").build());
    type.addMethod(override("layers", ParameterizedTypeName.get(Names.LIST, Names.LAYER_INFO))
        .addStatement("return LAYERS").build());
    type.addMethod(override("inputShape", ArrayTypeName.of(TypeName.INT))
        .addStatement("return new int[] {TIMESTEPS, FEATURES}").build());
    type.addMethod(override("outputShape", ArrayTypeName.of(TypeName.INT))
        .addStatement(last.returnsSequences() ? "return new int[] {TIMESTEPS, OUTPUTS}" : "return new int[] {OUTPUTS}")
        .build());
    type.addMethod(predict());
    type.addMethod(gradients());
    type.addMethod(backwardKept());
    if (last instanceof LstmLayer && ((LstmLayer) last).returnState()) {
      type.addMethod(predictWithState());
      type.addMethod(gradientsWithState());
    }
    type.addMethod(checkInitialState());
    type.addMethod(forward());
    type.addMethod(backward());
    type.addMethod(newGradients());
    type.addMethod(getWeights());
    type.addMethod(setWeights());
    type.addMethod(checkWeights());
    type.addMethod(gateView("kernel", "kernel", "FEATURES", "W", "(" + first.features() + ", " + first.units() + ")"));
    type.addMethod(gateView("recurrentKernel", "recurrentKernel", "UNITS", "U",
        "(" + first.units() + ", " + first.units() + ")"));
    if (first.useBias()) {
      type.addMethod(gateView("bias", "bias", "0", "b", "(" + first.units() + ",)"));
    }
    type.addMethod(stepper());
    type.addMethod(MethodSpec.methodBuilder("toString")
        .addAnnotation(Names.OVERRIDE)
        .addModifiers(PUBLIC)
        .returns(String.class)
        .addStatement("return $S", self.simpleName() + " " + describe())
        .build());
    for (Layer layer : layers) {
      if (layer instanceof LstmLayer) {
        type.addType(new LstmLayerWriter((LstmLayer) layer, plan.of((LstmLayer) layer), num).write());
      } else {
        type.addType(new DenseLayerWriter((DenseLayer) layer, num).write());
      }
    }
    type.addType(stepperClass());

    return JavaFile.builder(model.packageName(), type.build())
        .addFileComment("Generated by Unroll from $L. Do not edit: change the annotations and recompile.",
            model.sourceName())
        .skipJavaLangImports(true)
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Javadoc

  private CodeBlock classJavadoc() {
    LstmLayer l = first;
    String rec = Names.math(l.recurrentActivation());
    String act = Names.math(l.activation());
    int u = l.units();
    CodeBlock.Builder doc = CodeBlock.builder();
    if (layers.size() == 1) {
      doc.add("An LSTM written out by Unroll for {@link $L}: $L $L, sequences of $L $L, each x_t a vector of\n",
          model.sourceName(), u, LstmLayerWriter.plural(u, "unit"), l.timesteps(), LstmLayerWriter.plural(l.timesteps(), "timestep"));
      doc.add("$L $L. Keras semantics, weights and defaults; computes in $L.\n", l.features(),
          LstmLayerWriter.plural(l.features(), "feature"), num.name());
    } else {
      doc.add("A stack of $L layers written out by Unroll for {@link $L}: sequences of $L $L, each x_t a\n",
          layers.size(), model.sourceName(), l.timesteps(), LstmLayerWriter.plural(l.timesteps(), "timestep"));
      doc.add("vector of $L $L. Keras semantics, weights and defaults; computes in $L.\n", l.features(),
          LstmLayerWriter.plural(l.features(), "feature"), num.name());
    }
    doc.add("\n<pre>\n");
    doc.add(String.format("%-8s %-40s %s%n", "input", "x", shape("batch", l.timesteps(), l.features())));
    for (Layer layer : layers) {
      String weights;
      if (layer instanceof LstmLayer) {
        LstmLayer m = (LstmLayer) layer;
        weights = "LSTM  W (" + m.features() + ", " + m.gates() + ")  U (" + m.units() + ", " + m.gates() + ")"
            + (m.useBias() ? "  b (" + m.gates() + ",)" : "");
      } else {
        DenseLayer d = (DenseLayer) layer;
        weights = "Dense kernel (" + d.inputs() + ", " + d.units() + ")" + (d.useBias() ? "  bias (" + d.units() + ",)" : "");
      }
      int[] out = layer.outputShape();
      String outShape = out.length == 2 ? shape("batch", out[0], out[1]) : shape("batch", out[0]);
      doc.add(String.format("%-8s %-40s %s  %d params%n", layer.name(), weights, outShape, layer.paramCount()));
    }
    doc.add("</pre>\n");
    doc.add("\n<p>Each step t of layer {@code $L}, for each sample ({@code @} is the matrix product, {@code *}\n", l.name());
    doc.add("elementwise):\n");
    doc.add("<pre>\n");
    doc.add("z_t = x_t @ W + h_{t-1} @ U$L    (1, $L) @ ($L, $L) + (1, $L) @ ($L, $L)$L -> (1, $L)\n",
        l.useBias() ? " + b" : "", l.features(), l.features(), l.gates(), u, u, l.gates(),
        l.useBias() ? " + (" + l.gates() + ",)" : "", l.gates());
    doc.add("i   = $L(z_t[0:$L])    input gate\n", rec, u);
    doc.add("f   = $L(z_t[$L:$L])    forget gate\n", rec, u, 2 * u);
    doc.add("c~  = $L(z_t[$L:$L])    cell candidate\n", act, 2 * u, 3 * u);
    doc.add("o   = $L(z_t[$L:$L])    output gate\n", rec, 3 * u, 4 * u);
    doc.add("c_t = f * c_{t-1} + i * c~\n");
    doc.add("h_t = o * $L(c_t)\n", act);
    doc.add("</pre>\n");
    doc.add("h_{-1} = c_{-1} = 0 unless an initial state is given$L. The forward pass is in\n",
        l.goBackwards() ? "; the steps run from x_{T-1} down to x_0 (goBackwards)" : "");
    doc.add("{@code $L.forward} and {@code step}, backpropagation through time in {@code backward} and\n",
        Names.layerClass(l.name()));
    doc.add("{@code backwardStep}.\n");
    doc.add("\n<p>Not thread-safe: an instance keeps work buffers for the last batch size it saw. Use one\n");
    doc.add("instance per thread (copy weights with {@link #getWeights()} and {@link #setWeights}), and a\n");
    doc.add("{@link #stepper()} per stream.\n");
    return doc.build();
  }

  // ---------------------------------------------------------------------------------------------
  // Entry points

  private MethodSpec predict() {
    MethodSpec.Builder m = override("predict", Names.TENSOR)
        .addParameter(Names.TENSOR, "x")
        .addParameter(TENSOR_LIST, "initialState")
        .addParameter(Names.TENSOR, "out")
        .addStatement("int batch = $T.batchOf(x, $S, TIMESTEPS, FEATURES)", Names.CHECKS, "predict: x")
        .addStatement("checkInitialState(initialState, batch, $S)", "predict: initialState")
        .beginControlFlow("if (out == null)")
        .addStatement("out = $T.zeros($L)", Names.TENSOR, outputDims())
        .nextControlFlow("else")
        .addStatement("$T.batchShape(out, $S, batch, $L)", Names.CHECKS, "predict: out", outputTrailing())
        .endControlFlow()
        .addStatement("forward(x, initialState, batch)")
        .addCode(copyOutput("out.data()"));
    return m.addStatement("return out").build();
  }

  private CodeBlock copyOutput(String dst) {
    int i = layers.size() - 1;
    String f = fields.get(i);
    if (last instanceof LstmLayer) {
      LstmLayer l = (LstmLayer) last;
      if (l.returnSequences()) {
        return CodeBlock.builder()
            .add("// the output is h_0 .. h_$L: blocks 1 .. $L of h, back to (batch, $L, $L)\n", timesteps - 1,
                timesteps, timesteps, l.units())
            .addStatement("$T.fromTimeMajor($N.h, batch * $L, $L, batch, TIMESTEPS, $L, false)", Names.LAYOUT, f,
                l.units(), dst, l.units())
            .build();
      }
      return CodeBlock.builder()
          .add("// the output is h_$L, the last block of h: (batch, $L)\n", timesteps - 1, l.units())
          .addStatement("$T.copy($N.h, TIMESTEPS * batch * $L, $L, 0, batch * $L)", Names.LAYOUT, f, l.units(), dst,
              l.units())
          .build();
    }
    DenseLayer d = (DenseLayer) last;
    if (d.perTimestep()) {
      return CodeBlock.builder()
          .add("// the output is y of every step, back to (batch, $L, $L)\n", timesteps, d.units())
          .addStatement("$T.fromTimeMajor($N.y.data, 0, $L, batch, TIMESTEPS, $L, false)", Names.LAYOUT, f, dst,
              d.units())
          .build();
    }
    return CodeBlock.builder()
        .addStatement("$T.copy($N.y.data, 0, $L, 0, batch * $L)", Names.LAYOUT, f, dst, d.units())
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
        .addStatement("$T.batchShape(dOutput, $S, batch, $L)", Names.CHECKS, "gradients: dOutput", outputTrailing())
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
        .addStatement("$T.batchShape(dOutput, $S, batch, $L)", Names.CHECKS, "backward: dOutput", outputTrailing())
        .addStatement("into = checkGradients(into, batch)")
        .addStatement("backward(dOutput, null, null, into, batch)")
        .addStatement("return into")
        .build();
  }

  private MethodSpec predictWithState() {
    LstmLayer l = (LstmLayer) last;
    String f = fields.get(layers.size() - 1);
    return MethodSpec.methodBuilder("predictWithState")
        .addModifiers(PUBLIC)
        .returns(TENSOR_LIST)
        .addJavadoc("Keras {@code return_state}: the output, h_T ($L, $L) and c_T (batch, $L), in that order.\n",
            "batch", l.units(), l.units())
        .addJavadoc("\n@param initialState [h0, c0], each (batch, $L), or null for zeros. Not modified.\n", l.units())
        .addParameter(Names.TENSOR, "x")
        .addParameter(TENSOR_LIST, "initialState")
        .addStatement("$T out = predict(x, initialState, null)", Names.TENSOR)
        .addStatement("int batch = out.dim(0)")
        .addStatement("$T h = $T.zeros(batch, $L)", Names.TENSOR, Names.TENSOR, l.units())
        .addStatement("$T c = $T.zeros(batch, $L)", Names.TENSOR, Names.TENSOR, l.units())
        .addStatement("$T.copy($N.h, TIMESTEPS * batch * $L, h.data(), 0, batch * $L)", Names.LAYOUT, f,
            l.units(), l.units())
        .addStatement("$T.copy($N.c, TIMESTEPS * batch * $L, c.data(), 0, batch * $L)", Names.LAYOUT, f,
            l.units(), l.units())
        .addStatement("return $T.of(out, h, c)", Names.LIST)
        .build();
  }

  private MethodSpec gradientsWithState() {
    LstmLayer l = (LstmLayer) last;
    return MethodSpec.methodBuilder("gradientsWithState")
        .addModifiers(PUBLIC)
        .returns(Names.GRADIENTS)
        .addJavadoc("Gradients given the gradients of all three outputs of {@link #predictWithState}:\n")
        .addJavadoc("{@code dOutputs} = [dOutput, dh_T (batch, $L), dc_T (batch, $L)].\n", l.units(), l.units())
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
            outputTrailing())
        .addStatement("$T.batchShape(dOutputs.get(1), $S, batch, $L)", Names.CHECKS, "gradientsWithState: dOutputs[1] (dh_T)",
            l.units())
        .addStatement("$T.batchShape(dOutputs.get(2), $S, batch, $L)", Names.CHECKS, "gradientsWithState: dOutputs[2] (dc_T)",
            l.units())
        .addStatement("into = checkGradients(into, batch)")
        .addStatement("forward(x, initialState, batch)")
        .addStatement("backward(dOutputs.get(0), dOutputs.get(1), dOutputs.get(2), into, batch)")
        .addStatement("return into")
        .build();
  }

  private MethodSpec checkInitialState() {
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
            ": expected [h0, c0] for layer " + first.name() + ", found ", " tensors")
        .endControlFlow()
        .addStatement("$T.batchShape(initialState.get(0), what, $S, batch, $L)", Names.CHECKS, "[0] (h0)", first.units())
        .addStatement("$T.batchShape(initialState.get(1), what, $S, batch, $L)", Names.CHECKS, "[1] (c0)", first.units())
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Forward and backward through the stack

  private MethodSpec forward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward")
        .addModifiers(PRIVATE)
        .addJavadoc("The forward pass of checked inputs through every layer.\n")
        .addParameter(Names.TENSOR, "x")
        .addParameter(TENSOR_LIST, "initialState")
        .addParameter(TypeName.INT, "batch")
        .addStatement("$T.batchFits(batch, VALUES_PER_SAMPLE, $S)", Names.CHECKS, self.simpleName());
    for (String f : fields) {
      m.addStatement("$N.resize(batch)", f);
    }
    String f0 = fields.get(0);
    m.addComment("layer $L: x (batch, $L, $L) into its time-major buffer$L", first.name(), timesteps, first.features(),
            first.goBackwards() ? ", last step first (goBackwards)" : "")
        .addStatement("$T.toTimeMajor(x.data(), $N.x.data, batch, TIMESTEPS, FEATURES, $L)", Names.LAYOUT, f0,
            first.goBackwards())
        .addStatement("$N.initialState(initialState == null ? null : initialState.get(0).data(), "
            + "initialState == null ? null : initialState.get(1).data())", f0)
        .addStatement("$N.forward()", f0);
    for (int i = 1; i < layers.size(); i++) {
      m.addCode(connectForward(i));
      if (layers.get(i) instanceof LstmLayer) {
        m.addStatement("$N.initialState(null, null)", fields.get(i));
      }
      m.addStatement("$N.forward()", fields.get(i));
    }
    return m.addStatement("keptBatch = batch").build();
  }

  /** Copies the output of layer i-1 into the input buffer of layer i. */
  private CodeBlock connectForward(int i) {
    Layer prev = layers.get(i - 1);
    Layer cur = layers.get(i);
    String p = fields.get(i - 1);
    String c = fields.get(i);
    int width = prev.outputWidth();
    CodeBlock.Builder code = CodeBlock.builder();
    if (prev instanceof LstmLayer && prev.returnsSequences()) {
      boolean reverse = cur instanceof LstmLayer && ((LstmLayer) cur).goBackwards();
      code.add("// layer $L: its input is the sequence h_0 .. h_$L of $L$L\n", cur.name(), timesteps - 1, prev.name(),
              reverse ? ", last step first (goBackwards)" : "")
          .addStatement("$T.copySteps($N.h, batch * $L, $N.x.data, 0, batch, TIMESTEPS, $L, $L)", Names.LAYOUT, p, width,
              c, width, reverse);
    } else if (prev instanceof LstmLayer) {
      code.add("// layer $L: its input is h_$L of $L, (batch, $L)\n", cur.name(), timesteps - 1, prev.name(), width)
          .addStatement("$T.copy($N.h, TIMESTEPS * batch * $L, $N.x.data, 0, batch * $L)", Names.LAYOUT, p, width, c,
              width);
    } else {
      code.add("// layer $L: its input is the output of $L\n", cur.name(), prev.name())
          .addStatement("$T.copy($N.y.data, 0, $N.x.data, 0, $N.rows * $L)", Names.LAYOUT, p, c, p, width);
    }
    return code.build();
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
    int n = layers.size();
    String fl = fields.get(n - 1);
    m.addComment("the gradient from above, into layer $L", last.name());
    if (last instanceof LstmLayer) {
      LstmLayer l = (LstmLayer) last;
      m.addStatement("$N.startBackward()", fl);
      if (l.returnSequences()) {
        m.addStatement("$T.toTimeMajor(dOutput.data(), $N.dhSeq, batch, TIMESTEPS, $L, false)", Names.LAYOUT, fl,
            l.units());
      } else {
        m.addStatement("$T.copy(dOutput.data(), 0, $N.dh, 0, batch * $L)", Names.LAYOUT, fl, l.units());
      }
      if (l.returnState()) {
        m.beginControlFlow("if (dhLast != null)")
            .addComment("return_state: h_T and c_T are outputs too")
            .addStatement("$T.add(dhLast.data(), 0, $N.dh, 0, batch * $L)", Names.LAYOUT, fl, l.units())
            .addStatement("$T.copy(dcLast.data(), 0, $N.dc, 0, batch * $L)", Names.LAYOUT, fl, l.units())
            .endControlFlow();
      }
    } else {
      DenseLayer d = (DenseLayer) last;
      m.addStatement("$N.resizeBackward()", fl);
      if (d.perTimestep()) {
        m.addStatement("$T.toTimeMajor(dOutput.data(), $N.dy.data, batch, TIMESTEPS, $L, false)", Names.LAYOUT, fl,
            d.units());
      } else {
        m.addStatement("$T.copy(dOutput.data(), 0, $N.dy.data, 0, batch * $L)", Names.LAYOUT, fl, d.units());
      }
    }
    m.addStatement("$N.backward()", fl);
    for (int i = n - 1; i >= 1; i--) {
      Layer prev = layers.get(i - 1);
      Layer cur = layers.get(i);
      String p = fields.get(i - 1);
      String c = fields.get(i);
      int width = prev.outputWidth();
      m.addComment("layer $L: dL/d(its output) is dL/dx of $L", prev.name(), cur.name());
      if (prev instanceof LstmLayer) {
        m.addStatement("$N.startBackward()", p);
        if (prev.returnsSequences()) {
          boolean reverse = cur instanceof LstmLayer && ((LstmLayer) cur).goBackwards();
          m.addStatement("$T.copySteps($N.dx.data, 0, $N.dhSeq, 0, batch, TIMESTEPS, $L, $L)", Names.LAYOUT, c, p,
              width, reverse);
        } else {
          m.addStatement("$T.copy($N.dx.data, 0, $N.dh, 0, batch * $L)", Names.LAYOUT, c, p, width);
        }
      } else {
        m.addStatement("$N.resizeBackward()", p)
            .addStatement("$T.copy($N.dx.data, 0, $N.dy.data, 0, $N.rows * $L)", Names.LAYOUT, c, p, p, width);
      }
      m.addStatement("$N.backward()", p);
    }
    m.addComment("the gradients, in the order of getWeights()")
        .addStatement("$T<$T> w = into.weights()", Names.LIST, Names.TENSOR);
    int k = 0;
    for (int i = 0; i < n; i++) {
      Layer layer = layers.get(i);
      String f = fields.get(i);
      if (layer instanceof LstmLayer) {
        LstmLayer l = (LstmLayer) layer;
        m.addStatement("$T.copy($N.dKernel.data, 0, w.get($L).data(), 0, $L)", Names.LAYOUT, f, k++,
            l.features() * l.gates());
        m.addStatement("$T.copy($N.dRecurrentKernel.data, 0, w.get($L).data(), 0, $L)", Names.LAYOUT, f, k++,
            l.units() * l.gates());
        if (l.useBias()) {
          m.addStatement("$T.copy($N.dBias.data, 0, w.get($L).data(), 0, $L)", Names.LAYOUT, f, k++, l.gates());
        }
      } else {
        DenseLayer d = (DenseLayer) layer;
        m.addStatement("$T.copy($N.dKernel.data, 0, w.get($L).data(), 0, $L)", Names.LAYOUT, f, k++,
            d.inputs() * d.units());
        if (d.useBias()) {
          m.addStatement("$T.copy($N.dBias.data, 0, w.get($L).data(), 0, $L)", Names.LAYOUT, f, k++, d.units());
        }
      }
    }
    String f0 = fields.get(0);
    return m.addComment("dL/dx, back to (batch, $L, $L)$L", timesteps, first.features(),
            first.goBackwards() ? " in input order" : "")
        .addStatement("$T.fromTimeMajor($N.dx.data, 0, into.input().data(), batch, TIMESTEPS, FEATURES, $L)",
            Names.LAYOUT, f0, first.goBackwards())
        .addComment("dL/dh_{-1}, dL/dc_{-1}: the gradients of layer $L's initial state", first.name())
        .addStatement("$T.copy($N.dh, 0, into.initialState().get(0).data(), 0, batch * $L)", Names.LAYOUT, f0,
            first.units())
        .addStatement("$T.copy($N.dc, 0, into.initialState().get(1).data(), 0, batch * $L)", Names.LAYOUT, f0,
            first.units())
        .build();
  }

  private MethodSpec newGradients() {
    CodeBlock.Builder list = CodeBlock.builder().add("$T.of(", Names.LIST);
    List<String> shapes = weightShapes();
    for (int i = 0; i < shapes.size(); i++) {
      list.add(i > 0 ? ", " : "").add("$T.zeros($L)", Names.TENSOR, shapes.get(i));
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
            Names.GRADIENTS, list.build(), Names.TENSOR, Names.LIST, Names.TENSOR, first.units(), Names.TENSOR,
            first.units())
        .endControlFlow()
        .addStatement("checkWeights(into.weights(), $S)", "gradients: into.weights()")
        .addStatement("$T.batchShape(into.input(), $S, batch, TIMESTEPS, FEATURES)", Names.CHECKS,
            "gradients: into.input()")
        .beginControlFlow("if (into.initialState().size() != 2)")
        .addStatement("throw new $T($S + into.initialState().size())", IllegalArgumentException.class,
            "gradients: into.initialState() must hold 2 tensors (dh0, dc0), found ")
        .endControlFlow()
        .addStatement("$T.batchShape(into.initialState().get(0), $S, batch, $L)", Names.CHECKS,
            "gradients: into.initialState()[0]", first.units())
        .addStatement("$T.batchShape(into.initialState().get(1), $S, batch, $L)", Names.CHECKS,
            "gradients: into.initialState()[1]", first.units())
        .addStatement("return into")
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Weights

  /** The shapes of getWeights(), as argument lists: {@code 3, 16}. */
  private List<String> weightShapes() {
    List<String> shapes = new ArrayList<>();
    for (Layer layer : layers) {
      if (layer instanceof LstmLayer) {
        LstmLayer l = (LstmLayer) layer;
        shapes.add(l.features() + ", " + l.gates());
        shapes.add(l.units() + ", " + l.gates());
        if (l.useBias()) {
          shapes.add(Integer.toString(l.gates()));
        }
      } else {
        DenseLayer d = (DenseLayer) layer;
        shapes.add(d.inputs() + ", " + d.units());
        if (d.useBias()) {
          shapes.add(Integer.toString(d.units()));
        }
      }
    }
    return shapes;
  }

  /** The names of getWeights(), Keras style: {@code lstm kernel}. */
  private List<String> weightNames() {
    List<String> names = new ArrayList<>();
    for (Layer layer : layers) {
      names.add(layer.name() + " kernel");
      if (layer instanceof LstmLayer) {
        names.add(layer.name() + " recurrent_kernel");
        if (((LstmLayer) layer).useBias()) {
          names.add(layer.name() + " bias");
        }
      } else if (((DenseLayer) layer).useBias()) {
        names.add(layer.name() + " bias");
      }
    }
    return names;
  }

  /** The weight arrays, in getWeights() order: {@code lstm.kernel.data}. */
  private List<String> weightArrays() {
    List<String> arrays = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      String f = fields.get(i);
      arrays.add(f + ".kernel.data");
      if (layer instanceof LstmLayer) {
        arrays.add(f + ".recurrentKernel.data");
        if (((LstmLayer) layer).useBias()) {
          arrays.add(f + ".bias");
        }
      } else if (((DenseLayer) layer).useBias()) {
        arrays.add(f + ".bias");
      }
    }
    return arrays;
  }

  private String weightList() {
    List<String> names = weightNames();
    List<String> shapes = weightShapes();
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      parts.add(names.get(i) + " (" + shapes.get(i) + (shapes.get(i).contains(",") ? ")" : ",)"));
    }
    return String.join(", ", parts);
  }

  private MethodSpec getWeights() {
    List<String> shapes = weightShapes();
    List<String> arrays = weightArrays();
    CodeBlock.Builder list = CodeBlock.builder().add("return $T.of(", Names.LIST);
    for (int i = 0; i < shapes.size(); i++) {
      list.add(i > 0 ? ",\n    " : "\n    ").add("$T.tensor($L, $L)", Names.LAYOUT, arrays.get(i), shapes.get(i));
    }
    return override("getWeights", TENSOR_LIST)
        .addJavadoc("Copies of the weights, as Keras {@code model.get_weights()}: $L.\n", weightList())
        .addStatement(list.add(")").build())
        .build();
  }

  private MethodSpec setWeights() {
    MethodSpec.Builder m = override("setWeights", TypeName.VOID)
        .addJavadoc("Replaces the weights, given as {@link #getWeights()} returns them; checks every shape before\n")
        .addJavadoc("writing any, so that on error the model is unchanged.\n")
        .addParameter(TENSOR_LIST, "weights")
        .addStatement("checkWeights(weights, $S)", "setWeights")
        .addComment("the buffers no longer hold a forward pass of these weights")
        .addStatement("keptBatch = 0");
    List<String> arrays = weightArrays();
    for (int i = 0; i < arrays.size(); i++) {
      m.addStatement("$T.copy(weights.get($L).data(), 0, $L, 0, weights.get($L).size())", Names.LAYOUT, i,
          arrays.get(i), i);
    }
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) instanceof LstmLayer) {
        m.addStatement("$N.weightsChanged()", fields.get(i));
      }
    }
    return m.build();
  }

  private MethodSpec checkWeights() {
    List<String> names = weightNames();
    List<String> shapes = weightShapes();
    MethodSpec.Builder m = MethodSpec.methodBuilder("checkWeights")
        .addModifiers(PRIVATE, STATIC)
        .addParameter(TENSOR_LIST, "weights")
        .addParameter(String.class, "what")
        .beginControlFlow("if (weights == null || weights.size() != $L)", names.size())
        .addStatement("throw new $T(what + $S + (weights == null ? $S : weights.size() + $S))",
            IllegalArgumentException.class, ": expected " + names.size() + " tensors (" + weightList() + "), found ",
            "null", " tensors")
        .endControlFlow();
    for (int i = 0; i < names.size(); i++) {
      m.addStatement("$T.exactShape(weights.get($L), what, $S, $L)", Names.CHECKS, i,
          "[" + i + "] (" + names.get(i) + ")", shapes.get(i));
    }
    return m.build();
  }

  private MethodSpec gateView(String method, String weight, String rows, String symbol, String shape) {
    String f = fields.get(0);
    String data = weight.equals("bias") ? f + ".bias" : f + "." + weight + ".data";
    return MethodSpec.methodBuilder(method)
        .addModifiers(PUBLIC)
        .returns(Names.TENSOR)
        .addParameter(Names.GATE, "gate")
        .addJavadoc("A copy of one gate's block of $L$L, shape $L: e.g. {@code $L(Gate.C)} for the cell candidate.\n",
            symbol, layers.size() > 1 ? " of layer " + first.name() : "", shape, method)
        .addStatement("return $T.gateBlock($L, $L, $L, gate)", Names.LAYOUT, data, rows.equals("0") ? "0" : rows,
            first.units())
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Streaming

  private MethodSpec stepper() {
    MethodSpec.Builder m = override("stepper", Names.STEPPER)
        .addJavadoc("A new stepper over this model's weights, from a zero state. See {@link $T}.\n", Names.STEPPER);
    for (Layer layer : layers) {
      if (layer instanceof LstmLayer && ((LstmLayer) layer).goBackwards()) {
        return m.addStatement("throw new $T($S)", UnsupportedOperationException.class,
                "layer " + layer.name() + " processes each sequence from its last step (goBackwards = true), "
                    + "so the model cannot be stepped forward one timestep at a time; use predict on whole sequences")
            .build();
      }
    }
    return m.addStatement("return new ModelStepper(this)").build();
  }

  private TypeSpec stepperClass() {
    TypeSpec.Builder type = TypeSpec.classBuilder("ModelStepper")
        .addModifiers(PRIVATE, STATIC, FINAL)
        .addSuperinterface(Names.STEPPER)
        .addJavadoc("One stream: h and c of every LSTM layer, kept between steps; the weights are the model's.\n");
    MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addParameter(self, "model");
    type.addField(num.array(), "x", PRIVATE, FINAL);
    ctor.addStatement("x = new $T[FEATURES]", num.scalar());
    MethodSpec.Builder step = MethodSpec.methodBuilder("step")
        .addAnnotation(Names.OVERRIDE)
        .addModifiers(PUBLIC)
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "input")
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "result")
        .beginControlFlow("if (input.length != FEATURES || result.length != OUTPUTS)")
        .addStatement("throw new $T($S + input.length + $S + result.length)", IllegalArgumentException.class,
            "step: expected x of length " + first.features() + " and an output of length " + last.outputWidth()
                + ", found ", " and ")
        .endControlFlow()
        .addStatement("$T.copy(input, 0, x, 0, FEATURES)", Names.LAYOUT);
    MethodSpec.Builder reset = MethodSpec.methodBuilder("reset")
        .addAnnotation(Names.OVERRIDE)
        .addModifiers(PUBLIC);
    String in = "x";
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      String f = fields.get(i);
      type.addField(types.get(i), f, PRIVATE, FINAL);
      ctor.addStatement("this.$N = model.$N", f, f);
      if (layer instanceof LstmLayer) {
        LstmLayer l = (LstmLayer) layer;
        for (String s : new String[] {"H", "C", "Z"}) {
          type.addField(num.array(), f + s, PRIVATE, FINAL);
          ctor.addStatement("$N = new $T[$L]", f + s, num.scalar(), s.equals("Z") ? l.gates() : l.units());
        }
        step.addStatement("$N.stepOne($N, $N, $N, $N)", f, in, f + "H", f + "C", f + "Z");
        reset.addStatement("$T.fill($N, $L)", Names.ARRAYS, f + "H", num.literal(0))
            .addStatement("$T.fill($N, $L)", Names.ARRAYS, f + "C", num.literal(0));
        in = f + "H";
      } else {
        type.addField(num.array(), f + "Y", PRIVATE, FINAL);
        ctor.addStatement("$N = new $T[$L]", f + "Y", num.scalar(), layer.outputWidth());
        step.addStatement("$N.applyOne($N, $N)", f, in, f + "Y");
        in = f + "Y";
      }
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
    return type.build();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private CodeBlock layerInfos() {
    CodeBlock.Builder b = CodeBlock.builder().add("$T.of(", Names.LIST);
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      b.add(i > 0 ? ",\n    " : "\n    ");
      if (layer instanceof LstmLayer) {
        LstmLayer l = (LstmLayer) layer;
        b.add("new $T($S, $S, $L, $L, $L, $T.$L, $T.$L, $L, $L, $L, $L)", Names.LAYER_INFO, l.name(), "LSTM",
            l.units(), l.features(), l.timesteps(), Names.ACTIVATION, l.activation(), Names.ACTIVATION,
            l.recurrentActivation(), l.useBias(), l.returnSequences(), l.returnState(), l.goBackwards());
      } else {
        DenseLayer d = (DenseLayer) layer;
        b.add("new $T($S, $S, $L, $L, $L, $T.$L, null, $L, $L, false, false)", Names.LAYER_INFO, d.name(), "Dense",
            d.units(), d.inputs(), d.timesteps(), Names.ACTIVATION, d.activation(), d.useBias(), d.perTimestep());
      }
    }
    return b.add(")").build();
  }

  /** Arguments of Tensor.zeros for the output of a batch: {@code batch, TIMESTEPS, OUTPUTS}. */
  private String outputDims() {
    return "batch, " + outputTrailing();
  }

  private String outputTrailing() {
    return last.returnsSequences() ? "TIMESTEPS, OUTPUTS" : "OUTPUTS";
  }

  private String describe() {
    List<String> parts = new ArrayList<>();
    for (Layer layer : layers) {
      parts.add(layer.name() + " " + layer.outputWidth());
    }
    return "(" + String.join(" -> ", parts) + "; input (batch, " + timesteps + ", " + first.features() + "), "
        + model.paramCount() + " parameters" + (model.float32() ? ", float32" : "") + ")";
  }

  private String paramFormula() {
    List<String> parts = new ArrayList<>();
    for (Layer layer : layers) {
      if (layer instanceof LstmLayer) {
        parts.add(paramFormula((LstmLayer) layer));
      } else {
        DenseLayer d = (DenseLayer) layer;
        parts.add(d.useBias() ? "(" + d.inputs() + "*" + d.units() + " + " + d.units() + ")"
            : "(" + d.inputs() + "*" + d.units() + ")");
      }
    }
    return String.join(" + ", parts);
  }

  static String paramFormula(LstmLayer l) {
    int f = l.features();
    int u = l.units();
    return l.useBias()
        ? "4*(F*U + U*U + U) = 4*(" + f + "*" + u + " + " + u + "*" + u + " + " + u + ")"
        : "4*(F*U + U*U) = 4*(" + f + "*" + u + " + " + u + "*" + u + ") (no bias)";
  }

  /** The size per sample of the largest work buffer of any layer. */
  public static long valuesPerSample(ModelSpec model) {
    long max = 1;
    for (Layer layer : model.layers()) {
      max = Math.max(max, valuesPerSample(layer));
    }
    return max;
  }

  /** The size per sample of the largest work buffer of a layer: z and dz, (T, 4U), h and c, (T+1, U), or x. */
  public static long valuesPerSample(Layer layer) {
    if (layer instanceof LstmLayer) {
      LstmLayer l = (LstmLayer) layer;
      long t = l.timesteps();
      return Math.max(t * 4L * l.units(), Math.max((t + 1) * l.units(), t * l.features()));
    }
    DenseLayer d = (DenseLayer) layer;
    return Math.max(1, d.timesteps()) * (long) Math.max(d.inputs(), d.units());
  }

  private static String shape(String first, int... dims) {
    StringBuilder sb = new StringBuilder("(").append(first);
    for (int d : dims) {
      sb.append(", ").append(d);
    }
    return sb.append(')').toString();
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
}
