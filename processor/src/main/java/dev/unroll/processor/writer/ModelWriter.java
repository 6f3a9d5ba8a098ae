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
import dev.unroll.processor.model.BidirectionalLayer;
import dev.unroll.processor.model.GruLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.model.Plan;
import dev.unroll.processor.model.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.unroll.processor.writer.ModelContext.override;

/**
 * Writes {@code Unrolled<Type>} for a validated model: the class skeleton, its constants and
 * Javadoc, and the parts written by the others: one nested class per layer ({@link LayerWriter}),
 * the entry points ({@link EntryPointWriter}), the stack's wiring ({@link StackWriter}), the
 * weights ({@link WeightsWriter}) and streaming ({@link StepperWriter}).
 *
 * <p>Reports no user errors: whatever reaches it has passed the validator, so a failure here is a
 * bug, which the processor reports as such.
 */
public final class ModelWriter {
  /** The seed of the no-argument constructor. */
  public static final long DEFAULT_SEED = 42L;

  /**
   * The private helpers every generated class declares, by erased signature, for the validator: a
   * method of the annotated type must not clash with them. Written by {@link EntryPointWriter},
   * {@link StackWriter} and {@link WeightsWriter}; {@code ModelWriterTest} checks that this set and
   * the generated source agree. (The checks of weights, initial state and gradients are the runtime's
   * {@code ModelTable}'s.)
   */
  public static final Set<String> PRIVATE_HELPERS = Set.of(
      "forward(dev.unroll.Tensor, java.util.List, int)",
      "backward(dev.unroll.Tensor, dev.unroll.Tensor, dev.unroll.Tensor, dev.unroll.Gradients, int)");

  /**
   * The public methods generated beside SequenceModel's, by erased signature, with their return
   * types: the gate views of the first layer and the return_state entry points. A method of the
   * annotated type with one of these signatures must return that type.
   */
  public static final Map<String, String> PUBLIC_EXTRAS = Map.of(
      "kernel(dev.unroll.Gate)", "dev.unroll.Tensor",
      "recurrentKernel(dev.unroll.Gate)", "dev.unroll.Tensor",
      "bias(dev.unroll.Gate)", "dev.unroll.Tensor",
      "predictWithState(dev.unroll.Tensor, java.util.List)", "java.util.List<dev.unroll.Tensor>",
      "gradientsWithState(dev.unroll.Tensor, java.util.List, java.util.List, dev.unroll.Gradients)",
      "dev.unroll.Gradients");

  private final ModelSpec model;
  private final ModelContext ctx;
  private final boolean generatedAnnotation;
  private boolean picture = true;

  /**
   * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} is available
   *     to the code being compiled
   */
  public ModelWriter(ModelSpec model, Plan plan, boolean generatedAnnotation) {
    this.model = model;
    this.ctx = new ModelContext(model, plan);
    this.generatedAnnotation = generatedAnnotation;
  }

  /** Whether the processor writes the model's picture beside the class, for the Javadoc to point at; true unless set. */
  public ModelWriter picture(boolean written) {
    this.picture = written;
    return this;
  }

