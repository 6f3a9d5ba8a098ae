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
import dev.unroll.MergeMode;
import dev.unroll.processor.model.BidirectionalLayer;
import dev.unroll.processor.model.GruLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a Keras Bidirectional layer: its two directions are layers of their own (nested classes
 * written by their writers, fields of the model), and this class holds them, gives the backward
 * one the sequence last step first, merges their outputs into {@code y} (the backward sequence back
 * in input order) and, backwards, splits dL/dy between them and sums their dL/dx.
 */
final class BidirectionalWriter implements RecurrentPorts {
  private final BidirectionalLayer layer;
  private final Numeric num;
  private final ClassName type;
  private final RecurrentPorts forward;
  private final RecurrentPorts backward;
  private final int u;
  private final int w;
  private final int f;
  /** Whether the layer sees a Masking layer's mask. */
  private final boolean masked;

  BidirectionalWriter(BidirectionalLayer layer, RecurrentPorts forward, RecurrentPorts backward, Numeric num,
      ClassName model, boolean masked) {
    this.masked = masked;
    this.layer = layer;
    this.num = num;
    this.type = model.nestedClass(Names.layerClass(layer.name()));
    this.forward = forward;
    this.backward = backward;
    this.u = layer.units();
    this.w = layer.outputWidth();
    this.f = layer.inputWidth();
  }

  @Override
  public BidirectionalLayer layer() {
    return layer;
  }

  @Override
  public ClassName type() {
    return type;
  }

  @Override
  public List<LayerWriter> parts() {
    return List.of(forward, backward);
  }

  @Override
  public CodeBlock newInstance() {
    return CodeBlock.of("new $T($N, $N)", type, forward.field(), backward.field());
  }

  /** The backward direction needs the whole sequence before its first output. */
  @Override
  public boolean streams() {
    return false;
  }

  private int perDirection() {
    return forward.weights().size();
  }

  @Override
  public CodeBlock weight(int i) {
    return i < perDirection() ? forward.weight(i) : backward.weight(i - perDirection());
  }

  @Override
  public CodeBlock gradient(int i) {
    return i < perDirection() ? forward.gradient(i) : backward.gradient(i - perDirection());
  }

  @Override
  public CodeBlock onWeightsChanged() {
    return CodeBlock.builder().add(forward.onWeightsChanged()).add(backward.onWeightsChanged()).build();
  }

  /** The input goes to the forward direction's buffer; {@code forward()} copies it, reversed, to the other. */
  @Override
  public CodeBlock input() {
    return forward.input();
  }

  @Override
  public CodeBlock sequence() {
    return CodeBlock.of("$N.y", field());
  }

  @Override
  public CodeBlock sequenceOffset() {
    return CodeBlock.of("0");
  }

  @Override
  public CodeBlock last() {
    return CodeBlock.of("$N.y", field());
  }

  @Override
  public CodeBlock lastOffset() {
    return layer.returnsSequences() ? CodeBlock.of("(TIMESTEPS - 1) * batch * $L", w) : CodeBlock.of("0");
  }

  @Override
  public CodeBlock dSequence() {
    return CodeBlock.of("$N.dy", field());
  }

  @Override
  public CodeBlock dLast() {
    return CodeBlock.of("$N.dy", field());
  }

  @Override
  public CodeBlock dInput() {
    return CodeBlock.of("$N.dx", field());
  }

  /** The forward direction's state, then the backward's: {@code forward_h, forward_c, backward_h, backward_c}. */
  @Override
  public List<String> stateNames() {
    List<String> names = new ArrayList<>();
    for (String n : forward.stateNames()) {
      names.add("forward_" + n);
    }
    for (String n : backward.stateNames()) {
      names.add("backward_" + n);
    }
    return names;
  }

  @Override
  public int stateWidth() {
    return u;
  }

  @Override
  public CodeBlock initialState(List<String> arrays) {
    int n = forward.stateNames().size();
    return CodeBlock.builder()
        .add(forward.initialState(arrays.subList(0, n)))
        .add(backward.initialState(arrays.subList(n, 2 * n)))
        .build();
  }

  @Override
  public CodeBlock dInitialState(int which) {
    int n = forward.stateNames().size();
    return which < n ? forward.dInitialState(which) : backward.dInitialState(which - n);
  }

  @Override
  public CodeBlock lastState(int which) {
    throw new AssertionError("the validator refuses returnState inside @Bidirectional");
  }

  @Override
  public CodeBlock dLastState(int which) {
    throw new AssertionError("the validator refuses returnState inside @Bidirectional");
  }

  @Override
  public boolean returnState() {
    return false;
  }

  @Override
  public CodeBlock whereTheStepIs() {
    return CodeBlock.of("Layer {@code $L} is Bidirectional: {@code $L} runs the forward direction and {@code $L} the\n"
        + "backward one; {@code $L.merge} combines them ($L).\n", layer.name(), forward.type().simpleName(),
        backward.type().simpleName(), type.simpleName(), layer.mergeMode().kerasName());
  }

  @Override
  public StepperPart stepper(String input) {
    throw new AssertionError("a model with a Bidirectional layer has no stepper");
  }

