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
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.Plan;
import dev.unroll.processor.model.Planner;
import java.util.List;

/**
 * Writes the nested class of one LSTM layer: its weights, its work buffers, the forward step and
 * the backward (BPTT) step, each specialised to the layer's constant shapes, and the time loops
 * that call them, unrolled or rolled as the plan says.
 *
 * <p>Buffers are time-major: row {@code t*batch + b} holds sample b at step t, so the rows of one
 * step are contiguous. The code is shaped for HotSpot C2's auto-vectorisation (SuperWord), which
 * vectorises a loop only when its arrays are indexed by the loop variable without a loop-invariant
 * offset and it has no floating-point reduction. The products (x_t @ W, h_{t-1} @ U, dz_t @ U^T, the
 * weight-gradient sums, dx^T = W @ dz^T) and the cell's elementwise loops are calls to the runtime's
 * {@code Kernels}, with the layer's constants as shapes: scratch rows indexed from 0, axpy form, four
 * rows per pass; the elementwise work of a step runs on blocks of {@code batch*units} values;
 * System.arraycopy moves values between scratch and buffers.
 * Measured alternatives that did not pay on JDK 17 (see issue 6's notes): several samples per pass
 * (C2 does not vectorise a loop with more than one output array), the batch in the vector lanes
 * (loops of 16-64 samples are too short for C2's unrolled vector loops) and tiles of U kept in L1
 * when U fits in L2.
 *
 * <p>The step's product h_{t-1} @ U (and the backward step's dz_t @ U^T) is written in two forms, sample
 * by sample and in tiles of COLUMNS columns for all samples at once; the generated class chooses one
 * when it is initialised, in the constant {@code TILED}, by the runtime's {@code Kernels.prefersTiled}:
 * which is faster depends on the kernels that run (the Vector API ones or the scalar ones), which the
 * processor cannot know.
 */
final class LstmLayerWriter implements LstmPorts {
  private final LstmLayer layer;
  private final Plan.LayerPlan plan;
  private final Numeric num;
  private final String className;
  private final ClassName type;
  /** Whether the layer sees a Masking layer's mask. */
  private final boolean masked;

  LstmLayerWriter(LstmLayer layer, Plan.LayerPlan plan, Numeric num, ClassName model, boolean masked) {
    this.masked = masked;
    this.layer = layer;
    this.plan = plan;
    this.num = num;
    this.className = Names.layerClass(layer.name());
    this.type = model.nestedClass(className);
  }