  public JavaFile write() {
    ClassName self = ctx.self;
    Layer first = ctx.first.layer();
    String kind = first.kerasClass();
    Layer last = ctx.last.layer();
    ClassName source = ClassName.get(model.packageName(), model.simpleNames().get(0),
        model.simpleNames().subList(1, model.simpleNames().size()).toArray(new String[0]));

    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addModifiers(PUBLIC, FINAL)
        .addAnnotation(Names.UNROLL_GENERATED)
        .addJavadoc(classJavadoc())
        .addJavadoc(maskingJavadoc());
    if (generatedAnnotation) {
      // what it was generated from, and not to edit it, is the file comment's
      type.addAnnotation(AnnotationSpec.builder(Names.GENERATED)
          .addMember("value", "$S", "dev.unroll.processor.UnrollProcessor")
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

    type.addField(publicConstant("UNITS", first.outputWidth(), ctx.layers.size() == 1
        ? "Units of the " + kind + " layer: the width of h" + (first instanceof LstmLayer ? " and c." : ".")
        : "Units of the first " + kind + " layer."));
    type.addField(publicConstant("TIMESTEPS", ctx.timesteps, "Steps per input sequence."));
    type.addField(publicConstant("FEATURES", model.features(), "Values per step of the input: the width of x_t."));
    type.addField(publicConstant("OUTPUTS", last.outputWidth(), "Width of the model's output (its last axis)."));
    type.addField(FieldSpec.builder(TypeName.INT, "PARAM_COUNT", PUBLIC, STATIC, FINAL)
        .addJavadoc("Weights in all: $L.\n", paramFormula())
        .initializer("$L", model.paramCount()).build());
    type.addField(FieldSpec.builder(TypeName.LONG, "DEFAULT_SEED", PUBLIC, STATIC, FINAL)
        .addJavadoc("The seed of {@link #$L()}.\n", self.simpleName())
        .initializer("$LL", DEFAULT_SEED).build());
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(Names.LIST, Names.LAYER_INFO), "LAYERS", PRIVATE,
            STATIC, FINAL)
        .initializer(layerInfos()).build());
    // the table the processor's NOTE printed while compiling (Summary.of), built from LAYERS the same way
    type.addField(FieldSpec.builder(String.class, "SUMMARY", PRIVATE, STATIC, FINAL)
        .initializer("$T.of($S, LAYERS)", Names.KERAS_SUMMARY, model.sourceName()).build());
    type.addField(FieldSpec.builder(TypeName.LONG, "VALUES_PER_SAMPLE", PRIVATE, STATIC, FINAL)
        .addJavadoc("The largest work buffer's size per sample, to check that a batch fits in Java arrays.\n")
        .initializer("$LL", model.valuesPerSample()).build());
    WeightsWriter weights = new WeightsWriter(ctx);
    weights.addTable(type);
    for (LayerWriter layer : ctx.layers) {
      for (LayerWriter part : layer.parts()) {
        type.addField(FieldSpec.builder(part.type(), part.field(), PRIVATE, FINAL)
            .initializer(part.newInstance()).build());
      }
      type.addField(FieldSpec.builder(layer.type(), layer.field(), PRIVATE, FINAL)
          .initializer(layer.newInstance()).build());
    }
    weights.addArrays(type);
    type.addField(FieldSpec.builder(TypeName.INT, "keptBatch", PRIVATE)
        .addJavadoc("The batch size of the forward pass the buffers hold, for {@link #backward(Tensor, Gradients)};\n")
        .addJavadoc("0 when none (before the first call, and after setWeights).\n")
        .build());
    type.addField(FieldSpec.builder(Names.GRADIENTS_CHECK, "intoCheck", PRIVATE, FINAL)
        .initializer("new $T(TABLE)", Names.GRADIENTS_CHECK).build());

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
    for (LayerWriter layer : ctx.layers) {
      seeded.addStatement("$N.initialize(rng)", layer.field());
    }
    type.addMethod(seeded.build());

    type.addMethod(override("paramCount", TypeName.INT).addStatement("return PARAM_COUNT").build());
    type.addMethod(override("summary", ClassName.get(String.class)).addStatement("return SUMMARY").build());
    type.addMethod(override("layers", ParameterizedTypeName.get(Names.LIST, Names.LAYER_INFO))
        .addStatement("return LAYERS").build());
    type.addMethod(override("inputShape", ArrayTypeName.of(TypeName.INT))
        .addStatement("return new int[] {TIMESTEPS, FEATURES}").build());
    type.addMethod(override("outputShape", ArrayTypeName.of(TypeName.INT))
        .addStatement("return new int[] {$L}", ctx.outputTrailing())
        .build());
    if (model.memberForm()) {
      addLayerMethods(type);
    }
    new EntryPointWriter(ctx).addTo(type);
    new StackWriter(ctx).addTo(type);
    weights.addTo(type);
    StepperWriter stepper = new StepperWriter(ctx);
    type.addMethod(stepper.stepper());
    type.addMethod(MethodSpec.methodBuilder("toString")
        .addAnnotation(Names.OVERRIDE)
        .addModifiers(PUBLIC)
        .returns(String.class)
        .addStatement("return $S", self.simpleName() + " " + describe())
        .build());
    for (LayerWriter layer : ctx.layers) {
      for (LayerWriter part : layer.parts()) {
        type.addType(FieldDocs.tabulate(part.write()));
      }
      type.addType(FieldDocs.tabulate(layer.write()));
    }
    // a Bidirectional layer cannot stream: stepper() throws, and there is no stepper class
    if (ctx.layers.stream().allMatch(l -> l.parts().isEmpty())) {
      type.addType(stepper.stepperClass());
    }
    new InspectionWriter(ctx, picture).addTo(type);

    return JavaFile.builder(model.packageName(), type.build())
        .addFileComment("Generated by Unroll from $L. Do not edit: change the annotations and recompile.",
            model.sourceName())
        .skipJavaLangImports(true)
        .build();
  }

