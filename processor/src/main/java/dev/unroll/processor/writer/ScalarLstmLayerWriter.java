package dev.unroll.processor.writer;

import static com.palantir.javapoet.TypeName.INT;
import static dev.unroll.processor.writer.ModelContext.plural;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.Plan;
import dev.unroll.processor.model.Planner;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a small LSTM layer out in full (see {@link Planner#writtenOut}): each z, gate and state
 * of a step is a named local, each weight an element of its Keras array at a constant index, the
 * way EJML writes its fixed-size operations. {@code cell} is one step of one sample, the equations
 * of the class Javadoc with their real indices; {@code backwardCell} and {@code accumulate} are its
 * backpropagation. There are no loops over units or features, no row copies of the weights and no
 * kernel calls: at these sizes this is also the fastest form.
 *
 * <p>The buffers are those of every layer (see {@link LayerWriter}): x, h and c time-major, h and c
 * with the initial state in block 0. What backpropagation needs of the forward pass is kept per
 * sample and step in {@code kept}: i, f, c~, o and act(c_t), {@code UNITS} values each.
 */
final class ScalarLstmLayerWriter implements LstmPorts {
  private static final String[] GATE = {"i", "f", "c", "o"};
  private static final String[] GATE_VALUE = {"i", "f", "g", "o"};
  private static final String[] GATE_NAME = {"input gate", "forget gate", "cell candidate c~", "output gate"};

  private final LstmLayer layer;
  private final Plan.LayerPlan plan;
  private final Numeric num;
  private final ClassName type;
  private final int u;
  private final int f;
  private final int gates;
  /** Whether the layer sees a Masking layer's mask. */
  private final boolean masked;
  /**
   * Whether {@code backwardCell} also adds the step's share to the weights' gradients (one method for the
   * whole backward step of a sample), or leaves dz_t to a separate {@code accumulate}: one method up to
   * half the cap, two above it, so that each stays within the planner's method budget.
   */
  private final boolean oneBackwardMethod;

  ScalarLstmLayerWriter(LstmLayer layer, Plan.LayerPlan plan, Numeric num, ClassName model, boolean masked) {
    this.masked = masked;
    this.layer = layer;
    this.plan = plan;
    this.num = num;
    this.type = model.nestedClass(Names.layerClass(layer.name()));
    this.u = layer.units();
    this.f = layer.features();
    this.gates = layer.gates();
    this.oneBackwardMethod = Planner.multiplyAdds(layer) <= Planner.WRITTEN_OUT_MULTIPLY_ADDS / 2;
  }

  // ---------------------------------------------------------------------------------------------
  // Ports

  @Override
  public LstmLayer layer() {
    return layer;
  }

  @Override
  public ClassName type() {
    return type;
  }

  @Override
  public CodeBlock weight(int i) {
    return CodeBlock.of("$N.$L", field(), new String[] {"kernel", "recurrentKernel", "bias"}[i]);
  }

  @Override
  public CodeBlock gradient(int i) {
    return CodeBlock.of("$N.$L", field(), new String[] {"dKernel", "dRecurrentKernel", "dBias"}[i]);
  }

  /** The steps read the weights' arrays themselves: nothing to refresh. */
  @Override
  public CodeBlock onWeightsChanged() {
    return CodeBlock.of("");
  }

  @Override
  public CodeBlock input() {
    return CodeBlock.of("$N.x", field());
  }

  @Override
  public CodeBlock dInput() {
    return CodeBlock.of("$N.dx", field());
  }

  @Override
  public CodeBlock whereTheStepIs() {
    return CodeBlock.of("One step of one sample is {@code $L.cell}, these equations written out with the weights'\n"
        + "real indices; backpropagation through time is {@code backwardCell}$L.\n",
        type.simpleName(), oneBackwardMethod ? "" : " and {@code accumulate}");
  }

  @Override
  public StepperPart stepper(String input) {
    String fd = field();
    return new StepperPart(
        List.of(new StateArray(fd + "H", u, "h"), new StateArray(fd + "C", u, "c"), new StateArray(fd + "Kept", 5 * u)),
        CodeBlock.of("$N.cell($N, 0, $N, $N, 0, 0, $N, 0);\n", fd, input, fd + "H", fd + "C", fd + "Kept"),
        fd + "H");
  }

  // ---------------------------------------------------------------------------------------------
  // The class

  @Override
  public TypeSpec write() {
    int t = layer.timesteps();
    TypeSpec.Builder cls = TypeSpec.classBuilder(type.simpleName())
        .addModifiers(PRIVATE, STATIC, FINAL)
        .addJavadoc("Layer {@code $L}: an LSTM of $L $L over $L $L of $L $L, written out in full: $L multiply-adds\n",
            layer.name(), u, plural(u, "unit"), t, plural(t, "timestep"), f, plural(f, "feature"),
            Planner.multiplyAdds(layer))
        .addJavadoc("per step and sample, each z, gate and state a named local ({@link #cell} is one step of one sample).\n")
        .addJavadoc("\n<p>Weights in Keras layout, row-major, columns in gate blocks $L$L.\n", blocks(),
            layer.useBias() ? "" : "; no bias (useBias = false)")
        .addJavadoc("W[k][j] is kernel[$L * k + j], U[k][j] is recurrentKernel[$L * k + j]. Buffers are time-major: row\n",
            gates, gates)
        .addJavadoc("{@code t*batch + b} holds sample b at step t$L. The arrays, their shapes and their sizing are\n",
            layer.goBackwards() ? " of processing (goBackwards: step t reads x_{T-1-t})" : "")
        .addJavadoc("{@link $T}'s.\n", buffers())
        .superclass(buffers());
    cls.addField(LstmLayerWriter.constant("UNITS", u, "Width of h and c."));
    cls.addField(LstmLayerWriter.constant("FEATURES", f, "Width of x_t."));
    cls.addField(LstmLayerWriter.constant("TIMESTEPS", t, "Steps per sequence."));
    cls.addField(LstmLayerWriter.constant("KEPT", 5 * u, "Values kept per sample and step for backpropagation: i, f, c~, o, "
        + Names.math(layer.activation()) + "(c_t)."));
    if (masked) {
      cls.addField(MaskCode.field());
    }
    cls.addMethod(MethodSpec.constructorBuilder()
        .addStatement("super(UNITS, FEATURES, TIMESTEPS, /* useBias */ $L, /* unitForgetBias */ $L, /* returnSequences */ $L)",
            layer.useBias(), layer.useBias() && layer.unitForgetBias(), layer.returnSequences())
        .build());
    cls.addMethod(cell());
    cls.addMethod(forward());
    cls.addMethod(step());
    cls.addMethod(backwardCell());
    if (!oneBackwardMethod) {
      cls.addMethod(accumulate());
    }
    cls.addMethod(backward());
    cls.addMethod(backwardStep());
    return cls.build();
  }

  /** The runtime class holding the layer's arrays: {@code DLstmBuffers}, or {@code FLstmBuffers} in float32. */
  private ClassName buffers() {
    return num == Numeric.FLOAT32 ? Names.F_LSTM_BUFFERS : Names.D_LSTM_BUFFERS;
  }

  /** One step of one sample: the lesson. */
  private MethodSpec cell() {
    String act = Names.math(layer.activation());
    String rec = Names.math(layer.recurrentActivation());
    MethodSpec.Builder m = MethodSpec.methodBuilder("cell")
        .addJavadoc("One LSTM step of one sample: from x_t at {@code x[xi..]}, h_{t-1} and c_{t-1} at {@code h[si..]} and\n")
        .addJavadoc("{@code c[si..]}, computes h_t and c_t into {@code h[so..]} and {@code c[so..]} (so may be si) and keeps\n")
        .addJavadoc("the gates and $L(c_t) in {@code kept[ki..]}.\n", act)
        .addParameter(num.array(), "x").addParameter(INT, "xi")
        .addParameter(num.array(), "h").addParameter(num.array(), "c")
        .addParameter(INT, "si").addParameter(INT, "so")
        .addParameter(num.array(), "kept").addParameter(INT, "ki");
    m.addComment("z_t = $Lx_t @ W + h_{t-1} @ U: one value per gate$L, W[k][j] = kernel[$L * k + j]",
        layer.useBias() ? "b + " : "", u > 1 ? " and unit" : "", gates);
    for (int q = 0; q < 4; q++) {
      for (int k = 0; k < u; k++) {
        int j = q * u + k;
        List<String> terms = new ArrayList<>();
        if (layer.useBias()) {
          terms.add("bias[" + j + "]");
        }
        for (int r = 0; r < f; r++) {
          terms.add(at("x", "xi", r) + " * kernel[" + (r * gates + j) + "]");
        }
        for (int r = 0; r < u; r++) {
          terms.add(at("h", "si", r) + " * recurrentKernel[" + (r * gates + j) + "]");
        }
        m.addStatement("$T $L = $L", num.scalar(), "z" + GATE[q] + suffix(k), sum(terms));
      }
    }
    m.addComment("the gates: i, f, o = $L(z), c~ = $L(z)", rec, act);
    for (int q = 0; q < 4; q++) {
      String fn = Names.function(q == 2 ? layer.activation() : layer.recurrentActivation());
      for (int k = 0; k < u; k++) {
        m.addCode("$T $L = $T.$L($L); // $L$L\n", num.scalar(), GATE_VALUE[q] + suffix(k), Names.ACTIVATIONS, fn,
            "z" + GATE[q] + suffix(k), GATE_NAME[q], u > 1 ? ", unit " + k : "");
      }
    }
    m.addComment("c_t = f * c_{t-1} + i * c~, h_t = o * $L(c_t)", act);
    String fn = Names.function(layer.activation());
    for (int k = 0; k < u; k++) {
      String s = suffix(k);
      m.addStatement("$T ct$L = f$L * $L + i$L * g$L", num.scalar(), s, s, at("c", "si", k), s, s)
          .addStatement("$T at$L = $T.$L(ct$L)", num.scalar(), s, Names.ACTIVATIONS, fn, s)
          .addStatement("$L = ct$L", at("c", "so", k), s)
          .addStatement("$L = o$L * at$L", at("h", "so", k), s, s);
    }
    m.addComment("kept for backpropagation: i, f, c~, o, $L(c_t)", act);
    String[] kept = {"i", "f", "g", "o", "at"};
    for (int q = 0; q < 5; q++) {
      for (int k = 0; k < u; k++) {
        m.addStatement("$L = $L", at("kept", "ki", q * u + k), kept[q] + suffix(k));
      }
    }
    return m.build();
  }

  private MethodSpec forward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward")
        .addJavadoc("The forward pass over the sequence in {@code x}: fills h, c and kept.\n");
    timeLoop(m, false, "step");
    return m.build();
  }

  private MethodSpec step() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("step")
        .addModifiers(PRIVATE)
        .addParameter(INT, "t")
        .addJavadoc("Step t of every sample: h_{t-1}, c_{t-1} are block t of h and c, h_t and c_t go to block t+1.\n")
        .beginControlFlow("for (int b = 0; b < batch; b++)")
        .addStatement("int row = t * batch + b");
    if (masked) {
      m.beginControlFlow("if (mask[$L + b])", MaskCode.row(layer))
          .addComment("Masking: a masked sample keeps h_{t-1} and c_{t-1} as h_t and c_t, and outputs the carried h")
          .addStatement("$T.arraycopy(h, row * UNITS, h, (row + batch) * UNITS, UNITS)", System.class)
          .addStatement("$T.arraycopy(c, row * UNITS, c, (row + batch) * UNITS, UNITS)", System.class)
          .addStatement("continue")
          .endControlFlow();
    }
    return m.addStatement("cell(x, row * FEATURES, h, c, row * UNITS, (row + batch) * UNITS, kept, row * KEPT)")
        .endControlFlow()
        .build();
  }

  private MethodSpec backward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("backward")
        .addJavadoc("Backpropagation through time, after {@link #forward()} and {@link #startBackward()}: dh and dc hold\n")
        .addJavadoc("dL/dh and dL/dc of the last step from above$L. Fills dKernel, dRecurrentKernel$L and dx; leaves\n",
            layer.returnSequences() ? ", dhSeq dL/dh_t of every step" : "", layer.useBias() ? ", dBias" : "")
        .addJavadoc("dL/dh_{-1}, dL/dc_{-1} in dh, dc.\n");
    timeLoop(m, true, "backwardStep");
    return m.build();
  }

  private MethodSpec backwardStep() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("backwardStep")
        .addModifiers(PRIVATE)
        .addParameter(INT, "t")
        .addJavadoc("Step t of BPTT for every sample.\n")
        .beginControlFlow("for (int b = 0; b < batch; b++)");
    if (masked) {
      m.addCode(maskedBackward(MaskCode.row(layer), layer.returnSequences(), num));
    }
    m.addStatement("backwardCell(t, b)");
    if (!oneBackwardMethod) {
      m.addStatement("accumulate(t, b)");
    }
    return m.endControlFlow()
        .build();
  }

  /**
   * The backward step of a masked sample, in the per-sample loops of the written-out LSTM and the GRU:
   * the state passed through unchanged, so dL/dh_{t-1} (and dL/dc_{t-1}) is dL/dh_t (dL/dc_t), the step
   * adds nothing to the weights' gradients, and dL/dx_t is 0.
   */
  static CodeBlock maskedBackward(String maskRow, boolean returnSequences, Numeric num) {
    CodeBlock.Builder m = CodeBlock.builder()
        .beginControlFlow("if (mask[$L + b])", maskRow)
        .add("// Masking: the state passed through this step unchanged: dL/dh_{t-1} = dL/dh_t$L, no share\n",
            returnSequences ? " (from step t+1 and from the output)" : "")
        .add("// of the weights' gradients, dL/dx_t = 0\n");
    if (returnSequences) {
      m.beginControlFlow("for (int j = 0; j < UNITS; j++)")
          .addStatement("dh[b * UNITS + j] += dhSeq[(t * batch + b) * UNITS + j]")
          .endControlFlow();
    }
    return m.addStatement("$T.fill(dx, (t * batch + b) * FEATURES, (t * batch + b + 1) * FEATURES, $L)", Names.ARRAYS,
            num.literal(0))
        .addStatement("continue")
        .endControlFlow()
        .build();
  }


  /** dz, the carries and dx of one sample. */
  private MethodSpec backwardCell() {
    String act = Names.math(layer.activation());
    String rec = Names.math(layer.recurrentActivation());
    String dAct = Names.derivative(layer.activation());
    String dRec = Names.derivative(layer.recurrentActivation());
    MethodSpec.Builder m = MethodSpec.methodBuilder("backwardCell")
        .addModifiers(PRIVATE)
        .addParameter(INT, "t").addParameter(INT, "b")
        .addJavadoc("BPTT through {@link #cell} for sample b at step t: from dL/dh_t and dL/dc_t in dh and dc, computes\n")
        .addJavadoc(oneBackwardMethod
            ? "dL/dx_t into dx, adds the step's share to the weights' gradients (sums over every step and sample),\n"
                + "and carries dL/dh_{t-1}, dL/dc_{t-1} back in dh and dc.\n"
            : "dL/dz_t into dz and dL/dx_t into dx, and carries dL/dh_{t-1}, dL/dc_{t-1} back in dh and dc.\n")
        .addStatement("int row = t * batch + b")
        .addCode("int xi = row * FEATURES; // x_t\n")
        .addCode("int si = row * UNITS; // h_{t-1}, c_{t-1}: block t of h and c\n")
        .addCode("int ki = row * KEPT; // the gates and $L(c_t) of this step\n", act)
        .addCode("int di = b * UNITS; // dL/dh_t, dL/dc_t of sample b\n");
    String[] kept = {"i", "f", "g", "o", "at"};
    for (int q = 0; q < 5; q++) {
      for (int k = 0; k < u; k++) {
        m.addStatement("$T $L = $L", num.scalar(), kept[q] + suffix(k), at("kept", "ki", q * u + k));
      }
    }
    for (int k = 0; k < u; k++) {
      String s = suffix(k);
      if (layer.returnSequences()) {
        m.addCode("$T dht$L = $L + $L; // dL/dh_t: from step t+1 and from the output\n", num.scalar(), s,
            at("dh", "di", k), at("dhSeq", "si", k));
      } else {
        m.addCode("$T dht$L = $L; // dL/dh_t\n", num.scalar(), s, at("dh", "di", k));
      }
      m.addCode("$T dct$L = $L + dht$L * o$L * $T.$L(at$L); // dL/dc_t, also through h_t = o * $L(c_t)\n",
          num.scalar(), s, at("dc", "di", k), s, s, Names.ACTIVATIONS, dAct, s, act);
    }
    m.addComment("dL/dz_t, gate by gate");
    for (int k = 0; k < u; k++) {
      String s = suffix(k);
      m.addCode("$T dzi$L = dct$L * g$L * $T.$L(i$L); // dz_i = dc_t * c~ * $L'\n", num.scalar(), s, s, s,
              Names.ACTIVATIONS, dRec, s, rec)
          .addCode("$T dzf$L = dct$L * $L * $T.$L(f$L); // dz_f = dc_t * c_{t-1} * $L'\n", num.scalar(), s, s,
              at("c", "si", k), Names.ACTIVATIONS, dRec, s, rec)
          .addCode("$T dzc$L = dct$L * i$L * $T.$L(g$L); // dz_c = dc_t * i * $L'\n", num.scalar(), s, s, s,
              Names.ACTIVATIONS, dAct, s, act)
          .addCode("$T dzo$L = dht$L * at$L * $T.$L(o$L); // dz_o = dh_t * $L(c_t) * $L'\n", num.scalar(), s, s, s,
              Names.ACTIVATIONS, dRec, s, act, rec)
          .addCode("$L = dct$L * f$L; // dL/dc_{t-1} = dc_t * f\n", at("dc", "di", k), s, s);
    }
    m.addComment("dL/dh_{t-1} = dz_t @ U^T");
    for (int k = 0; k < u; k++) {
      List<String> terms = new ArrayList<>();
      for (int j = 0; j < gates; j++) {
        terms.add(dzName(j) + " * recurrentKernel[" + (k * gates + j) + "]");
      }
      m.addStatement("$L = $L", at("dh", "di", k), sum(terms));
    }
    m.addComment("dL/dx_t = dz_t @ W^T");
    for (int r = 0; r < f; r++) {
      List<String> terms = new ArrayList<>();
      for (int j = 0; j < gates; j++) {
        terms.add(dzName(j) + " * kernel[" + (r * gates + j) + "]");
      }
      m.addStatement("$L = $L", at("dx", "xi", r), sum(terms));
    }
    if (oneBackwardMethod) {
      addWeightGradients(m);
      return m.build();
    }
    m.addComment("dz_t, for accumulate");
    for (int j = 0; j < gates; j++) {
      m.addStatement("dz[$L] = $L", j, dzName(j));
    }
    return m.build();
  }

  /** The weights' gradients: sums over every step and sample. */
  private MethodSpec accumulate() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("accumulate")
        .addModifiers(PRIVATE)
        .addParameter(INT, "t").addParameter(INT, "b")
        .addJavadoc("Adds sample b's share of step t to the weights' gradients, which sum over every step and sample.\n")
        .addStatement("int row = t * batch + b")
        .addStatement("int xi = row * FEATURES")
        .addStatement("int si = row * UNITS");
    for (int j = 0; j < gates; j++) {
      m.addStatement("$T $L = dz[$L]", num.scalar(), dzName(j), j);
    }
    addWeightGradients(m);
    return m.build();
  }

  /** dW, dU and db += this step's share, from the locals dz_t and the offsets xi (x_t) and si (h_{t-1}). */
  private void addWeightGradients(MethodSpec.Builder m) {
    m.addComment("dW += x_t^T @ dz_t: dW[k][j] is dKernel[$L * k + j]", gates);
    for (int r = 0; r < f; r++) {
      m.addStatement("$T x$L = $L", num.scalar(), r, at("x", "xi", r));
      for (int j = 0; j < gates; j++) {
        m.addStatement("dKernel[$L] += x$L * $L", r * gates + j, r, dzName(j));
      }
    }
    m.addComment("dU += h_{t-1}^T @ dz_t");
    for (int r = 0; r < u; r++) {
      m.addStatement("$T h$L = $L", num.scalar(), r, at("h", "si", r));
      for (int j = 0; j < gates; j++) {
        m.addStatement("dRecurrentKernel[$L] += h$L * $L", r * gates + j, r, dzName(j));
      }
    }
    if (layer.useBias()) {
      m.addComment("db += dz_t");
      for (int j = 0; j < gates; j++) {
        m.addStatement("dBias[$L] += $L", j, dzName(j));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** The time loop of forward (t up) or backward (t down), unrolled or rolled as the plan says. */
  private void timeLoop(MethodSpec.Builder m, boolean down, String step) {
    int t = layer.timesteps();
    if (plan.unrolled()) {
      for (int i = 0; i < t; i++) {
        m.addStatement("$L($L)", step, down ? t - 1 - i : i);
      }
    } else {
      m.addComment("$L", plan.reason())
          .beginControlFlow(down ? "for (int t = TIMESTEPS - 1; t >= 0; t--)" : "for (int t = 0; t < TIMESTEPS; t++)")
          .addStatement("$L(t)", step)
          .endControlFlow();
    }
  }

  /** {@code a[base + i]}, or {@code a[base]} for i = 0. */
  private static String at(String array, String base, int i) {
    return array + "[" + base + (i == 0 ? "" : " + " + i) + "]";
  }

  /** The local holding column j of dL/dz_t: {@code dzf} for one unit, {@code dzf1} for unit 1 of several. */
  private String dzName(int j) {
    return "dz" + GATE[j / u] + suffix(j % u);
  }

  /** The suffix of a unit's locals: none for one unit, else its index. */
  private String suffix(int k) {
    return u == 1 ? "" : Integer.toString(k);
  }

  /** Terms joined by {@code +}, with JavaPoet's wrapping points between them. */
  private static CodeBlock sum(List<String> terms) {
    CodeBlock.Builder b = CodeBlock.builder();
    for (int i = 0; i < terms.size(); i++) {
      b.add(i == 0 ? "$L" : "$W+ $L", terms.get(i));
    }
    return b.build();
  }

  private String blocks() {
    return "i [0, " + u + ") | f [" + u + ", " + 2 * u + ") | c [" + 2 * u + ", " + 3 * u + ") | o [" + 3 * u + ", "
        + 4 * u + ")";
  }
}