  // ---------------------------------------------------------------------------------------------
  // Ports (see LayerWriter)

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
    return CodeBlock.of("$N.$L", field(), new String[] {"kernel.data", "recurrentKernel.data", "bias"}[i]);
  }

  @Override
  public CodeBlock gradient(int i) {
    return CodeBlock.of("$N.$L.data", field(), new String[] {"dKernel", "dRecurrentKernel", "dBias"}[i]);
  }

  @Override
  public CodeBlock onWeightsChanged() {
    return CodeBlock.of("$N.weightsChanged();\n", field());
  }

  @Override
  public CodeBlock input() {
    return CodeBlock.of("$N.x.data", field());
  }

  @Override
  public CodeBlock dInput() {
    return CodeBlock.of("$N.dx.data", field());
  }

  @Override
  public CodeBlock whereTheStepIs() {
    return CodeBlock.of("The forward pass is in {@code $L.forward} and {@code step}, calls into the runtime's\n"
        + "{@code Kernels} with this layer's shapes; backpropagation through time in {@code backward} and\n"
        + "{@code backwardStep}.\n", className);
  }

  @Override
  public StepperPart stepper(String input) {
    String f = field();
    return new StepperPart(
        List.of(new StateArray(f + "H", layer.units(), "h"), new StateArray(f + "C", layer.units(), "c"),
            new StateArray(f + "Z", layer.gates())),
        CodeBlock.of("$N.stepOne($N, $N, $N, $N);\n", f, input, f + "H", f + "C", f + "Z"),
        f + "H");
  }

  @Override
  public TypeSpec write() {
    int u = layer.units();
    int f = layer.features();
    int t = layer.timesteps();
    int g = layer.gates();
    TypeSpec.Builder type = TypeSpec.classBuilder(className)
        .addModifiers(PRIVATE, STATIC, FINAL)
        .addJavadoc("Layer {@code $L}: an LSTM of $L $L over $L $L of $L $L.\n",
            layer.name(), u, ModelContext.plural(u, "unit"), t, ModelContext.plural(t, "timestep"), f,
            ModelContext.plural(f, "feature"))
        .addJavadoc("\n<p>Weights in Keras layout, columns in gate blocks $L:\n", blocks())
        .addJavadoc("<pre>\n")
        .addJavadoc("W  kernel            ($L, $L)   x_t @ W\n", f, g)
        .addJavadoc("U  recurrent kernel  ($L, $L)   h_{t-1} @ U\n", u, g)
        .addJavadoc("$L\n", layer.useBias() ? "b  bias              (" + g + ",)" : "(no bias: useBias = false)")
        .addJavadoc("</pre>\n")
        .addJavadoc("Work buffers are time-major: row {@code t*batch + b} holds sample b at step t$L.\n",
            layer.goBackwards() ? " of processing (goBackwards: step t reads x_{T-1-t})" : "");

    type.addField(constant("UNITS", CodeBlock.of("$L", u), "Width of h and c."));
    type.addField(constant("FEATURES", CodeBlock.of("$L", f), "Width of x_t."));
    type.addField(constant("TIMESTEPS", CodeBlock.of("$L", t), "Steps per sequence."));
    type.addField(constant("GATES", CodeBlock.of("4 * UNITS"),
        "Width of z: the gate blocks i, f, c, o of UNITS columns each."));
    type.addField(constant("COLUMNS", columns(), "Columns of U per tile of the step's product h_{t-1} @ U, when TILED."));
    type.addField(tiledField());

    type.addField(FieldSpec.builder(num.matrix(), "kernel", FINAL)
        .addJavadoc("W: ($L, $L).\n", f, g)
        .initializer("new $T(FEATURES, GATES)", num.matrix()).build());
    type.addField(FieldSpec.builder(num.matrix(), "recurrentKernel", FINAL)
        .addJavadoc("U: ($L, $L).\n", u, g)
        .initializer("new $T(UNITS, GATES)", num.matrix()).build());
    type.addField(FieldSpec.builder(ArrayTypeName.of(num.array()), "uRows", FINAL)
        .addJavadoc("U again, one array per row: the loops of a step index them from 0, which lets C2 vectorise\n")
        .addJavadoc("them; refreshed from recurrentKernel by {@link #weightsChanged()}.\n")
        .initializer("new $T[UNITS][GATES]", num.scalar()).build());
    type.addField(FieldSpec.builder(ArrayTypeName.of(num.array()), "wRows", FINAL)
        .addJavadoc("W again, one array per row; refreshed by {@link #weightsChanged()}.\n")
        .initializer("new $T[FEATURES][GATES]", num.scalar()).build());
    type.addField(FieldSpec.builder(ArrayTypeName.of(num.array()), "uTRows")
        .addJavadoc("U transposed, one array per row ($L, $L), for dL/dh_{t-1} = dz_t @ U^T in backpropagation;\n", g, u)
        .addJavadoc("allocated by the first {@link #startBackward()}, refreshed there when the weights changed.\n")
        .build());
    type.addField(FieldSpec.builder(TypeName.BOOLEAN, "uTStale")
        .addJavadoc("Whether uTRows is older than the weights.\n")
        .initializer("true").build());
    type.addField(perSampleScratch("zRow", "GATES", "z_t of the sample a step works on: ($L,); only sample by sample.", g));
    type.addField(perSampleScratch("dhRow", "UNITS",
        "dL/dh_{t-1} of the sample a backward step works on: ($L,); only sample by sample.", u));
    if (layer.useBias()) {
      type.addField(FieldSpec.builder(num.array(), "bias", FINAL)
          .addJavadoc("b: ($L,).\n", g)
          .initializer("new $T[GATES]", num.scalar()).build());
    }
    type.addField(FieldSpec.builder(INT, "batch")
        .addJavadoc("The number of samples the buffers are sized for; 0 before the first call.\n").build());
    type.addField(buffer(num.matrix(), "x", "x, time-major: ($L*batch, $L).", t, f));
    type.addField(buffer(num.array(), "gates",
        "The gate values of every step, kept for backpropagation: step t holds the blocks i, f, c~, o, each\n"
            + "(batch, $L): ($L*batch*$L,).", u, t, g));
    type.addField(buffer(num.array(), "gateI", "One step's i of every sample in the backward step, (batch, $L).", u));
    type.addField(buffer(num.array(), "gateF", "One step's f in the backward step, (batch, $L).", u));
    type.addField(buffer(num.array(), "gateG", "One step's c~ in the backward step, (batch, $L).", u));
    type.addField(buffer(num.array(), "gateO", "One step's o in the backward step, (batch, $L).", u));
    type.addField(buffer(num.array(), "cellT", "One step's c_{t-1} in the backward step, (batch, $L).", u));
    type.addField(buffer(num.array(), "actT", "One step's $L(c_t) in the backward step, (batch, $L).", Names.math(layer.activation()), u));
    type.addField(buffer(ArrayTypeName.of(num.array()), "zRows",
        "z_t of every sample of one step, one array per sample: (batch, $L); only when TILED.", g));
    type.addField(buffer(num.array(), "h",
        "Hidden states: block 0 ({@code batch} rows) is the initial state h_{-1}, block t+1 is h_t: (($L+1)*batch, $L).", t, u));
    type.addField(buffer(num.array(), "c", "Cell states, in blocks as h: (($L+1)*batch, $L).", t, u));
    type.addField(buffer(num.array(), "actC",
        "$L(c_t), kept for backpropagation: ($L*batch, $L).", Names.math(layer.activation()), t, u));
    type.addField(buffer(ArrayTypeName.of(num.array()), "dzT",
        "dL/dz transposed, one array per column of z: dzT[j][row] is dL/dz_t[j] of the sample at x's row\n"
            + "{@code row = t*batch + b}, ($L, $L*batch). Sized on the first backward pass.", g, t));
    type.addField(buffer(ArrayTypeName.of(num.array()), "dxT", "dL/dx transposed, ($L, $L*batch).", f, t));
    type.addField(buffer(ArrayTypeName.of(num.array()), "dzRows", "One backward step's dL/dz_t, one array per sample: (batch, $L).", g));
    type.addField(buffer(ArrayTypeName.of(num.array()), "dhRows",
        "One backward step's dL/dh_{t-1}, one array per sample: (batch, $L); only when TILED.", u));
    type.addField(buffer(num.matrix(), "dx", "dL/dx, time-major: ($L*batch, $L).", t, f));
    type.addField(buffer(num.array(), "dGateI", "One backward step's dL/dz_i of every sample, (batch, $L).", u));
    type.addField(buffer(num.array(), "dGateF", "One backward step's dL/dz_f, (batch, $L).", u));
    type.addField(buffer(num.array(), "dGateG", "One backward step's dL/dz_c, (batch, $L).", u));
    type.addField(buffer(num.array(), "dGateO", "One backward step's dL/dz_o, (batch, $L).", u));
    if (layer.returnSequences()) {
      type.addField(buffer(num.array(), "dhSeq",
          "dL/dh_t from above, time-major: ($L*batch, $L).", t, u));
      type.addField(buffer(num.array(), "dOutT", "One backward step's dL/dh_t from above, (batch, $L).", u));
    }
    type.addField(buffer(num.array(), "dh",
        "dL/dh_t carried from step t+1 to step t: (batch, $L); after backward, dL/dh_{-1}.", u));
    type.addField(buffer(num.array(), "dc",
        "dL/dc_t carried from step t+1 to step t: (batch, $L); after backward, dL/dc_{-1}.", u));
    if (masked) {
      type.addField(MaskCode.field());
      type.addField(buffer(num.array(), "dhKept",
          "At a masked step, dL/dh_t of each masked sample, which passes to h_{t-1} unchanged: (batch, $L).", u));
      type.addField(buffer(num.array(), "dcKept", "At a masked step, dL/dc_t of each masked sample: (batch, $L).", u));
    }
    type.addField(FieldSpec.builder(num.matrix(), "dKernel", FINAL)
        .initializer("new $T(FEATURES, GATES)", num.matrix()).build());
    type.addField(FieldSpec.builder(num.matrix(), "dRecurrentKernel", FINAL)
        .initializer("new $T(UNITS, GATES)", num.matrix()).build());
    if (layer.useBias()) {
      type.addField(FieldSpec.builder(num.matrix(), "dBias", FINAL)
          .initializer("new $T(1, GATES)", num.matrix()).build());
    }
    type.addField(FieldSpec.builder(ArrayTypeName.of(num.array()), "dKernelRows")
        .addJavadoc("dW while backpropagation sums it, one array per row ($L, $L); allocated by the first {@link #startBackward()}.\n", f, g)
        .build());
    type.addField(FieldSpec.builder(ArrayTypeName.of(num.array()), "dRecurrentKernelRows")
        .addJavadoc("dU while backpropagation sums it, one array per row ($L, $L); allocated with dKernelRows.\n", u, g)
        .build());

    // the lesson first: the step and its backpropagation, then the sizing and initialising around them
    type.addMethod(forward());
    type.addMethod(step());
    type.addMethod(backward());
    type.addMethod(backwardStep());
    type.addMethod(collectGradients());
    type.addMethod(stepOne());
    type.addMethod(initialize());
    type.addMethod(weightsChanged());
    type.addMethod(resize());
    type.addMethod(resizeBackward());
    type.addMethod(initialStateMethod(num, layer.units()));
    return type.build();
  }

  private MethodSpec weightsChanged() {
    return MethodSpec.methodBuilder("weightsChanged")
        .addJavadoc("Copies W and U into their row arrays; call after every change of the weights.\n")
        .addStatement("$T.toRows(recurrentKernel.data, uRows, UNITS, GATES)", Names.KERNELS)
        .addStatement("$T.toRows(kernel.data, wRows, FEATURES, GATES)", Names.KERNELS)
        .addStatement("uTStale = true")
        .build();
  }

  private MethodSpec initialize() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("initialize")
        .addJavadoc("Keras's default initialisers, drawn from {@code rng}.\n")
        .addParameter(Names.SPLITTABLE_RANDOM, "rng")
        .addComment("kernel_initializer = glorot_uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out))")
        .addStatement("$T.glorotUniform(rng, kernel.data, FEATURES, GATES)", Names.INITIALIZERS)
        .addComment("recurrent_initializer = orthogonal: the rows of U are orthonormal")
        .addStatement("$T.orthogonal(rng, recurrentKernel.data, UNITS, GATES)", Names.INITIALIZERS);
    if (layer.useBias() && layer.unitForgetBias()) {
      m.addComment("bias_initializer = zeros, and unit_forget_bias: the forget block starts at 1")
          .addStatement("$T.fill(bias, UNITS, 2 * UNITS, $L)", Names.ARRAYS, num.literal(1));
    } else if (layer.useBias()) {
      m.addComment("bias_initializer = zeros (unitForgetBias = false)");
    }
    return m.addStatement("weightsChanged()").build();
  }

  private MethodSpec resize() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("resize")
        .addJavadoc("Sizes the forward buffers for {@code batch} samples; allocates only when the batch size changes.\n")
        .addParameter(INT, "batch")
        .beginControlFlow("if (batch == this.batch)")
        .addStatement("return")
        .endControlFlow()
        .addStatement("this.batch = batch")
        .addStatement("x = new $T(TIMESTEPS * batch, FEATURES)", num.matrix())
        .addStatement("gates = new $T[TIMESTEPS * batch * GATES]", num.scalar())
        .addStatement("gateI = new $T[batch * UNITS]", num.scalar())
        .addStatement("gateF = new $T[batch * UNITS]", num.scalar())
        .addStatement("gateG = new $T[batch * UNITS]", num.scalar())
        .addStatement("gateO = new $T[batch * UNITS]", num.scalar())
        .addStatement("cellT = new $T[batch * UNITS]", num.scalar())
        .addStatement("actT = new $T[batch * UNITS]", num.scalar());
    m.beginControlFlow("if (TILED)")
        .addStatement("zRows = new $T[batch][GATES]", num.scalar())
        .endControlFlow();
    return m.addStatement("h = new $T[(TIMESTEPS + 1) * batch * UNITS]", num.scalar())
        .addStatement("c = new $T[(TIMESTEPS + 1) * batch * UNITS]", num.scalar())
        .addStatement("actC = new $T[TIMESTEPS * batch * UNITS]", num.scalar())
        .addStatement("dzT = null")
        .build();
  }

  private MethodSpec resizeBackward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("startBackward")
        .addJavadoc("Prepares a backward pass: transposes U when the weights changed, zeroes the sums of dW, dU$L,\n",
            layer.useBias() ? " and db" : "")
        .addJavadoc("sizes the backward buffers for the current batch (on the first backward pass at that size) and\n")
        .addJavadoc("zeroes the carries dh and dc, which the caller then seeds with the gradients from above.\n")
        .beginControlFlow("if (uTRows == null)")
        .addStatement("uTRows = new $T[GATES][UNITS]", num.scalar())
        .addStatement("dKernelRows = new $T[FEATURES][GATES]", num.scalar())
        .addStatement("dRecurrentKernelRows = new $T[UNITS][GATES]", num.scalar())
        .endControlFlow()
        .beginControlFlow("if (uTStale)")
        .addComment("U^T = the transpose of U: ($L, $L)", layer.gates(), layer.units())
        .addStatement("$T.transpose(uRows, uTRows, UNITS, GATES)", Names.KERNELS)
        .addStatement("uTStale = false")
        .endControlFlow()
        .beginControlFlow("for (int k = 0; k < FEATURES; k++)")
        .addStatement("$T.fill(dKernelRows[k], $L)", Names.ARRAYS, num.literal(0))
        .endControlFlow()
        .beginControlFlow("for (int k = 0; k < UNITS; k++)")
        .addStatement("$T.fill(dRecurrentKernelRows[k], $L)", Names.ARRAYS, num.literal(0))
        .endControlFlow();
    if (layer.useBias()) {
      m.addStatement("$T.fill(dBias.data, $L)", Names.ARRAYS, num.literal(0));
    }
    m.beginControlFlow("if (dzT != null)")
        .addStatement("$T.fill(dh, $L)", Names.ARRAYS, num.literal(0))
        .addStatement("$T.fill(dc, $L)", Names.ARRAYS, num.literal(0))
        .addStatement("return")
        .endControlFlow()
        .addStatement("dzT = new $T[GATES][TIMESTEPS * batch]", num.scalar())
        .addStatement("dxT = new $T[FEATURES][TIMESTEPS * batch]", num.scalar())
        .addStatement("dzRows = new $T[batch][GATES]", num.scalar());
    m.beginControlFlow("if (TILED)")
        .addStatement("dhRows = new $T[batch][UNITS]", num.scalar())
        .endControlFlow();
    m.addStatement("dx = new $T(TIMESTEPS * batch, FEATURES)", num.matrix())
        .addStatement("dGateI = new $T[batch * UNITS]", num.scalar())
        .addStatement("dGateF = new $T[batch * UNITS]", num.scalar())
        .addStatement("dGateG = new $T[batch * UNITS]", num.scalar())
        .addStatement("dGateO = new $T[batch * UNITS]", num.scalar());
    if (layer.returnSequences()) {
      m.addStatement("dhSeq = new $T[TIMESTEPS * batch * UNITS]", num.scalar())
          .addStatement("dOutT = new $T[batch * UNITS]", num.scalar());
    }
    if (masked) {
      m.addStatement("dhKept = new $T[batch * UNITS]", num.scalar())
          .addStatement("dcKept = new $T[batch * UNITS]", num.scalar());
    }
    return m.addStatement("dh = new $T[batch * UNITS]", num.scalar())
        .addStatement("dc = new $T[batch * UNITS]", num.scalar())
        .build();
  }

  /** {@code initialState(h0, c0)}: h_{-1} and c_{-1}, block 0 of h and c, whichever form writes the layer. */
  static MethodSpec initialStateMethod(Numeric num, int units) {
    return MethodSpec.methodBuilder("initialState")
        .addJavadoc("Sets h_{-1} and c_{-1}, block 0 of h and c: ({@code batch}, $L) each, or zero when null.\n", units)
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "h0")
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "c0")
        .beginControlFlow("if (h0 == null)")
        .addStatement("$T.fill(h, 0, batch * UNITS, $L)", Names.ARRAYS, num.literal(0))
        .addStatement("$T.fill(c, 0, batch * UNITS, $L)", Names.ARRAYS, num.literal(0))
        .nextControlFlow("else")
        .addStatement("$T.copy(h0, 0, h, 0, batch * UNITS)", Names.LAYOUT)
        .addStatement("$T.copy(c0, 0, c, 0, batch * UNITS)", Names.LAYOUT)
        .endControlFlow()
        .build();
  }

  private MethodSpec stepOne() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("stepOne")
        .addJavadoc("One step of one stream, for the stepper: h and c (length $L) go from h_{t-1}, c_{t-1} to\n",
            layer.units())
        .addJavadoc("h_t, c_t. {@code z} is scratch of length $L.\n", layer.gates())
        .addParameter(num.array(), "x")
        .addParameter(num.array(), "h")
        .addParameter(num.array(), "c")
        .addParameter(num.array(), "z");
    initZ(m, "z", "z");
    m.addStatement("$T.addRowsProduct(z, x, 0, wRows, FEATURES, GATES)", Names.KERNELS)
        .addComment("z += h_{t-1} @ U: (1, $L) @ ($L, $L)", layer.units(), layer.units(), layer.gates())
        .addStatement("$T.addRowsProduct(z, h, 0, uRows, UNITS, GATES)", Names.KERNELS);
    stepperGates(m);
    return m.build();
  }

  /**
   * The stepper's gate pass, from z_t in {@code z} and c_{t-1} in {@code c}: the gate values in place of
   * z_t, then c_t into c and h_t into h. Each activation is one call over its block of z (a loop in
   * {@code Activations} with the function's arithmetic in its body, which C2 vectorises where the
   * function has no call in it: the float32 tanh and sigmoid, the hard sigmoids, relu).
   */
  private void stepperGates(MethodSpec.Builder m) {
    int u = layer.units();
    String rec = Names.function(layer.recurrentActivation());
    String act = Names.function(layer.activation());
    String r = Names.math(layer.recurrentActivation());
    m.addComment("The gates, one call per activation over its columns of z")
        .addComment("i = $L(z_i) input gate, f = $L(z_f) forget gate: columns [0, $L)", r, r, 2 * u)
        .addStatement("$T.$L(z, 0, 2 * UNITS)", Names.ACTIVATIONS, rec)
        .addComment("c~ = $L(z_c) cell candidate: columns [$L, $L)", Names.math(layer.activation()), 2 * u, 3 * u)
        .addStatement("$T.$L(z, 2 * UNITS, 3 * UNITS)", Names.ACTIVATIONS, act)
        .addComment("o = $L(z_o) output gate: columns [$L, $L)", r, 3 * u, 4 * u)
        .addStatement("$T.$L(z, 3 * UNITS, GATES)", Names.ACTIVATIONS, rec)
        .addComment("c_t = f * c_{t-1} + i * c~: f, i, c~ at columns $L, 0, $L of z", u, 2 * u)
        .addStatement("$T.cellState(c, 0, z, UNITS, 0, 2 * UNITS, UNITS)", Names.KERNELS)
        .addComment("h_t = o * $L(c_t), with $L(c_t) in the place of i, which is no longer needed",
            Names.math(layer.activation()), Names.math(layer.activation()))
        .addStatement("$T.arraycopy(c, 0, z, 0, UNITS)", System.class)
        .addStatement("$T.$L(z, 0, UNITS)", Names.ACTIVATIONS, act)
        .addStatement("$T.elementMult(h, 0, z, 3 * UNITS, z, 0, UNITS)", Names.KERNELS);
  }

  /** {@code z = b}, or zero without a bias, with the comment for the product that follows. */
  private void initZ(MethodSpec.Builder m, String name, String z) {
    if (layer.useBias()) {
      m.addComment("$L = b + x_t @ W: ($L,) + (1, $L) @ ($L, $L), one row of W per feature", name, layer.gates(),
              layer.features(), layer.features(), layer.gates())
          .addStatement("$T.arraycopy(bias, 0, $L, 0, GATES)", System.class, z);
    } else {
      m.addComment("$L = x_t @ W: (1, $L) @ ($L, $L), one row of W per feature", name, layer.features(),
              layer.features(), layer.gates())
          .addStatement("$T.fill($L, $L)", Names.ARRAYS, z, num.literal(0));
    }
  }

  private MethodSpec forward() {
    int t = layer.timesteps();
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward")
        .addJavadoc("The forward pass over the sequence in {@code x}: fills z with the gate values, h, c and actC.\n");
    if (plan.unrolled()) {
      for (int s = 0; s < t; s++) {
        if (s == 0) {
          m.addComment("t = 0: from the initial state h_{-1}, c_{-1} (zero unless given)");
        } else {
          m.addComment("t = $L: from h_$L, c_$L", s, s - 1, s - 1);
        }
        m.addStatement("step($L)", s);
      }
    } else {
      m.addComment("$L", plan.reason())
          .beginControlFlow("for (int t = 0; t < TIMESTEPS; t++)")
          .addStatement("step(t)")
          .endControlFlow();
    }
    return m.build();
  }

  private MethodSpec step() {
    int u = layer.units();
    String act = Names.math(layer.activation());
    String r = Names.math(layer.recurrentActivation());
    String rf = Names.function(layer.recurrentActivation());
    String af = Names.function(layer.activation());
    MethodSpec.Builder m = MethodSpec.methodBuilder("step")
        .addModifiers(PRIVATE)
        .addParameter(INT, "t")
        .addJavadoc("One LSTM step for every sample: from x_t, h_{t-1} and c_{t-1}, computes the gates, c_t and h_t.\n")
        .addJavadoc("First z_t, sample by sample (into zRow) or, when {@link #TILED}, in tiles of COLUMNS columns of W\n")
        .addJavadoc("and U for all samples at once; then the gates and states of all samples at once, in blocks of\n")
        .addJavadoc("{@code batch * UNITS} values, in place in the buffers that keep them for backpropagation.\n")
        .addStatement("final $T[] xs = x.data", num.scalar())
        .addCode("int size = batch * UNITS; $L\n", "// values per gate or state in one step")
        .addCode("int block = t * size; $L\n", "// h_{t-1}, c_{t-1}: block t of h and c")
        .addCode("int kept = t * batch * GATES; $L\n", "// the gates of step t: blocks i, f, c~, o of size values");
    m.addComment("The form of the products was chosen when this class was initialised: see TILED")
        .beginControlFlow("if (TILED)");
    tiledProducts(m);
    m.nextControlFlow("else");
    {
      m.addStatement("final $T[] zr = zRow", num.scalar())
          .beginControlFlow("for (int b = 0; b < batch; b++)")
          .addStatement("int row = t * batch + b")
          .addCode("int xo = row * FEATURES; $L\n", "// x_t of sample b")
          .addCode("int prev = block + b * UNITS; $L\n", "// h_{t-1} of sample b");
      initZ(m, "z_t", "zr");
      m.addStatement("$T.addRowsProduct(zr, xs, xo, wRows, FEATURES, GATES)", Names.KERNELS)
          .addComment("z_t += h_{t-1} @ U: (1, $L) @ ($L, $L), one row of U per unit of h$L", u, u, layer.gates(),
              u >= 4 ? ", four per pass" : "")
          .addStatement("$T.addRowsProduct(zr, h, prev, uRows, UNITS, GATES)", Names.KERNELS);
      scatterZ(m);
      m.endControlFlow();
    }
    m.endControlFlow()
        .addComment("The gates of every sample, in place in the kept gates of step t: blocks i, f, c~, o of size values")
        .addComment("i = $L(z_i) input gate, f = $L(z_f) forget gate", r, r)
        .addStatement("$T.$L(gates, kept, kept + 2 * size)", Names.ACTIVATIONS, rf)
        .addComment("c~ = $L(z_c)     cell candidate", act)
        .addStatement("$T.$L(gates, kept + 2 * size, kept + 3 * size)", Names.ACTIVATIONS, af)
        .addComment("o = $L(z_o)   output gate", r)
        .addStatement("$T.$L(gates, kept + 3 * size, kept + 4 * size)", Names.ACTIVATIONS, rf)
        .addComment("c_t = f * c_{t-1} + i * c~, into block t + 1 of c")
        .addStatement("$T.arraycopy(c, block, c, block + size, size)", System.class)
        .addStatement("$T.cellState(c, block + size, gates, kept + size, kept, kept + 2 * size, size)", Names.KERNELS)
        .addComment("h_t = o * $L(c_t), into block t + 1 of h; $L(c_t) is kept in actC for backpropagation", act, act)
        .addStatement("$T.arraycopy(c, block + size, actC, block, size)", System.class)
        .addStatement("$T.$L(actC, block, block + size)", Names.ACTIVATIONS, af)
        .addStatement("$T.elementMult(h, block + size, gates, kept + 3 * size, actC, block, size)", Names.KERNELS);
    if (masked) {
      m.addComment("Masking: a masked sample keeps h_{t-1} and c_{t-1} as h_t and c_t, and outputs the carried h")
          .addStatement("$T.copy(mask, $L, batch, h, block, h, block + size, UNITS)", Names.MASKS, MaskCode.row(layer))
          .addStatement("$T.copy(mask, $L, batch, c, block, c, block + size, UNITS)", Names.MASKS, MaskCode.row(layer));
    }
    return m.build();
  }

  /**
   * {@code TILED}: whether the step keeps z_t of every sample (zRows) and multiplies h_{t-1} by U in
   * tiles, asked of the runtime when the class is initialised.
   */
  private FieldSpec tiledField() {
    long bytes = Planner.recurrentKernelBytes(layer, num == Numeric.FLOAT32);
    return FieldSpec.builder(TypeName.BOOLEAN, "TILED", STATIC, FINAL)
        .addJavadoc("Whether {@link #step(int)} and {@link #backwardStep(int)} multiply by U in tiles of COLUMNS columns\n")
        .addJavadoc("for all samples at once, or sample by sample. Chosen here, when the class is initialised, not by\n")
        .addJavadoc("the processor: the faster form depends on the kernels that run (tiled on the Vector API kernels;\n")
        .addJavadoc("on the scalar kernels only when U, here $L KB, is over 1 MB), see {@link $T#prefersTiled(long)}.\n",
            bytes / 1024, Names.KERNELS)
        .addJavadoc("C2 folds this constant, so the form not taken costs nothing.\n")
        .initializer("$T.prefersTiled(UNITS * GATES * $LL)", Names.KERNELS, num == Numeric.FLOAT32 ? 4 : 8)
        .build();
  }

  /**
   * dL/dh_{t-1} = dz_t @ U^T for every sample, in the tiled form (see {@link #tiledField()}): COLUMNS units
   * at a time, four rows of U^T serve every sample, so that U^T is read once per step.
   */
  private void tiledBackwardProduct(MethodSpec.Builder m) {
    m.addComment("dL/dh_{t-1} = dz_t @ U^T for every sample: (batch, $L) @ ($L, $L), COLUMNS units at a time: four",
            layer.gates(), layer.gates(), layer.units())
        .addComment("rows of such a tile of U^T serve every sample, so that U^T is read once per step rather than once")
        .addComment("per sample")
        .beginControlFlow("for (int b = 0; b < batch; b++)")
        .addStatement("$T.fill(dhRows[b], $L)", Names.ARRAYS, num.literal(0))
        .endControlFlow()
        .addStatement("$T.addTiledProduct(dhRows, dzRows, batch, uTRows, GATES, UNITS, COLUMNS)", Names.KERNELS)
        .beginControlFlow("for (int b = 0; b < batch; b++)")
        .addStatement("$T.arraycopy(dhRows[b], 0, dh, b * UNITS, UNITS)", System.class)
        .endControlFlow();
  }

  /** Columns of U per tile in the tiled form: 512 bytes of each row. */
  private int columns() {
    return Math.min(layer.gates(), num == Numeric.FLOAT32 ? 128 : 64);
  }

  /** Sample b's z_t, in zr, into row b of the gate blocks of step t in the kept gates. */
  private void scatterZ(MethodSpec.Builder m) {
    int u = layer.units();
    m.addComment("Sample b's z_i, z_f, z_c, z_o (columns [0, $L), [$L, $L), [$L, $L), [$L, $L)) into row b of the gate blocks",
            u, u, 2 * u, 2 * u, 3 * u, 3 * u, 4 * u)
        .addStatement("$T.arraycopy(zr, 0, gates, kept + b * UNITS, UNITS)", System.class)
        .addStatement("$T.arraycopy(zr, UNITS, gates, kept + size + b * UNITS, UNITS)", System.class)
        .addStatement("$T.arraycopy(zr, 2 * UNITS, gates, kept + 2 * size + b * UNITS, UNITS)", System.class)
        .addStatement("$T.arraycopy(zr, 3 * UNITS, gates, kept + 3 * size + b * UNITS, UNITS)", System.class);
  }

  /** The products of the tiled form (see {@link #tiledField()}), into zRows, then each sample's row into the gate blocks. */
  private void tiledProducts(MethodSpec.Builder m) {
    int u = layer.units();
    m.addComment("z_t = $Lx_t @ W for every sample, into its row of zRows: (batch, $L) @ ($L, $L) in tiles as below;",
            layer.useBias() ? "b + " : "", layer.features(), layer.features(), layer.gates())
        .addComment("x_t of sample b at (t * batch + b) * FEATURES")
        .beginControlFlow("for (int b = 0; b < batch; b++)");
    if (layer.useBias()) {
      m.addStatement("$T.arraycopy(bias, 0, zRows[b], 0, GATES)", System.class);
    } else {
      m.addStatement("$T.fill(zRows[b], $L)", Names.ARRAYS, num.literal(0));
    }
    m.endControlFlow()
        .addStatement("$T.addTiledProduct(zRows, xs, t * batch * FEATURES, FEATURES, batch, wRows, FEATURES, GATES, COLUMNS)",
            Names.KERNELS)
        .addComment("z_t += h_{t-1} @ U for every sample: (batch, $L) @ ($L, $L), COLUMNS columns of U at a time: four",
            u, u, layer.gates())
        .addComment("rows of such a tile stay in L1 while they serve every sample, where one pass per sample would")
        .addComment("read all $L x $L of U each time; h_{t-1} of sample b at block + b * UNITS", u, layer.gates())
        .addStatement("$T.addTiledProduct(zRows, h, block, UNITS, batch, uRows, UNITS, GATES, COLUMNS)", Names.KERNELS)
        .beginControlFlow("for (int b = 0; b < batch; b++)")
        .addStatement("final $T[] zr = zRows[b]", num.scalar());
    scatterZ(m);
    m.endControlFlow();
  }

  private MethodSpec backward() {
    int t = layer.timesteps();
    MethodSpec.Builder m = MethodSpec.methodBuilder("backward")
        .addJavadoc("Backpropagation through time, after {@link #forward()} on the same input and\n")
        .addJavadoc("{@link #startBackward()}: dh and dc hold dL/dh_$L and dL/dc_$L from above$L.\n", t - 1, t - 1,
            layer.returnSequences() ? ", dhSeq dL/dh_t of every step" : "")
        .addJavadoc("Fills dKernel, dRecurrentKernel$L and dx; leaves dL/dh_{-1}, dL/dc_{-1} in dh, dc.\n",
            layer.useBias() ? ", dBias" : "");
    if (plan.unrolled()) {
      for (int s = t - 1; s >= 0; s--) {
        m.addComment("t = $L", s);
        m.addStatement("backwardStep($L)", s);
      }
    } else {
      m.addComment("$L", plan.reason())
          .beginControlFlow("for (int t = TIMESTEPS - 1; t >= 0; t--)")
          .addStatement("backwardStep(t)")
          .endControlFlow();
    }
    return m.addStatement("collectGradients()").build();
  }

  private MethodSpec collectGradients() {
    int t = layer.timesteps();
    int f = layer.features();
    int g = layer.gates();
    return MethodSpec.methodBuilder("collectGradients")
        .addModifiers(PRIVATE)
        .addJavadoc("After the backward steps: dW and dU into their matrices, and dx from dz.\n")
        .addComment("The steps summed dW and dU in rows; into the matrices the gradients are read from")
        .addStatement("$T.fromRows(dKernelRows, dKernel.data, FEATURES, GATES)", Names.KERNELS)
        .addStatement("$T.fromRows(dRecurrentKernelRows, dRecurrentKernel.data, UNITS, GATES)", Names.KERNELS)
        .addComment("dx = dz @ W^T: ($L*batch, $L) @ ($L, $L) -> ($L*batch, $L), computed as dx^T = W @ dz^T: row k of dx^T",
            t, g, g, f, t, f)
        .addComment("is the sum of the rows of dz^T weighted by W[k][j], over all $L*batch rows at once", t)
        .addStatement("int rows = TIMESTEPS * batch")
        .beginControlFlow("for (int k = 0; k < FEATURES; k++)")
        .addStatement("$T.fill(dxT[k], $L)", Names.ARRAYS, num.literal(0))
        .addCode("$T.addRowsProduct(dxT[k], wRows[k], 0, dzT, GATES, rows); $L\n", Names.KERNELS,
            "// (1, " + g + ") @ (" + g + ", " + t + "*batch)")
        .endControlFlow()
        .addComment("dx^T into dx, time-major")
        .addStatement("$T.columnsToRowMajor(dxT, dx.data, FEATURES, rows)", Names.KERNELS)
        .build();
  }

  private MethodSpec backwardStep() {
    String rec = Names.math(layer.recurrentActivation());
    String act = Names.math(layer.activation());
    String dRec = Names.derivative(layer.recurrentActivation());
    String dAct = Names.derivative(layer.activation());
    MethodSpec.Builder m = MethodSpec.methodBuilder("backwardStep")
        .addModifiers(PRIVATE)
        .addParameter(INT, "t")
        .addJavadoc("One step of BPTT for every sample: from dL/dh_t and dL/dc_t, computes dL/dz_t (row block t\n")
        .addJavadoc("of dzT), adds this step's share of dW, dU$L, and carries dL/dh_{t-1}, dL/dc_{t-1} to the step\n",
            layer.useBias() ? " and db" : "")
        .addJavadoc("before. Like {@link #step(int)}: the gates of all samples at once in blocks, then the products,\n")
        .addJavadoc("dz_t @ U^T sample by sample or, when {@link #TILED}, in tiles for all samples at once.\n")
        .addStatement("final $T[] xs = x.data", num.scalar())
        .addStatement("final $T[][] dzt = dzT", num.scalar())
        .addStatement("final $T[] zi = gateI", num.scalar())
        .addStatement("final $T[] zf = gateF", num.scalar())
        .addStatement("final $T[] zg = gateG", num.scalar())
        .addStatement("final $T[] zo = gateO", num.scalar())
        .addStatement("final $T[] cp = cellT", num.scalar())
        .addStatement("final $T[] at = actT", num.scalar())
        .addStatement("final $T[] di = dGateI", num.scalar())
        .addStatement("final $T[] df = dGateF", num.scalar())
        .addStatement("final $T[] dg = dGateG", num.scalar())
        .addStatement("final $T[] dq = dGateO", num.scalar());
    if (layer.returnSequences()) {
      m.addStatement("final $T[] dy = dOutT", num.scalar());
    }
    m.addStatement("final $T[] dhr = dhRow", num.scalar());
    if (layer.useBias()) {
      m.addStatement("final $T[] db = dBias.data", num.scalar());
    }
    m.addCode("int size = batch * UNITS; $L\n", "// values per gate or state in one step")
        .addCode("int block = t * size; $L\n", "// c_{t-1}, h_{t-1}: block t of c and h; " + act + "(c_t): block t of actC")
        .addComment("The forward pass's gate values, c_{t-1} and $L(c_t) of every sample at step t", act)
        .addStatement("int kept = t * batch * GATES")
        .addStatement("$T.arraycopy(gates, kept, zi, 0, size)", System.class)
        .addStatement("$T.arraycopy(gates, kept + size, zf, 0, size)", System.class)
        .addStatement("$T.arraycopy(gates, kept + 2 * size, zg, 0, size)", System.class)
        .addStatement("$T.arraycopy(gates, kept + 3 * size, zo, 0, size)", System.class)
        .addStatement("$T.arraycopy(c, block, cp, 0, size)", System.class)
        .addStatement("$T.arraycopy(actC, block, at, 0, size)", System.class);
    if (layer.returnSequences()) {
      m.addStatement("$T.arraycopy(dhSeq, block, dy, 0, size)", System.class);
    }
    if (masked) {
      m.addComment("Masking: the state of a masked sample passed through this step unchanged, so its dL/dh_t$L",
              layer.returnSequences() ? " (from step t+1 and from the output)" : "")
          .addComment("and dL/dc_t go to step t-1 as they are; kept here, restored after the step")
          .addStatement("int maskAt = $L", MaskCode.row(layer))
          .addStatement("$T.copy(mask, maskAt, batch, dh, 0, dhKept, 0, UNITS)", Names.MASKS);
      if (layer.returnSequences()) {
        m.addStatement("$T.add(mask, maskAt, batch, dy, 0, dhKept, 0, UNITS)", Names.MASKS);
      }
      m.addStatement("$T.copy(mask, maskAt, batch, dc, 0, dcKept, 0, UNITS)", Names.MASKS);
    }
    m.addComment("dL/dz_t of every sample, gate by gate; dh and dc hold dL/dh_t and dL/dc_t from step t+1")
        .beginControlFlow("for (int k = 0; k < size; k++)");
    if (layer.returnSequences()) {
      m.addCode("$T dht = dh[k] + dy[k]; $L\n", num.scalar(), "// dL/dh_t: from step t+1 and from the output");
    } else {
      m.addCode("$T dht = dh[k]; $L\n", num.scalar(), "// dL/dh_t");
    }
    m.addCode("$T dct = dc[k] + dht * zo[k] * $T.$L(at[k]); $L\n", num.scalar(), Names.ACTIVATIONS, dAct,
            "// dL/dc_t: from step t+1 and through h_t = o * " + act + "(c_t)")
        .addCode("di[k] = dct * zg[k] * $T.$L(zi[k]); $L\n", Names.ACTIVATIONS, dRec, "// dz_i = dc_t * c~ * " + rec + "'")
        .addCode("df[k] = dct * cp[k] * $T.$L(zf[k]); $L\n", Names.ACTIVATIONS, dRec,
            "// dz_f = dc_t * c_{t-1} * " + rec + "'")
        .addCode("dg[k] = dct * zi[k] * $T.$L(zg[k]); $L\n", Names.ACTIVATIONS, dAct, "// dz_c = dc_t * i * " + act + "'")
        .addCode("dq[k] = dht * at[k] * $T.$L(zo[k]); $L\n", Names.ACTIVATIONS, dRec,
            "// dz_o = dh_t * " + act + "(c_t) * " + rec + "'")
        .addCode("dc[k] = dct * zf[k]; $L\n", "// dL/dc_{t-1} = dc_t * f")
        .endControlFlow();
    if (masked) {
      m.addComment("Masking: a masked sample's step computed nothing, so its dL/dz_t is 0 (no share of dW, dU$L, dx_t = 0)",
              layer.useBias() ? ", db" : "")
          .addStatement("$T.zero(mask, maskAt, batch, di, 0, UNITS)", Names.MASKS)
          .addStatement("$T.zero(mask, maskAt, batch, df, 0, UNITS)", Names.MASKS)
          .addStatement("$T.zero(mask, maskAt, batch, dg, 0, UNITS)", Names.MASKS)
          .addStatement("$T.zero(mask, maskAt, batch, dq, 0, UNITS)", Names.MASKS);
    }
    m.beginControlFlow("for (int b = 0; b < batch; b++)")
        .addStatement("int row = t * batch + b")
        .addStatement("final $T[] dzr = dzRows[b]", num.scalar())
        .addComment("Sample b's dz_t, a row of $L: dz_i | dz_f | dz_c | dz_o, kept in dzT for dx", layer.gates())
        .addStatement("$T.arraycopy(di, b * UNITS, dzr, 0, UNITS)", System.class)
        .addStatement("$T.arraycopy(df, b * UNITS, dzr, UNITS, UNITS)", System.class)
        .addStatement("$T.arraycopy(dg, b * UNITS, dzr, 2 * UNITS, UNITS)", System.class)
        .addStatement("$T.arraycopy(dq, b * UNITS, dzr, 3 * UNITS, UNITS)", System.class)
        .beginControlFlow("for (int j = 0; j < GATES; j++)")
        .addStatement("dzt[j][row] = dzr[j]")
        .endControlFlow();
    m.beginControlFlow("if (!TILED)")
        .addComment("dL/dh_{t-1} = dz_t @ U^T: (1, $L) @ ($L, $L), one row of U^T per column of z, four per pass",
            layer.gates(), layer.gates(), layer.units())
        .addStatement("$T.fill(dhr, $L)", Names.ARRAYS, num.literal(0))
        .addStatement("$T.addRowsProduct(dhr, dzr, 0, uTRows, GATES, UNITS)", Names.KERNELS)
        .addStatement("$T.arraycopy(dhr, 0, dh, b * UNITS, UNITS)", System.class)
        .endControlFlow()
        .endControlFlow()
        .beginControlFlow("if (TILED)");
    tiledBackwardProduct(m);
    m.endControlFlow();
    int f = layer.features();
    int u = layer.units();
    int g = layer.gates();
    m.addComment("The weights are shared by all steps and samples, so their gradients sum over both; four samples")
        .addComment("per pass, each row of dW and dU read and written once for four samples:")
        .addComment("dW += x_t^T @ dz_t: ($L, batch) @ (batch, $L); x_t of sample b at (t * batch + b) * FEATURES", f, g)
        .addStatement("$T.addOuterProducts(dKernelRows, xs, t * batch * FEATURES, FEATURES, dzRows, 0, batch, FEATURES, GATES)",
            Names.KERNELS)
        .addComment("dU += h_{t-1}^T @ dz_t: ($L, batch) @ (batch, $L); h_{t-1} of sample b at block + b * UNITS", u, g)
        .addStatement("$T.addOuterProducts(dRecurrentKernelRows, h, block, UNITS, dzRows, 0, batch, UNITS, GATES)",
            Names.KERNELS);
    if (layer.useBias()) {
      m.addComment("db += dz_t, summed over the samples: ($L,)", g)
          .addStatement("$T.addRows(db, dzRows, 0, batch, GATES)", Names.KERNELS);
    }
    if (masked) {
      m.addComment("Masking: dL/dh_{t-1} and dL/dc_{t-1} of a masked sample are its dL/dh_t and dL/dc_t")
          .addStatement("$T.copy(mask, maskAt, batch, dhKept, 0, dh, 0, UNITS)", Names.MASKS)
          .addStatement("$T.copy(mask, maskAt, batch, dcKept, 0, dc, 0, UNITS)", Names.MASKS);
    }
    return m.build();
  }

  private String blocks() {
    int u = layer.units();
    return "i [0, " + u + ") | f [" + u + ", " + 2 * u + ") | c [" + 2 * u + ", " + 3 * u + ") | o [" + 3 * u + ", " + 4 * u + ")";
  }

  static FieldSpec constant(String name, CodeBlock value, String doc) {
    return FieldSpec.builder(INT, name, STATIC, FINAL).addJavadoc("$L\n", doc).initializer(value).build();
  }

  static FieldSpec constant(String name, int value, String doc) {
    return constant(name, CodeBlock.of("$L", value), doc);
  }

  /** Scratch that only the per-sample form uses: null when TILED. */
  private FieldSpec perSampleScratch(String name, String size, String doc, Object... args) {
    return FieldSpec.builder(num.array(), name, FINAL)
        .addJavadoc(doc + "\n", args)
        .initializer("TILED ? null : new $T[$L]", num.scalar(), size).build();
  }

  private static FieldSpec buffer(com.palantir.javapoet.TypeName type, String name, String doc, Object... args) {
    return FieldSpec.builder(type, name).addJavadoc(doc + "\n", args).build();
  }
}