  /**
   * The source of {@link #write()}, with the layers' nested classes moved up to just after the model's
   * fields, before its constructors and methods: the reader meets each layer's step (its
   * {@code cell}) right after the class Javadoc that states its equations. JavaPoet puts nested types
   * last; Java allows them anywhere in the class body, so only the order of the text changes.
   */
  public String source() {
    List<String> names = new ArrayList<>();
    for (LayerWriter layer : ctx.layers) {
      for (LayerWriter part : layer.parts()) {
        names.add(part.type().simpleName());
      }
      names.add(layer.type().simpleName());
    }
    return compact(layerClassesFirst(write().toString(), names, ctx.self.simpleName()));
  }

  /**
   * Two layouts JavaPoet cannot write, for a shorter class: a Javadoc of one line on one line
   * ({@code /** Width of x_t. *}{@code /}), and consecutive one-line field declarations without a
   * blank line between them.
   */
  static String compact(String source) {
    List<String> lines = new ArrayList<>(List.of(source.split("\n", -1)));
    List<String> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.strip().equals("/**") && i + 2 < lines.size()) {
        String indent = line.substring(0, line.indexOf('/'));
        String text = lines.get(i + 1);
        if (text.startsWith(indent + " * ") && lines.get(i + 2).equals(indent + " */")) {
          String one = indent + "/** " + text.substring(indent.length() + 3) + " */";
          if (one.length() <= 120) {
            out.add(one);
            i += 2;
            continue;
          }
        }
      }
      if (line.isEmpty() && !out.isEmpty() && i + 1 < lines.size() && fieldLine(out.get(out.size() - 1))
          && fieldLine(lines.get(i + 1))) {
        continue;
      }
      out.add(line);
    }
    return String.join("\n", out);
  }

  /** Whether {@code line} is a whole field declaration of a class body (indent 2 or 4). */
  private static boolean fieldLine(String line) {
    int indent = 0;
    while (indent < line.length() && line.charAt(indent) == ' ') {
      indent++;
    }
    if ((indent != 2 && indent != 4) || !line.endsWith(";")) {
      return false;
    }
    char first = line.charAt(indent);
    return first != '}' && first != '/' && first != '*' && first != '@';
  }

  /** {@code source} with the nested classes {@code names}, each with its Javadoc, moved before the constructors. */
  static String layerClassesFirst(String source, List<String> names, String self) {
    List<String> lines = new ArrayList<>(List.of(source.split("\n", -1)));
    int constructor = lines.indexOf("  public " + self + "() {");
    int at = javadocStart(lines, constructor);
    if (at < 0) {
      return source;
    }
    List<String> moved = new ArrayList<>();
    for (String name : names) {
      int decl = declaration(lines, "  private static final class " + name + " ");
      int start = javadocStart(lines, decl);
      if (start < at) {
        return source; // not the layout this expects: leave the order as JavaPoet wrote it
      }
      int end = lines.subList(decl, lines.size()).indexOf("  }") + decl;
      if (end < decl || !lines.get(start - 1).isEmpty()) {
        return source;
      }
      // the class and the blank line after it; or, when it is the last member, the blank line before it
      List<String> block = lines.get(end + 1).isEmpty() ? lines.subList(start, end + 2) : lines.subList(start - 1, end + 1);
      moved.addAll(lines.subList(start, end + 1));
      moved.add("");
      block.clear();
    }
    lines.addAll(at, moved);
    return String.join("\n", lines);
  }

  /** The line declaring a class, {@code prefix} then {@code {} or {@code extends ... {}, or -1. */
  private static int declaration(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith(prefix) && line.endsWith(" {")
          && (line.length() == prefix.length() + 1 || line.startsWith("extends ", prefix.length()))) {
        return i;
      }
    }
    return -1;
  }

  /** The line of the {@code /**} that opens the Javadoc ending just above line {@code decl}, or -1. */
  private static int javadocStart(List<String> lines, int decl) {
    if (decl < 1 || !lines.get(decl - 1).equals("   */")) {
      return -1;
    }
    for (int i = decl - 2; i >= 0; i--) {
      if (lines.get(i).equals("  /**")) {
        return i;
      }
      if (!lines.get(i).startsWith("   *")) {
        return -1;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------------------------------------
  // Javadoc

  /** What the Masking layer does to the passes, when there is one. */
  private CodeBlock maskingJavadoc() {
    if (ctx.masking == null) {
      return CodeBlock.of("");
    }
    return CodeBlock.builder()
        .add("\n<p>Masking (layer {@code $L}, mask_value $L): step t of a sample is masked when all its features equal\n",
            ctx.masking.layer().name(), ctx.masking.layer().maskValue())
        .add("the mask value, or, with {@code predictWithLengths(x, lengths, out)}, when t >= its length. At a masked step a\n")
        .add("recurrent layer keeps h (and c) and outputs the carried h (a Bidirectional layer that returns sequences\n")
        .add("outputs 0); the mask reaches every layer up to the first that returns its last step only. Backwards, the\n")
        .add("state's gradient passes through a masked step unchanged, the step adds nothing to the weights'\n")
        .add("gradients, and dL/dx there is 0.$L\n", model.outputMasked()
            ? " The output keeps the mask: {@link #outputMask()} gives it, and the trainer's losses leave the masked steps out."
            : "")
        .build();
  }

  private CodeBlock classJavadoc() {
    Layer equations = ctx.first.layer() instanceof BidirectionalLayer bi ? bi.forward() : ctx.first.layer();
    if (equations instanceof GruLayer gru) {
      return gruJavadoc(gru);
    }
    LstmLayer l = (LstmLayer) equations;
    List<Layer> layers = model.layers();
    String rec = Names.math(l.recurrentActivation());
    String act = Names.math(l.activation());
    int u = l.units();
    CodeBlock.Builder doc = CodeBlock.builder();
    if (layers.size() == 1) {
      doc.add("An LSTM written out by Unroll for {@link $L}: $L $L, sequences of $L $L, each x_t a vector of\n",
          model.sourceName(), u, ModelContext.plural(u, "unit"), model.timesteps(), ModelContext.plural(model.timesteps(), "timestep"));
      doc.add("$L $L. Keras semantics, weights and defaults; computes in $L.\n", model.features(),
          ModelContext.plural(model.features(), "feature"), ctx.num.name());
    } else {
      doc.add("A stack of $L layers written out by Unroll for {@link $L}: sequences of $L $L, each x_t a\n",
          layers.size(), model.sourceName(), model.timesteps(), ModelContext.plural(model.timesteps(), "timestep"));
      doc.add("vector of $L $L. Keras semantics, weights and defaults; computes in $L.\n", model.features(),
          ModelContext.plural(model.features(), "feature"), ctx.num.name());
    }
    doc.add(stackTable());
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
    doc.add("h_{-1} = c_{-1} = 0 unless an initial state is given$L.\n",
        l.goBackwards() ? "; the steps run from x_{T-1} down to x_0 (goBackwards)" : "");
    doc.add(ctx.first.whereTheStepIs());
    doc.add("\n<p>Not thread-safe: an instance keeps work buffers for the last batch size it saw. Use one\n");
    doc.add("instance per thread (copy weights with {@link #getWeights()} and {@link #setWeights}), and a\n");
    doc.add("{@link #stepper()} per stream.\n");
    return doc.build();
  }

  /** The member form: each layer method returns the view of its layer. */
  private void addLayerMethods(TypeSpec.Builder type) {
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      int[] out = layer.outputShape();
      String outShape = out.length == 2 ? shape("batch", out[0], out[1]) : shape("batch", out[0]);
      type.addMethod(MethodSpec.methodBuilder(layer.name())
          .addAnnotation(Names.OVERRIDE)
          .addModifiers(PUBLIC)
          .returns(Names.LAYER)
          .addJavadoc("Layer {@code $L} ($L), output $L, $L params: a view of its weights, in Keras order.\n",
              layer.name(), layer.kerasClass(), outShape, layer.paramCount())
          .addStatement("return layer($L)", i)
          .build());
    }
  }

  /** The class Javadoc when the first recurrent layer is a GRU: the stack, then its step's equations. */
  private CodeBlock gruJavadoc(GruLayer g) {
    List<Layer> layers = model.layers();
    int u = g.units();
    String rec = Names.math(g.recurrentActivation());
    String act = Names.math(g.activation());
    CodeBlock.Builder doc = CodeBlock.builder();
    if (layers.size() == 1) {
      doc.add("A GRU written out by Unroll for {@link $L}: $L $L, sequences of $L $L, each x_t a vector of\n",
          model.sourceName(), u, ModelContext.plural(u, "unit"), model.timesteps(),
          ModelContext.plural(model.timesteps(), "timestep"));
    } else {
      doc.add("A stack of $L layers written out by Unroll for {@link $L}: sequences of $L $L, each x_t a\n",
          layers.size(), model.sourceName(), model.timesteps(), ModelContext.plural(model.timesteps(), "timestep"));
      doc.add("vector of ");
    }
    doc.add("$L $L. Keras semantics, weights and defaults; computes in $L.\n", model.features(),
        ModelContext.plural(model.features(), "feature"), ctx.num.name());
    doc.add(stackTable());
    doc.add("\n<p>Each step t of layer {@code $L}, for each sample (gate blocks z, r, h of W (F, 3U) and U (U, 3U),\n",
        g.name());
    doc.add("{@code @} the matrix product, {@code *} elementwise):\n<pre>\n");
    if (g.resetAfter()) {
      doc.add("z   = $L(x_t @ W_z + b_z + h_{t-1} @ U_z + b'_z)    update gate\n", rec);
      doc.add("r   = $L(x_t @ W_r + b_r + h_{t-1} @ U_r + b'_r)    reset gate\n", rec);
      doc.add("h~  = $L(x_t @ W_h + b_h + r * (h_{t-1} @ U_h + b'_h))    candidate (reset_after)\n", act);
    } else {
      doc.add("z   = $L(x_t @ W_z + h_{t-1} @ U_z + b_z)    update gate\n", rec);
      doc.add("r   = $L(x_t @ W_r + h_{t-1} @ U_r + b_r)    reset gate\n", rec);
      doc.add("h~  = $L(x_t @ W_h + (r * h_{t-1}) @ U_h + b_h)    candidate (reset_after = false)\n", act);
    }
    doc.add("h_t = z * h_{t-1} + (1 - z) * h~\n</pre>\n");
    doc.add("h_{-1} = 0 unless an initial state is given$L.\n",
        g.goBackwards() ? "; the steps run from x_{T-1} down to x_0 (goBackwards)" : "");
    doc.add(ctx.first.whereTheStepIs());
    doc.add("\n<p>Not thread-safe: an instance keeps work buffers for the last batch size it saw. Use one\n");
    doc.add("instance per thread (copy weights with {@link #getWeights()} and {@link #setWeights}), and a\n");
    doc.add("{@link #stepper()} per stream.\n");
    return doc.build();
  }

  /** The input and each layer: weights, output shape and parameters. */
  private CodeBlock stackTable() {
    CodeBlock.Builder doc = CodeBlock.builder();
    doc.add("\n<pre>\n");
    doc.add(String.format("%-8s %-40s %s%n", "input", "x", shape("batch", model.timesteps(), model.features())));
    for (Layer layer : model.layers()) {
      List<String> parts = new ArrayList<>();
      for (Weight w : layer.weights()) {
        parts.add(w.symbol() + " " + w.shapeText());
      }
      String weights = String.format("%-5s %s", layer.kerasClass(), String.join("  ", parts));
      int[] out = layer.outputShape();
      String outShape = out.length == 2 ? shape("batch", out[0], out[1]) : shape("batch", out[0]);
      doc.add(String.format("%-8s %-40s %s  %d params%n", layer.name(), weights, outShape, layer.paramCount()));
    }
    return doc.add("</pre>\n").build();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private CodeBlock layerInfos() {
    CodeBlock.Builder b = CodeBlock.builder().add("$T.of(", Names.LIST);
    for (int i = 0; i < ctx.layers.size(); i++) {
      b.add(i > 0 ? ",\n    " : "\n    ").add(ctx.layers.get(i).layerInfo());
    }
    return b.add(")").build();
  }

  private String describe() {
    List<String> parts = new ArrayList<>();
    for (Layer layer : model.layers()) {
      parts.add(layer.name() + " " + layer.outputWidth());
    }
    return "(" + String.join(" -> ", parts) + "; input (batch, " + ctx.timesteps + ", "
        + model.features() + "), " + model.paramCount() + " parameters"
        + (model.float32() ? ", float32" : "") + ")";
  }

  private String paramFormula() {
    List<String> parts = new ArrayList<>();
    for (Layer layer : model.layers()) {
      if (!layer.weights().isEmpty()) {
        parts.add(layer.paramFormula());
      }
    }
    return String.join(" + ", parts);
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
}
