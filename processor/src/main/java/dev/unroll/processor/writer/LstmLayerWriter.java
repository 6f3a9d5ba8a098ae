package dev.unroll.processor.writer;

import static com.palantir.javapoet.TypeName.INT;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.Plan;

/**
 * Writes the nested class of one LSTM layer: its weights, its work buffers, the forward step and
 * the backward (BPTT) step, each specialised to the layer's constant shapes, and the time loops
 * that call them, unrolled or rolled as the plan says.
 *
 * <p>Buffers are time-major: row {@code t*batch + b} holds sample b at step t, so the rows of one
 * step are contiguous, and the input projection and the weight gradients are each one product over
 * all steps.
 */
final class LstmLayerWriter {
  private final LstmLayer layer;
  private final Plan.LayerPlan plan;
  private final Numeric num;
  private final String className;

  LstmLayerWriter(LstmLayer layer, Plan.LayerPlan plan, Numeric num) {
    this.layer = layer;
    this.plan = plan;
    this.num = num;
    this.className = Names.layerClass(layer.name());
  }

  String className() {
    return className;
  }

  TypeSpec write() {
    int u = layer.units();
    int f = layer.features();
    int t = layer.timesteps();
    int g = layer.gates();
    TypeSpec.Builder type = TypeSpec.classBuilder(className)
        .addModifiers(PRIVATE, STATIC, FINAL)
        .addJavadoc("Layer {@code $L}: an LSTM of $L $L over $L $L of $L $L.\n",
            layer.name(), u, plural(u, "unit"), t, plural(t, "timestep"), f, plural(f, "feature"))
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

    type.addField(FieldSpec.builder(num.matrix(), "kernel", FINAL)
        .addJavadoc("W: ($L, $L).\n", f, g)
        .initializer("new $T(FEATURES, GATES)", num.matrix()).build());
    type.addField(FieldSpec.builder(num.matrix(), "recurrentKernel", FINAL)
        .addJavadoc("U: ($L, $L).\n", u, g)
        .initializer("new $T(UNITS, GATES)", num.matrix()).build());
    type.addField(FieldSpec.builder(ArrayTypeName.of(num.array()), "uRows", FINAL)
        .addJavadoc("U again, one array per row, so that the step's inner loops index from 0 and vectorise;\n")
        .addJavadoc("refreshed from recurrentKernel by {@link #weightsChanged()}.\n")
        .initializer("new $T[UNITS][GATES]", num.scalar()).build());
    type.addField(FieldSpec.builder(ArrayTypeName.of(num.array()), "wRows", FINAL)
        .addJavadoc("W again, one array per row, for the stepper; refreshed by {@link #weightsChanged()}.\n")
        .initializer("new $T[FEATURES][GATES]", num.scalar()).build());
    type.addField(FieldSpec.builder(num.array(), "zRow", FINAL)
        .addJavadoc("z_t of one sample while a step computes it: ($L,).\n", g)
        .initializer("new $T[GATES]", num.scalar()).build());
    if (layer.useBias()) {
      type.addField(FieldSpec.builder(num.array(), "bias", FINAL)
          .addJavadoc("b: ($L,).\n", g)
          .initializer("new $T[GATES]", num.scalar()).build());
    }
    type.addField(FieldSpec.builder(INT, "batch")
        .addJavadoc("The number of samples the buffers are sized for; 0 before the first call.\n").build());
    type.addField(buffer(num.matrix(), "x", "x, time-major: ($L*batch, $L).", t, f));
    type.addField(buffer(num.matrix(), "z",
        "x_t @ W for every step, then z_t, then the gate values i, f, c~, o: ($L*batch, $L).", t, g));
    type.addField(buffer(num.array(), "h",
        "Hidden states: block 0 ({@code batch} rows) is the initial state h_{-1}, block t+1 is h_t: (($L+1)*batch, $L).", t, u));
    type.addField(buffer(num.array(), "c", "Cell states, in blocks as h: (($L+1)*batch, $L).", t, u));
    type.addField(buffer(num.array(), "actC",
        "$L(c_t), kept for backpropagation: ($L*batch, $L).", Names.math(layer.activation()), t, u));
    type.addField(buffer(num.matrix(), "dz", "dL/dz_t for every step: ($L*batch, $L). Sized on first use.", t, g));
    type.addField(buffer(num.matrix(), "dx", "dL/dx, time-major: ($L*batch, $L).", t, f));
    type.addField(buffer(num.matrix(), "hPrev",
        "A view of the first $L*batch rows of h: h_{t-1} of every step, ($L*batch, $L).", t, t, u));
    if (layer.returnSequences()) {
      type.addField(buffer(num.array(), "dhSeq",
          "dL/dh_t from above, time-major: ($L*batch, $L).", t, u));
    }
    type.addField(buffer(num.array(), "dh",
        "dL/dh_t carried from step t+1 to step t: (batch, $L); after backward, dL/dh_{-1}.", u));
    type.addField(buffer(num.array(), "dc",
        "dL/dc_t carried from step t+1 to step t: (batch, $L); after backward, dL/dc_{-1}.", u));
    type.addField(FieldSpec.builder(num.matrix(), "dKernel", FINAL)
        .initializer("new $T(FEATURES, GATES)", num.matrix()).build());
    type.addField(FieldSpec.builder(num.matrix(), "dRecurrentKernel", FINAL)
        .initializer("new $T(UNITS, GATES)", num.matrix()).build());
    if (layer.useBias()) {
      type.addField(FieldSpec.builder(num.matrix(), "dBias", FINAL)
          .initializer("new $T(1, GATES)", num.matrix()).build());
    }

    type.addMethod(initialize());
    type.addMethod(weightsChanged());
    type.addMethod(resize());
    type.addMethod(resizeBackward());
    type.addMethod(initialState());
    type.addMethod(forward());
    type.addMethod(step());
    type.addMethod(backward());
    type.addMethod(backwardStep());
    type.addMethod(stepOne());
    return type.build();
  }

