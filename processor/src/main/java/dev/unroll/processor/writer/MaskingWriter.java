package dev.unroll.processor.writer;

import static com.palantir.javapoet.TypeName.INT;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.processor.model.MaskingLayer;
import java.util.List;

/**
 * Writes a Keras {@code Masking} layer: its output is its input, and its {@code forward()} computes the
 * mask, one {@code boolean} per time-major row, which the model hands to every layer that sees it
 * (see {@link MaskCode}). Backwards it passes dL/d(output) on as dL/dx: the layer after it leaves 0
 * at the masked steps.
 */
final class MaskingWriter implements LayerWriter {
  private final MaskingLayer layer;
  private final Numeric num;
  private final ClassName type;

  MaskingWriter(MaskingLayer layer, Numeric num, ClassName model) {
    this.layer = layer;
    this.num = num;
    this.type = model.nestedClass(Names.layerClass(layer.name()));
  }

  @Override
  public MaskingLayer layer() {
    return layer;
  }

  @Override
  public ClassName type() {
    return type;
  }

  /** The array the model hands to the layers that see the mask. */
  CodeBlock mask() {
    return CodeBlock.of("$N.mask", field());
  }

  /** The field that, when not null, gives the mask as lengths (right padding) instead of the mask value. */
  CodeBlock lengths() {
    return CodeBlock.of("$N.lengths", field());
  }

  @Override
  public CodeBlock weight(int i) {
    throw new AssertionError("a Masking layer has no weights");
  }

  @Override
  public CodeBlock gradient(int i) {
    throw new AssertionError("a Masking layer has no weights");
  }

  @Override
  public CodeBlock onWeightsChanged() {
    return CodeBlock.of("");
  }

  @Override
  public CodeBlock input() {
    return CodeBlock.of("$N.x", field());
  }

  @Override
  public CodeBlock sequence() {
    return CodeBlock.of("$N.x", field());
  }

  @Override
  public CodeBlock sequenceOffset() {
    return CodeBlock.of("0");
  }

  @Override
  public CodeBlock last() {
    return CodeBlock.of("$N.x", field());
  }

  @Override
  public CodeBlock lastOffset() {
    return CodeBlock.of("(TIMESTEPS - 1) * batch * $L", layer.features());
  }

  @Override
  public CodeBlock dSequence() {
    return CodeBlock.of("$N.dx", field());
  }

  @Override
  public CodeBlock dLast() {
    throw new AssertionError("a Masking layer is followed by a layer that reads every step");
  }

  @Override
  public CodeBlock dInput() {
    return CodeBlock.of("$N.dx", field());
  }

  /**
   * A local {@code masked}: whether every feature of the step equals the mask value. The recurrent
   * layers that see the mask then skip their step (see {@code StepperWriter}), keeping their state.
   */
  @Override
  public StepperPart stepper(String input) {
    return new StepperPart(List.of(),
        CodeBlock.of("boolean masked = $T.all($N, 0, $T.FEATURES, $T.MASK_VALUE); // Masking: a padded step\n",
            Names.MASKS, input, type, type),
        input);
  }

  @Override
  public TypeSpec write() {
    int t = layer.timesteps();
    int f = layer.features();
    return TypeSpec.classBuilder(type.simpleName())
        .addModifiers(PRIVATE, STATIC, FINAL)
        .addJavadoc("Layer {@code $L}: Keras Masking(mask_value = $L). Step t of sample b is masked when all its $L\n",
            layer.name(), layer.maskValue(), f)
        .addJavadoc("features equal the mask value; its output is its input, and it has no weights.\n")
        .addField(LstmLayerWriter.constant("TIMESTEPS", t, "Steps per sequence."))
        .addField(LstmLayerWriter.constant("FEATURES", f, "Width of x_t."))
        .addField(FieldSpec.builder(num.scalar(), "MASK_VALUE", STATIC, FINAL)
            .addJavadoc("Keras mask_value$L.\n", num == Numeric.FLOAT32 ? ", in float as the model compares" : "")
            .initializer("$L", num.literal(layer.maskValue())).build())
        .addField(FieldSpec.builder(INT, "batch")
            .addJavadoc("The number of samples the buffers are sized for; 0 before the first call.\n").build())
        .addField(FieldSpec.builder(num.array(), "x")
            .addJavadoc("x, time-major: ($L*batch, $L); also the layer's output.\n", t, f).build())
        .addField(FieldSpec.builder(ArrayTypeName.of(TypeName.BOOLEAN), "mask")
            .addJavadoc("mask[t*batch + b]: whether step t of sample b is masked, ($L*batch,).\n", t).build())
        .addField(FieldSpec.builder(ArrayTypeName.of(INT), "lengths")
            .addJavadoc("When not null, the length of each sample (right padding) gives the mask instead of the\n")
            .addJavadoc("mask value: step t of sample b is masked when t >= lengths[b].\n").build())
        .addField(FieldSpec.builder(num.array(), "dx")
            .addJavadoc("dL/dx, time-major: dL/d(output) as the next layer gives it, 0 at masked steps.\n").build())
        .addMethod(MethodSpec.methodBuilder("initialize")
            .addJavadoc("No weights to draw.\n")
            .addParameter(Names.SPLITTABLE_RANDOM, "rng")
            .build())
        .addMethod(MethodSpec.methodBuilder("resize")
            .addJavadoc("Sizes the buffers for {@code batch} samples; allocates only when the batch size changes.\n")
            .addParameter(INT, "batch")
            .beginControlFlow("if (batch == this.batch)")
            .addStatement("return")
            .endControlFlow()
            .addStatement("this.batch = batch")
            .addStatement("x = new $T[TIMESTEPS * batch * FEATURES]", num.scalar())
            .addStatement("mask = new boolean[TIMESTEPS * batch]")
            .addStatement("dx = null")
            .build())
        .addMethod(MethodSpec.methodBuilder("forward")
            .addJavadoc("The mask of the sequence in {@code x}.\n")
            .beginControlFlow("if (lengths != null)")
            .addStatement("$T.fromLengths(lengths, batch, TIMESTEPS, mask, $S)", Names.MASKS, "lengths")
            .nextControlFlow("else")
            .addComment("Keras: masked where all(x_t == mask_value) over the features")
            .addStatement("$T.compute(x, TIMESTEPS * batch, FEATURES, MASK_VALUE, mask)", Names.MASKS)
            .endControlFlow()
            .build())
        .addMethod(MethodSpec.methodBuilder("startBackward")
            .addJavadoc("Sizes dx on the first backward pass at this batch size.\n")
            .beginControlFlow("if (dx == null)")
            .addStatement("dx = new $T[TIMESTEPS * batch * FEATURES]", num.scalar())
            .endControlFlow()
            .build())
        .addMethod(MethodSpec.methodBuilder("backward")
            .addJavadoc("Nothing to do: the output is the input, so dL/dx is dL/d(output), already in dx.\n")
            .build())
        .build();
  }
}