  // ---------------------------------------------------------------------------------------------
  // The class

  @Override
  public TypeSpec write() {
    int t = layer.timesteps();
    boolean seq = layer.returnsSequences();
    TypeSpec.Builder cls = TypeSpec.classBuilder(type.simpleName())
        .addModifiers(PRIVATE, STATIC, FINAL)
        .addJavadoc("Layer {@code $L}: Bidirectional($L), merge mode $L, output $L per sample. Its directions are\n",
            layer.name(), layer.forward().kerasClass(), layer.mergeMode().kerasName(),
            seq ? "(" + t + ", " + w + ")" : "(" + w + ")")
        .addJavadoc("{@link $T} (x as it is) and {@link $T} (x from its last step, go_backwards), each with its own weights.\n",
            forward.type(), backward.type())
        .addField(LstmLayerWriter.constant("TIMESTEPS", t, "Steps per sequence."))
        .addField(LstmLayerWriter.constant("FEATURES", f, "Width of x_t."))
        .addField(LstmLayerWriter.constant("UNITS", u, "Units of each direction."))
        .addField(LstmLayerWriter.constant("WIDTH", w, "Width of the merged output."))
        .addField(FieldSpec.builder(forward.type(), forward.field(), FINAL).build())
        .addField(FieldSpec.builder(backward.type(), backward.field(), FINAL).build())
        .addField(FieldSpec.builder(INT, "batch")
            .addJavadoc("The number of samples the buffers are sized for; 0 before the first call.\n").build())
        .addField(FieldSpec.builder(num.array(), "y").addJavadoc("The merged output$L: ($L*batch, WIDTH).\n",
            seq ? ", time-major" : "", seq ? "TIMESTEPS" : "1").build())
        .addField(FieldSpec.builder(num.array(), "dy").addJavadoc("dL/dy, shaped like y.\n").build())
        .addField(FieldSpec.builder(num.array(), "dx")
            .addJavadoc("dL/dx, time-major: (TIMESTEPS*batch, FEATURES): the two directions' sum.\n").build());
    if (masked) {
      cls.addField(MaskCode.field());
    }
    cls.addMethod(MethodSpec.constructorBuilder()
        .addParameter(forward.type(), forward.field())
        .addParameter(backward.type(), backward.field())
        .addStatement("this.$N = $N", forward.field(), forward.field())
        .addStatement("this.$N = $N", backward.field(), backward.field())
        .build());
    cls.addMethod(MethodSpec.methodBuilder("initialize")
        .addJavadoc("Keras's default initialisers for each direction, forward first.\n")
        .addParameter(Names.SPLITTABLE_RANDOM, "rng")
        .addStatement("$N.initialize(rng)", forward.field())
        .addStatement("$N.initialize(rng)", backward.field())
        .build());
    cls.addMethod(MethodSpec.methodBuilder("resize")
        .addJavadoc("Sizes both directions and the merged buffers for {@code batch} samples.\n")
        .addParameter(INT, "batch")
        .addStatement("$N.resize(batch)", forward.field())
        .addStatement("$N.resize(batch)", backward.field())
        .beginControlFlow("if (batch == this.batch)")
        .addStatement("return")
        .endControlFlow()
        .addStatement("this.batch = batch")
        .addStatement("y = new $T[$Lbatch * WIDTH]", num.scalar(), seq ? "TIMESTEPS * " : "")
        .addStatement("dy = new $T[$Lbatch * WIDTH]", num.scalar(), seq ? "TIMESTEPS * " : "")
        .addStatement("dx = new $T[TIMESTEPS * batch * FEATURES]", num.scalar())
        .build());
    cls.addMethod(MethodSpec.methodBuilder("forward")
        .addJavadoc("Both directions over the sequence in the forward direction's input, then {@link #merge}.\n")
        .addComment("the backward direction reads the sequence from its last step (go_backwards)")
        .addStatement("$T.copySteps($L, 0, $L, 0, batch, TIMESTEPS, FEATURES, true)", Names.LAYOUT, forward.input(),
            backward.input())
        .addStatement("$N.forward()", forward.field())
        .addStatement("$N.forward()", backward.field())
        .addStatement("merge()")
        .build());
    cls.addMethod(merge());
    cls.addMethod(MethodSpec.methodBuilder("startBackward")
        .addJavadoc("Prepares both directions' backward passes; the caller then fills dy.\n")
        .addStatement("$N.startBackward()", forward.field())
        .addStatement("$N.startBackward()", backward.field())
        .build());
    cls.addMethod(backwardMethod());
    return cls.build();
  }

  /** {@code a} and {@code b} merged as the layer's mode says. */
  private String merged(String a, String b) {
    switch (layer.mergeMode()) {
      case SUM: return a + " + " + b;
      case MUL: return a + " * " + b;
      case AVE: return "(" + a + " + " + b + ") / 2";
      default: throw new AssertionError(layer.mergeMode());
    }
  }