  private MethodSpec weightsChanged() {
    return MethodSpec.methodBuilder("weightsChanged")
        .addJavadoc("Copies W and U into their row arrays; call after every change of the weights.\n")
        .beginControlFlow("for (int k = 0; k < UNITS; k++)")
        .addStatement("$T.arraycopy(recurrentKernel.data, k * GATES, uRows[k], 0, GATES)", System.class)
        .endControlFlow()
        .beginControlFlow("for (int k = 0; k < FEATURES; k++)")
        .addStatement("$T.arraycopy(kernel.data, k * GATES, wRows[k], 0, GATES)", System.class)
        .endControlFlow()
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
    return MethodSpec.methodBuilder("resize")
        .addJavadoc("Sizes the forward buffers for {@code batch} samples; allocates only when the batch size changes.\n")
        .addParameter(INT, "batch")
        .beginControlFlow("if (batch == this.batch)")
        .addStatement("return")
        .endControlFlow()
        .addStatement("this.batch = batch")
        .addStatement("x = new $T(TIMESTEPS * batch, FEATURES)", num.matrix())
        .addStatement("z = new $T(TIMESTEPS * batch, GATES)", num.matrix())
        .addStatement("h = new $T[(TIMESTEPS + 1) * batch * UNITS]", num.scalar())
        .addStatement("c = new $T[(TIMESTEPS + 1) * batch * UNITS]", num.scalar())
        .addStatement("actC = new $T[TIMESTEPS * batch * UNITS]", num.scalar())
        .addStatement("dz = null")
        .build();
  }

  private MethodSpec resizeBackward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("startBackward")
        .addJavadoc("Sizes the backward buffers for the current batch (on the first backward pass at that size) and\n")
        .addJavadoc("zeroes the carries dh and dc, which the caller then seeds with the gradients from above.\n")
        .beginControlFlow("if (dz != null)")
        .addStatement("$T.fill(dh, $L)", Names.ARRAYS, num.literal(0))
        .addStatement("$T.fill(dc, $L)", Names.ARRAYS, num.literal(0))
        .addStatement("return")
        .endControlFlow()
        .addStatement("dz = new $T(TIMESTEPS * batch, GATES)", num.matrix())
        .addStatement("dx = new $T(TIMESTEPS * batch, FEATURES)", num.matrix())
        .addStatement("hPrev = $T.wrap(TIMESTEPS * batch, UNITS, h)", num.matrix());
    if (layer.returnSequences()) {
      m.addStatement("dhSeq = new $T[TIMESTEPS * batch * UNITS]", num.scalar());
    }
    return m.addStatement("dh = new $T[batch * UNITS]", num.scalar())
        .addStatement("dc = new $T[batch * UNITS]", num.scalar())
        .build();
  }

  private MethodSpec initialState() {
    return MethodSpec.methodBuilder("initialState")
        .addJavadoc("Sets h_{-1} and c_{-1}, block 0 of h and c: ({@code batch}, $L) each, or zero when null.\n",
            layer.units())
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
    String rec = Names.math(layer.recurrentActivation());
    String act = Names.math(layer.activation());
    String r = Names.function(layer.recurrentActivation());
    String a = Names.function(layer.activation());
    MethodSpec.Builder m = MethodSpec.methodBuilder("stepOne")
        .addJavadoc("One step of one stream, for the stepper: h and c (length $L) go from h_{t-1}, c_{t-1} to\n",
            layer.units())
        .addJavadoc("h_t, c_t. {@code z} is scratch of length $L.\n", layer.gates())
        .addParameter(num.array(), "x")
        .addParameter(num.array(), "h")
        .addParameter(num.array(), "c")
        .addParameter(num.array(), "z");
    if (layer.useBias()) {
      m.addComment("z = b + x_t @ W + h_{t-1} @ U")
          .addStatement("$T.arraycopy(bias, 0, z, 0, GATES)", System.class);
    } else {
      m.addComment("z = x_t @ W + h_{t-1} @ U")
          .addStatement("$T.fill(z, $L)", Names.ARRAYS, num.literal(0));
    }
    m.beginControlFlow("for (int k = 0; k < FEATURES; k++)")
        .addStatement("$T xk = x[k]", num.scalar())
        .addStatement("final $T[] wk = wRows[k]", num.scalar())
        .beginControlFlow("for (int j = 0; j < GATES; j++)")
        .addStatement("z[j] += xk * wk[j]")
        .endControlFlow()
        .endControlFlow()
        .beginControlFlow("for (int k = 0; k < UNITS; k++)")
        .addStatement("$T hk = h[k]", num.scalar())
        .addStatement("final $T[] uk = uRows[k]", num.scalar())
        .beginControlFlow("for (int j = 0; j < GATES; j++)")
        .addStatement("z[j] += hk * uk[j]")
        .endControlFlow()
        .endControlFlow()
        .beginControlFlow("for (int j = 0; j < UNITS; j++)")
        .addCode("$T i = $T.$L(z[j]); $L\n", num.scalar(), Names.ACTIVATIONS, r, "// i = " + rec + "(z_i)")
        .addCode("$T f = $T.$L(z[UNITS + j]); $L\n", num.scalar(), Names.ACTIVATIONS, r, "// f = " + rec + "(z_f)")
        .addCode("$T g = $T.$L(z[2 * UNITS + j]); $L\n", num.scalar(), Names.ACTIVATIONS, a, "// c~ = " + act + "(z_c)")
        .addCode("$T o = $T.$L(z[3 * UNITS + j]); $L\n", num.scalar(), Names.ACTIVATIONS, r, "// o = " + rec + "(z_o)")
        .addCode("c[j] = f * c[j] + i * g; $L\n", "// c_t = f * c_{t-1} + i * c~")
        .addCode("h[j] = o * $T.$L(c[j]); $L\n", Names.ACTIVATIONS, a, "// h_t = o * " + act + "(c_t)")
        .endControlFlow();
    return m.build();
  }

  private MethodSpec forward() {
    int t = layer.timesteps();
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward")
        .addJavadoc("The forward pass over the sequence in {@code x}: fills z with the gate values, h, c and actC.\n")
        .addComment("x_t @ W for all $L steps at once, one product: ($L*batch, $L) @ ($L, $L) -> ($L*batch, $L)",
            t, t, layer.features(), layer.features(), layer.gates(), t, layer.gates())
        .addStatement("$T.mult(x, kernel, z)", num.ops());
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
    String rec = Names.math(layer.recurrentActivation());
    String act = Names.math(layer.activation());
    MethodSpec.Builder m = MethodSpec.methodBuilder("step")
        .addModifiers(PRIVATE)
        .addParameter(INT, "t")
        .addJavadoc("One LSTM step for every sample: from h_{t-1}, c_{t-1} and x_t @ W (row block t of z),\n")
        .addJavadoc("computes the gates, c_t and h_t.\n")
        .addStatement("final $T[] zs = z.data", num.scalar())
        .addStatement("final $T[] zr = zRow", num.scalar())
        .beginControlFlow("for (int b = 0; b < batch; b++)")
        .addStatement("int row = t * batch + b")
        .addCode("int zo = row * GATES; $L\n", "// z_t of sample b: GATES values, blocks i | f | c | o")
        .addCode("int prev = row * UNITS; $L\n", "// h_{t-1}, c_{t-1}: row b of block t")
        .addCode("int next = prev + batch * UNITS; $L\n", "// h_t, c_t: row b of block t+1")
        .addComment("z_t = x_t @ W$L, into a row indexed from 0 (so that the loops below vectorise)",
            layer.useBias() ? " + b" : "");
    if (layer.useBias()) {
      m.beginControlFlow("for (int j = 0; j < GATES; j++)")
          .addStatement("zr[j] = zs[zo + j] + bias[j]")
          .endControlFlow();
    } else {
      m.addStatement("$T.arraycopy(zs, zo, zr, 0, GATES)", System.class);
    }
    m.addComment("z_t += h_{t-1} @ U: (1, $L) @ ($L, $L), one row of U per unit of h", u, u, layer.gates())
        .beginControlFlow("for (int k = 0; k < UNITS; k++)")
        .addStatement("$T hk = h[prev + k]", num.scalar())
        .addStatement("final $T[] uk = uRows[k]", num.scalar())
        .beginControlFlow("for (int j = 0; j < GATES; j++)")
        .addStatement("zr[j] += hk * uk[j]")
        .endControlFlow()
        .endControlFlow()
        .addComment("The gates, one unit j at a time; blocks i [0, $L), f [$L, $L), c [$L, $L), o [$L, $L) of z_t",
            u, u, 2 * u, 2 * u, 3 * u, 3 * u, 4 * u)
        .beginControlFlow("for (int j = 0; j < UNITS; j++)")
        .addCode("$T i = $T.$L(zr[j]); $L\n", num.scalar(), Names.ACTIVATIONS,
            Names.function(layer.recurrentActivation()), "// i = " + rec + "(z_i)      input gate")
        .addCode("$T f = $T.$L(zr[UNITS + j]); $L\n", num.scalar(), Names.ACTIVATIONS,
            Names.function(layer.recurrentActivation()), "// f = " + rec + "(z_f)      forget gate")
        .addCode("$T g = $T.$L(zr[2 * UNITS + j]); $L\n", num.scalar(), Names.ACTIVATIONS,
            Names.function(layer.activation()), "// c~ = " + act + "(z_c)     cell candidate")
        .addCode("$T o = $T.$L(zr[3 * UNITS + j]); $L\n", num.scalar(), Names.ACTIVATIONS,
            Names.function(layer.recurrentActivation()), "// o = " + rec + "(z_o)      output gate")
        .addCode("$T ct = f * c[prev + j] + i * g; $L\n", num.scalar(), "// c_t = f * c_{t-1} + i * c~")
        .addStatement("$T at = $T.$L(ct)", num.scalar(), Names.ACTIVATIONS, Names.function(layer.activation()))
        .addComment("keep the gate values (in place of z), c_t and $L(c_t) for backpropagation", act)
        .addStatement("zs[zo + j] = i")
        .addStatement("zs[zo + UNITS + j] = f")
        .addStatement("zs[zo + 2 * UNITS + j] = g")
        .addStatement("zs[zo + 3 * UNITS + j] = o")
        .addStatement("c[next + j] = ct")
        .addStatement("actC[prev + j] = at")
        .addCode("h[next + j] = o * at; $L\n", "// h_t = o * " + act + "(c_t)")
        .endControlFlow()
        .endControlFlow();
    return m.build();
  }

  private MethodSpec backward() {
    int t = layer.timesteps();
    int f = layer.features();
    int u = layer.units();
    int g = layer.gates();
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
    m.addComment("The weights are shared by all steps: their gradients sum over steps, one product each")
        .addComment("dW = x^T @ dz: ($L, $L*batch) @ ($L*batch, $L) -> ($L, $L)", f, t, t, g, f, g)
        .addStatement("$T.multTransA(x, dz, dKernel)", num.ops())
        .addComment("dU = h_prev^T @ dz: ($L, $L*batch) @ ($L*batch, $L) -> ($L, $L)", u, t, t, g, u, g)
        .addStatement("$T.multTransA(hPrev, dz, dRecurrentKernel)", num.ops());
    if (layer.useBias()) {
      m.addComment("db = the column sums of dz: ($L,)", g)
          .addStatement("$T.sumCols(dz, dBias)", num.ops());
    }
    m.addComment("dx = dz @ W^T: ($L*batch, $L) @ ($L, $L) -> ($L*batch, $L)", t, g, g, f, t, f)
        .addStatement("$T.multTransB(dz, kernel, dx)", num.ops());
    return m.build();
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
        .addJavadoc("of dz) and carries dL/dh_{t-1}, dL/dc_{t-1} to the step before.\n")
        .addStatement("final $T[] zs = z.data", num.scalar())
        .addStatement("final $T[] dzs = dz.data", num.scalar())
        .addStatement("final $T[] us = recurrentKernel.data", num.scalar())
        .beginControlFlow("for (int b = 0; b < batch; b++)")
        .addStatement("int row = t * batch + b")
        .addStatement("int zo = row * GATES")
        .addCode("int prev = row * UNITS; $L\n", "// c_{t-1} in c, " + act + "(c_t) in actC")
        .addCode("int carry = b * UNITS; $L\n", "// this sample's dh, dc")
        .beginControlFlow("for (int j = 0; j < UNITS; j++)")
        .addStatement("$T i = zs[zo + j]", num.scalar())
        .addStatement("$T f = zs[zo + UNITS + j]", num.scalar())
        .addStatement("$T g = zs[zo + 2 * UNITS + j]", num.scalar())
        .addStatement("$T o = zs[zo + 3 * UNITS + j]", num.scalar())
        .addStatement("$T at = actC[prev + j]", num.scalar());
    if (layer.returnSequences()) {
      m.addCode("$T dht = dh[carry + j] + dhSeq[prev + j]; $L\n", num.scalar(),
          "// dL/dh_t: from step t+1 and from the output");
    } else {
      m.addCode("$T dht = dh[carry + j]; $L\n", num.scalar(), "// dL/dh_t");
    }
    m.addCode("$T dct = dc[carry + j] + dht * o * $T.$L(at); $L\n", num.scalar(), Names.ACTIVATIONS, dAct,
            "// dL/dc_t: from step t+1 and through h_t = o * " + act + "(c_t)")
        .addCode("dzs[zo + j] = dct * g * $T.$L(i); $L\n", Names.ACTIVATIONS, dRec,
            "// dz_i = dc_t * c~ * " + rec + "'")
        .addCode("dzs[zo + UNITS + j] = dct * c[prev + j] * $T.$L(f); $L\n", Names.ACTIVATIONS, dRec,
            "// dz_f = dc_t * c_{t-1} * " + rec + "'")
        .addCode("dzs[zo + 2 * UNITS + j] = dct * i * $T.$L(g); $L\n", Names.ACTIVATIONS, dAct,
            "// dz_c = dc_t * i * " + act + "'")
        .addCode("dzs[zo + 3 * UNITS + j] = dht * at * $T.$L(o); $L\n", Names.ACTIVATIONS, dRec,
            "// dz_o = dh_t * " + act + "(c_t) * " + rec + "'")
        .addCode("dc[carry + j] = dct * f; $L\n", "// dL/dc_{t-1} = dc_t * f")
        .endControlFlow()
        .addComment("dL/dh_{t-1} = dz_t @ U^T: (1, $L) @ ($L, $L)", layer.gates(), layer.gates(), layer.units())
        .beginControlFlow("for (int k = 0; k < UNITS; k++)")
        .addStatement("$T s = $L", num.scalar(), num.literal(0))
        .addStatement("int uo = k * GATES")
        .beginControlFlow("for (int j = 0; j < GATES; j++)")
        .addStatement("s += dzs[zo + j] * us[uo + j]")
        .endControlFlow()
        .addStatement("dh[carry + k] = s")
        .endControlFlow()
        .endControlFlow();
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

  private static FieldSpec buffer(com.palantir.javapoet.TypeName type, String name, String doc, Object... args) {
    return FieldSpec.builder(type, name).addJavadoc(doc + "\n", args).build();
  }

  static String plural(int n, String word) {
    return n == 1 ? word : word + "s";
  }
}