  /** Expressions reading step t's (or the last) output of each direction, unit j of sample b. */
  private String[] outputs() {
    if (layer.returnsSequences()) {
      return new String[] {
          forward.sequence() + "[" + forward.sequenceOffset() + " + (t * batch + b) * UNITS + j]",
          // step s of the backward direction read x_{T-1-s}: its output for step t is its step T-1-t
          backward.sequence() + "[" + backward.sequenceOffset() + " + ((TIMESTEPS - 1 - t) * batch + b) * UNITS + j]"};
    }
    return new String[] {
        forward.last() + "[" + forward.lastOffset() + " + b * UNITS + j]",
        backward.last() + "[" + backward.lastOffset() + " + b * UNITS + j]"};
  }

  private MethodSpec merge() {
    boolean seq = layer.returnsSequences();
    String[] out = outputs();
    MethodSpec.Builder m = MethodSpec.methodBuilder("merge")
        .addJavadoc("y = $L of the two directions' $L, the backward one's in input order.\n",
            layer.mergeMode().kerasName(), seq ? "sequences" : "last outputs");
    if (seq) {
      m.beginControlFlow("for (int t = 0; t < TIMESTEPS; t++)");
    }
    m.beginControlFlow("for (int b = 0; b < batch; b++)")
        .addStatement("int row = $L", seq ? "(t * batch + b) * WIDTH" : "b * WIDTH")
        .beginControlFlow("for (int j = 0; j < UNITS; j++)");
    if (layer.mergeMode() == MergeMode.CONCAT) {
      m.addStatement("y[row + j] = $L", out[0]).addStatement("y[row + UNITS + j] = $L", out[1]);
    } else {
      m.addStatement("y[row + j] = $L", merged(out[0], out[1]));
    }
    m.endControlFlow().endControlFlow();
    if (seq) {
      m.endControlFlow();
    }
    if (seq && masked) {
      m.addComment("Masking: Keras sets zero_output_for_mask inside Bidirectional: y is 0 at a masked step")
          .beginControlFlow("for (int t = 0; t < TIMESTEPS; t++)")
          .addStatement("$T.zero(mask, t * batch, batch, y, t * batch * WIDTH, WIDTH)", Names.MASKS)
          .endControlFlow();
    }
    return m.build();
  }

  private MethodSpec backwardMethod() {
    boolean seq = layer.returnsSequences();
    MergeMode mode = layer.mergeMode();
    String[] out = outputs();
    String dForward = seq ? forward.dSequence() + "[(t * batch + b) * UNITS + j]" : forward.dLast() + "[b * UNITS + j]";
    String dBackward = seq ? backward.dSequence() + "[((TIMESTEPS - 1 - t) * batch + b) * UNITS + j]"
        : backward.dLast() + "[b * UNITS + j]";
    MethodSpec.Builder m = MethodSpec.methodBuilder("backward")
        .addJavadoc("Splits dL/dy between the directions, runs their backpropagation, and sums their dL/dx.\n");
    if (seq && masked) {
      m.addComment("Masking: y is 0 at a masked step whatever the directions computed, so no gradient reaches them there")
          .beginControlFlow("for (int t = 0; t < TIMESTEPS; t++)")
          .addStatement("$T.zero(mask, t * batch, batch, dy, t * batch * WIDTH, WIDTH)", Names.MASKS)
          .endControlFlow();
    }
    if (seq) {
      m.beginControlFlow("for (int t = 0; t < TIMESTEPS; t++)");
    }
    m.beginControlFlow("for (int b = 0; b < batch; b++)")
        .addStatement("int row = $L", seq ? "(t * batch + b) * WIDTH" : "b * WIDTH")
        .beginControlFlow("for (int j = 0; j < UNITS; j++)");
    switch (mode) {
      case CONCAT:
        m.addStatement("$L = dy[row + j]", dForward).addStatement("$L = dy[row + UNITS + j]", dBackward);
        break;
      case SUM:
        m.addStatement("$L = dy[row + j]", dForward).addStatement("$L = dy[row + j]", dBackward);
        break;
      case AVE:
        m.addStatement("$L = dy[row + j] / 2", dForward).addStatement("$L = dy[row + j] / 2", dBackward);
        break;
      case MUL:
        m.addComment("y = a * b: dL/da = dy * b, dL/db = dy * a")
            .addStatement("$T a = $L", num.scalar(), out[0])
            .addStatement("$L = dy[row + j] * $L", dForward, out[1])
            .addStatement("$L = dy[row + j] * a", dBackward);
        break;
      default:
        throw new AssertionError(mode);
    }
    m.endControlFlow().endControlFlow();
    if (seq) {
      m.endControlFlow();
    }
    return m.addStatement("$N.backward()", forward.field())
        .addStatement("$N.backward()", backward.field())
        .addComment("dL/dx: the forward direction's, plus the backward one's back in input order")
        .addStatement("$T.copySteps($L, 0, dx, 0, batch, TIMESTEPS, FEATURES, true)", Names.LAYOUT, backward.dInput())
        .addStatement("$T.add($L, 0, dx, 0, TIMESTEPS * batch * FEATURES)", Names.LAYOUT, forward.dInput())
        .build();
  }
}
