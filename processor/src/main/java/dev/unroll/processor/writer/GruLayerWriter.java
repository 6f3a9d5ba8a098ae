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
import dev.unroll.processor.model.GruLayer;
import java.util.List;

/**
 * Writes a Keras GRU layer as loops over its units, gate blocks z, r, h: {@code cell} is one step
 * of one sample, the class Javadoc's equations; {@code backwardCell} is its backpropagation, which
 * also adds the sample's share to the weights' gradients.
 *
 * <p>The buffers are those of every layer (see {@link LayerWriter}): x and h time-major, h with the
 * initial state in block 0. What backpropagation needs of the forward pass is kept per sample and
 * step in {@code kept}: z, r, ĥ and, with reset_after, h_{t-1}·U_h + b'_h (else r⊙h_{t-1}),
 * {@code UNITS} values each.
 */
final class GruLayerWriter implements RecurrentPorts {
  private final GruLayer layer;
  private final Numeric num;
  private final ClassName type;
  private final int u;
  private final int f;
  private final int gates;
  /** Whether the layer sees a Masking layer's mask. */
  private final boolean masked;

  GruLayerWriter(GruLayer layer, Numeric num, ClassName model, boolean masked) {
    this.masked = masked;
    this.layer = layer;
    this.num = num;
    this.type = model.nestedClass(Names.layerClass(layer.name()));
    this.u = layer.units();
    this.f = layer.features();
    this.gates = layer.gates();
  }

  // ---------------------------------------------------------------------------------------------
  // Ports

  @Override
  public GruLayer layer() {
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

  /** The row copies of W and U that the products read. */
  @Override
  public CodeBlock onWeightsChanged() {
    return CodeBlock.of("$N.weightsChanged();\n", field());
  }

  @Override
  public CodeBlock input() {
    return CodeBlock.of("$N.x", field());
  }

  @Override
  public CodeBlock sequence() {
    return CodeBlock.of("$N.h", field());
  }

  /** h_0 is block 1 of h: block 0 holds the initial state. */
  @Override
  public CodeBlock sequenceOffset() {
    return CodeBlock.of("batch * $L", u);
  }

  @Override
  public CodeBlock last() {
    return CodeBlock.of("$N.h", field());
  }

  @Override
  public CodeBlock lastOffset() {
    return CodeBlock.of("TIMESTEPS * batch * $L", u);
  }

  @Override
  public CodeBlock dSequence() {
    return CodeBlock.of("$N.dhSeq", field());
  }

  @Override
  public CodeBlock dLast() {
    return CodeBlock.of("$N.dh", field());
  }

  @Override
  public CodeBlock dInput() {
    return CodeBlock.of("$N.dx", field());
  }

  @Override
  public List<String> stateNames() {
    return List.of("h");
  }

  @Override
  public CodeBlock initialState(List<String> arrays) {
    return CodeBlock.of("$N.initialState($L);\n", field(), arrays.get(0));
  }

  @Override
  public CodeBlock dInitialState(int which) {
    return CodeBlock.of("$N.dh", field());
  }

  @Override
  public CodeBlock lastState(int which) {
    return last();
  }

  @Override
  public CodeBlock dLastState(int which) {
    return dLast();
  }

  @Override
  public boolean returnState() {
    return layer.returnState();
  }

  @Override
  public CodeBlock whereTheStepIs() {
    return CodeBlock.of("One step of one sample is {@code $L.cell}; backpropagation through time is\n"
        + "{@code $L.backwardCell}.\n", type.simpleName(), type.simpleName());
  }

  @Override
  public StepperPart stepper(String input) {
    String fd = field();
    return new StepperPart(
        List.of(new StateArray(fd + "H", u, "h"), new StateArray(fd + "Kept", 4 * u),
            new StateArray(fd + "S", gates), new StateArray(fd + "P", gates)),
        CodeBlock.of("$N.cell($N, 0, $N, 0, 0, $N, 0, $N, $N);\n", fd, input, fd + "H", fd + "Kept", fd + "S", fd + "P"),
        fd + "H");
  }

  // ---------------------------------------------------------------------------------------------
  // The class

  @Override
  public TypeSpec write() {
    int t = layer.timesteps();
    TypeSpec.Builder cls = TypeSpec.classBuilder(type.simpleName())
        .addModifiers(PRIVATE, STATIC, FINAL)
        .addJavadoc("Layer {@code $L}: a GRU of $L $L over $L $L of $L $L ({@link #cell} is one step of one sample).\n",
            layer.name(), u, plural(u, "unit"), t, plural(t, "timestep"), f, plural(f, "feature"))
        .addJavadoc("\n<p>Weights in Keras layout, row-major, columns in gate blocks z [0, $L) | r [$L, $L) | h [$L, $L):\n",
            u, u, 2 * u, 2 * u, 3 * u)
        .addJavadoc("<pre>\n")
        .addJavadoc("W  kernel            ($L, $L)   W[k][j] is kernel[$L * k + j]\n", f, gates, gates)
        .addJavadoc("U  recurrent kernel  ($L, $L)   U[k][j] is recurrentKernel[$L * k + j]\n", u, gates, gates)
        .addJavadoc("$L\n", !layer.useBias() ? "(no bias: useBias = false)"
            : layer.resetAfter() ? "b  bias              (2, " + gates + ")   row 0 b (input), row 1 b' (recurrent)"
            : "b  bias              (" + gates + ",)")
        .addJavadoc("</pre>\n")
        .addJavadoc("Buffers are time-major: row {@code t*batch + b} holds sample b at step t$L.\n",
            layer.goBackwards() ? " of processing (goBackwards: step t reads x_{T-1-t})" : "");
    cls.addField(LstmLayerWriter.constant("UNITS", u, "Width of h."));
    cls.addField(LstmLayerWriter.constant("FEATURES", f, "Width of x_t."));
    cls.addField(LstmLayerWriter.constant("TIMESTEPS", t, "Steps per sequence."));
    cls.addField(LstmLayerWriter.constant("GATES", gates, "Columns of W and U: the blocks z, r, h."));
    cls.addField(LstmLayerWriter.constant("KEPT", 4 * u, "Values kept per sample and step for backpropagation: z, r, "
        + "h~, and " + (layer.resetAfter() ? "h_{t-1} @ U_h + b'_h." : "r * h_{t-1}.")));
    cls.addField(weightField("kernel", "W: ($L, $L).", f, gates));
    cls.addField(weightField("recurrentKernel", "U: ($L, $L).", u, gates));
    if (layer.useBias()) {
      cls.addField(layer.resetAfter() ? weightField("bias", "b: ($L, $L), the input bias then the recurrent bias.", 2, gates)
          : weightField("bias", "b: ($L,).", gates));
    }
    cls.addField(rows("wRows", "W again, one array per row, for the product x_t @ W; refreshed by {@link #weightsChanged()}.",
        "FEATURES", "GATES"));
    cls.addField(rows("uRows", "U again, one array per row, for h_{t-1} @ U; refreshed by {@link #weightsChanged()}.",
        "UNITS", "GATES"));
    if (!layer.resetAfter()) {
      cls.addField(rows("uhRows", "U_h (the columns [2 * UNITS, GATES) of U), one array per row, for (r * h_{t-1}) @ U_h.",
          "UNITS", "UNITS"));
    }
    cls.addField(rows("uTRows", "U transposed, one array per row (" + gates + ", " + u + "), for dL/dh_{t-1} = dRec @ U^T; refreshed by\n"
        + "{@link #weightsChanged()}.", "GATES", "UNITS"));
    if (!layer.resetAfter()) {
      cls.addField(FieldSpec.builder(com.palantir.javapoet.ArrayTypeName.of(num.array()), "uhTRows", FINAL)
          .addJavadoc("U_h transposed: the rows [2 * UNITS, GATES) of uTRows, the same arrays, for d(r * h_{t-1}) = dh~ @ U_h^T.\n")
          .initializer("$T.copyOfRange(uTRows, 2 * UNITS, GATES)", Names.ARRAYS)
          .build());
    }
    cls.addField(rows("dKernelRows", "dL/dW by rows, summed over the steps and samples of a backward pass; into dKernel at its end.",
        "FEATURES", "GATES"));
    cls.addField(rows("dRecurrentKernelRows", "dL/dU by rows, as dKernelRows.", "UNITS", "GATES"));
    cls.addField(weightField("dKernel", "dL/dW, summed over the steps and samples of a backward pass: ($L, $L).", f, gates));
    cls.addField(weightField("dRecurrentKernel", "dL/dU: ($L, $L).", u, gates));
    if (layer.useBias()) {
      cls.addField(layer.resetAfter() ? weightField("dBias", "dL/db: ($L, $L).", 2, gates)
          : weightField("dBias", "dL/db: ($L,).", gates));
    }
    cls.addField(scratch("s", "The forward pass's scratch: x_t @ W + b of the sample in hand: ($L,).", gates));
    cls.addField(scratch("p", "The forward pass's scratch: the recurrent products of the sample in hand: ($L,).", gates));
    cls.addField(scratch("da", "One sample's dL/d(x_t @ W + b), by gate block: ($L,).", gates));
    cls.addField(scratch("dRec", "One sample's dL/d(its recurrent product), by gate block: ($L,).", gates));
    cls.addField(scratch("dhPrev", "One sample's dL/dh_{t-1}: ($L,).", u));
    if (!layer.resetAfter()) {
      cls.addField(scratch("drh", "One sample's dL/d(r * h_{t-1}): ($L,).", u));
    }
    cls.addField(FieldSpec.builder(INT, "batch")
        .addJavadoc("The number of samples the buffers are sized for; 0 before the first call.\n").build());
    cls.addField(buffer("x", "x, time-major: ($L*batch, $L).", t, f));
    cls.addField(buffer("h", "h: block 0 ({@code batch} rows) is h_{-1}, block t+1 is h_t: (($L+1)*batch, $L).", t, u));
    cls.addField(buffer("kept", "The forward pass's values for backpropagation, KEPT per sample and step: ($L*batch, $L).",
        t, 4 * u));
    if (layer.returnSequences()) {
      cls.addField(buffer("dhSeq", "dL/dh_t from above, time-major: ($L*batch, $L).", t, u));
    }
    if (masked) {
      cls.addField(MaskCode.field());
    }
    cls.addField(buffer("dh", "dL/dh_t carried from step t+1 to step t: (batch, $L); after backward, dL/dh_{-1}.", u));
    cls.addField(buffer("dx", "dL/dx, time-major: ($L*batch, $L). Sized on the first backward pass.", t, f));

    cls.addMethod(cell());
    cls.addMethod(forward());
    cls.addMethod(backwardCell());
    cls.addMethod(backward());
    cls.addMethod(initialize());
    cls.addMethod(weightsChanged());
    cls.addMethod(resize());
    cls.addMethod(startBackward());
    cls.addMethod(initialStateMethod());
    return cls.build();
  }

  private MethodSpec cell() {
    String rec = Names.function(layer.recurrentActivation());
    String act = Names.function(layer.activation());
    boolean bias = layer.useBias();
    MethodSpec.Builder m = MethodSpec.methodBuilder("cell")
        .addJavadoc("One GRU step of one sample: from x_t at {@code x[xi..]} and h_{t-1} at {@code h[si..]}, computes h_t\n")
        .addJavadoc("into {@code h[so..]} (so may be si) and keeps z, r, h~ and the recurrent product of h in {@code kept[ki..]}.\n")
        .addJavadoc("{@code s} and {@code p} are scratch of GATES values each.\n")
        .addParameter(num.array(), "x").addParameter(INT, "xi")
        .addParameter(num.array(), "h").addParameter(INT, "si").addParameter(INT, "so")
        .addParameter(num.array(), "kept").addParameter(INT, "ki")
        .addParameter(num.array(), "s").addParameter(num.array(), "p");
    m.addComment("s = x_t @ W$L: the input's share of each gate block z | r | h, a sum of rows of W", bias ? " + b" : "");
    m.addCode(biasOrZero("s", "0"))
        .addStatement("$T.addRowsProduct(s, x, xi, wRows, FEATURES, GATES)", Names.KERNELS);
    String rm = Names.math(layer.recurrentActivation());
    String am = Names.math(layer.activation());
    if (layer.resetAfter()) {
      m.addComment("p = h_{t-1} @ U$L, all three blocks (reset_after: r applies to the product)", bias ? " + b'" : "");
      m.addCode(biasOrZero("p", "GATES"))
          .addStatement("$T.addRowsProduct(p, h, si, uRows, UNITS, GATES)", Names.KERNELS);
    } else {
      m.addComment("p[0, 2 * UNITS) = h_{t-1} @ U, blocks z and r")
          .addStatement("$T.fill(p, 0, 2 * UNITS, $L)", Names.ARRAYS, num.literal(0))
          .addStatement("$T.addRowsProduct(p, h, si, uRows, UNITS, 2 * UNITS)", Names.KERNELS);
    }
    m.addComment("update gate z = $L(s + p) and reset gate r: blocks [0, $L), one call over both", rm, 2 * u)
        .beginControlFlow("for (int j = 0; j < 2 * UNITS; j++)")
        .addStatement("s[j] += p[j]")
        .endControlFlow()
        .addStatement("$T.$L(s, 0, 2 * UNITS)", Names.ACTIVATIONS, rec);
    if (layer.resetAfter()) {
      m.addComment("candidate h~ = $L(x_t @ W_h$L + r * (h_{t-1} @ U_h$L)): block [$L, $L)", am, bias ? " + b_h" : "",
              bias ? " + b'_h" : "", 2 * u, 3 * u)
          .beginControlFlow("for (int j = 0; j < UNITS; j++)")
          .addStatement("s[2 * UNITS + j] += s[UNITS + j] * p[2 * UNITS + j]")
          .endControlFlow()
          .addStatement("$T.$L(s, 2 * UNITS, GATES)", Names.ACTIVATIONS, act)
          .addComment("kept for backpropagation: z, r, h~, then h_{t-1} @ U_h$L", bias ? " + b'_h" : "")
          .addStatement("$T.arraycopy(s, 0, kept, ki, GATES)", System.class)
          .addStatement("$T.arraycopy(p, 2 * UNITS, kept, ki + 3 * UNITS, UNITS)", System.class);
    } else {
      m.addComment("r * h_{t-1}, kept: reset_after = false applies r before the product with U_h")
          .beginControlFlow("for (int k = 0; k < UNITS; k++)")
          .addStatement("kept[ki + 3 * UNITS + k] = s[UNITS + k] * h[si + k]")
          .endControlFlow()
          .addComment("p[0, UNITS) = (r * h_{t-1}) @ U_h")
          .addStatement("$T.fill(p, 0, UNITS, $L)", Names.ARRAYS, num.literal(0))
          .addStatement("$T.addRowsProduct(p, kept, ki + 3 * UNITS, uhRows, UNITS, UNITS)", Names.KERNELS)
          .addComment("candidate h~ = $L(x_t @ W_h$L + (r * h_{t-1}) @ U_h): block [$L, $L)", am, bias ? " + b_h" : "",
              2 * u, 3 * u)
          .beginControlFlow("for (int j = 0; j < UNITS; j++)")
          .addStatement("s[2 * UNITS + j] += p[j]")
          .endControlFlow()
          .addStatement("$T.$L(s, 2 * UNITS, GATES)", Names.ACTIVATIONS, act)
          .addComment("kept for backpropagation: z, r, h~")
          .addStatement("$T.arraycopy(s, 0, kept, ki, GATES)", System.class);
    }
    return m.addComment("h_t = z * h_{t-1} + (1 - z) * h~: unit j reads only h_{t-1}[j] after the products, so so may be si")
        .beginControlFlow("for (int j = 0; j < UNITS; j++)")
        .addCode("$T z = s[j]; // update gate\n", num.scalar())
        .addCode("$T hh = s[2 * UNITS + j]; // candidate h~\n", num.scalar())
        .addStatement("h[so + j] = z * h[si + j] + (1 - z) * hh")
        .endControlFlow()
        .build();
  }

  /** {@code dest[0, GATES)} = the bias row at {@code from} (0: b, GATES: b'), or zeros without a bias. */
  private CodeBlock biasOrZero(String dest, String from) {
    return layer.useBias() ? CodeBlock.of("$T.arraycopy(bias, $L, $L, 0, GATES);\n", System.class, from, dest)
        : CodeBlock.of("$T.fill($L, $L);\n", Names.ARRAYS, dest, num.literal(0));
  }

  private MethodSpec forward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward")
        .addJavadoc("The forward pass over the sequence in {@code x}: fills h and kept.\n")
        .beginControlFlow("for (int t = 0; t < TIMESTEPS; t++)")
        .beginControlFlow("for (int b = 0; b < batch; b++)")
        .addStatement("int row = t * batch + b");
    if (masked) {
      m.beginControlFlow("if (mask[$L + b])", MaskCode.row(layer))
          .addComment("Masking: a masked sample keeps h_{t-1} as h_t, and outputs the carried h")
          .addStatement("$T.arraycopy(h, row * UNITS, h, (row + batch) * UNITS, UNITS)", System.class)
          .addStatement("continue")
          .endControlFlow();
    }
    return m.addStatement("cell(x, row * FEATURES, h, row * UNITS, (row + batch) * UNITS, kept, row * KEPT, s, p)")
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  private MethodSpec backwardCell() {
    String recGrad = Names.derivative(layer.recurrentActivation());
    String actGrad = Names.derivative(layer.activation());
    boolean after = layer.resetAfter();
    MethodSpec.Builder m = MethodSpec.methodBuilder("backwardCell")
        .addModifiers(PRIVATE)
        .addJavadoc("BPTT through {@link #cell} for sample b at step t: from dL/dh_t in dh$L, computes dL/dx_t into dx,\n",
            layer.returnSequences() ? " and dhSeq" : "")
        .addJavadoc("adds the sample's share to the weights' gradients, and carries dL/dh_{t-1} back in dh.\n")
        .addParameter(INT, "t").addParameter(INT, "b")
        .addStatement("int row = t * batch + b")
        .addCode("int xi = row * FEATURES; // x_t\n")
        .addCode("int si = row * UNITS; // h_{t-1}: block t of h\n")
        .addCode("int ki = row * KEPT; // z, r, h~ and the recurrent product of this step\n")
        .addCode("int di = b * UNITS; // dL/dh_t of sample b\n")
        .addComment("dL/d(pre-activations) of z and h~, and the direct path of h_{t-1}")
        .beginControlFlow("for (int j = 0; j < UNITS; j++)")
        .addCode("$T d = dh[di + j]$L; // dL/dh_t\n", num.scalar(), layer.returnSequences() ? " + dhSeq[row * UNITS + j]" : "")
        .addStatement("$T z = kept[ki + j]", num.scalar())
        .addStatement("$T hh = kept[ki + 2 * UNITS + j]", num.scalar())
        .addCode("dhPrev[j] = d * z; // through h_t = z * h_{t-1} + ...\n")
        .addCode("da[j] = d * (h[si + j] - hh) * $T.$L(z); // dz\n", Names.ACTIVATIONS, recGrad)
        .addCode("da[2 * UNITS + j] = d * (1 - z) * $T.$L(hh); // dh~\n", Names.ACTIVATIONS, actGrad);
    if (after) {
      m.addStatement("$T r = kept[ki + UNITS + j]", num.scalar())
          .addComment("h~ = act(x W_h + b_h + r * q), q = h_{t-1} U_h + b'_h")
          .addCode("da[UNITS + j] = da[2 * UNITS + j] * kept[ki + 3 * UNITS + j] * $T.$L(r); // dr\n",
              Names.ACTIVATIONS, recGrad)
          .addStatement("dRec[j] = da[j]")
          .addStatement("dRec[UNITS + j] = da[UNITS + j]")
          .addCode("dRec[2 * UNITS + j] = da[2 * UNITS + j] * r; // dq\n")
          .endControlFlow();
    } else {
      m.endControlFlow()
          .addComment("h~ = act(x W_h + (r * h_{t-1}) U_h + b_h): d(r * h_{t-1}) = dh~ @ U_h^T, a sum of rows of U_h^T")
          .addStatement("$T.fill(drh, $L)", Names.ARRAYS, num.literal(0))
          .addStatement("$T.addRowsProduct(drh, da, 2 * UNITS, uhTRows, UNITS, UNITS)", Names.KERNELS)
          .beginControlFlow("for (int k = 0; k < UNITS; k++)")
          .addStatement("$T r = kept[ki + UNITS + k]", num.scalar())
          .addCode("da[UNITS + k] = drh[k] * h[si + k] * $T.$L(r); // dr\n", Names.ACTIVATIONS, recGrad)
          .addStatement("dhPrev[k] += drh[k] * r")
          .addStatement("dRec[k] = da[k]")
          .addStatement("dRec[UNITS + k] = da[UNITS + k]")
          .endControlFlow();
    }
    String recurrentBlocks = after ? "GATES" : "2 * UNITS";
    m.addComment("dL/dx_t = da @ W^T")
        .beginControlFlow("for (int k = 0; k < FEATURES; k++)")
        .addStatement("$T v = 0", num.scalar())
        .beginControlFlow("for (int j = 0; j < GATES; j++)")
        .addStatement("v += da[j] * kernel[k * GATES + j]")
        .endControlFlow()
        .addStatement("dx[xi + k] = v")
        .endControlFlow()
        .addComment("dL/dh_{t-1} = the direct path + dRec @ U^T$L: a sum of rows of U^T", after ? "" : " (blocks z and r)")
        .addStatement("$T.addRowsProduct(dhPrev, dRec, 0, uTRows, $L, UNITS)", Names.KERNELS, recurrentBlocks)
        .addStatement("$T.arraycopy(dhPrev, 0, dh, di, UNITS)", System.class)
        .addComment("the weights' gradients: dW += x_t^T @ da, dU += h_{t-1}^T @ dRec$L, row by row",
            after ? "" : " (z, r) and (r * h_{t-1})^T @ dh~ (h)")
        .beginControlFlow("for (int k = 0; k < FEATURES; k++)")
        .addStatement("$T xk = x[xi + k]", num.scalar())
        .addStatement("$T[] dw = dKernelRows[k]", num.scalar())
        .beginControlFlow("for (int j = 0; j < GATES; j++)")
        .addStatement("dw[j] += xk * da[j]")
        .endControlFlow()
        .endControlFlow()
        .beginControlFlow("for (int k = 0; k < UNITS; k++)")
        .addStatement("$T hk = h[si + k]", num.scalar())
        .addStatement("$T[] du = dRecurrentKernelRows[k]", num.scalar())
        .beginControlFlow("for (int j = 0; j < $L; j++)", recurrentBlocks)
        .addStatement("du[j] += hk * dRec[j]")
        .endControlFlow();
    if (!after) {
      m.addCode("$T rhk = kept[ki + 3 * UNITS + k]; // (r * h_{t-1})[k]\n", num.scalar())
          .beginControlFlow("for (int j = 2 * UNITS; j < GATES; j++)")
          .addStatement("du[j] += rhk * da[j]")
          .endControlFlow();
    }
    m.endControlFlow();
    if (layer.useBias()) {
      m.beginControlFlow("for (int j = 0; j < GATES; j++)")
          .addStatement("dBias[j] += da[j]");
      if (after) {
        m.addStatement("dBias[GATES + j] += dRec[j]");
      }
      m.endControlFlow();
    }
    return m.build();
  }

  private MethodSpec backward() {
    return MethodSpec.methodBuilder("backward")
        .addJavadoc("Backpropagation through time, after {@link #forward()} and {@link #startBackward()}: dh$L holds\n",
            layer.returnSequences() ? " and dhSeq" : "")
        .addJavadoc("dL/dh from above. Fills dKernel, dRecurrentKernel$L and dx; leaves dL/dh_{-1} in dh.\n",
            layer.useBias() ? ", dBias" : "")
        .beginControlFlow("for (int t = TIMESTEPS - 1; t >= 0; t--)")
        .beginControlFlow("for (int b = 0; b < batch; b++)")
        .addCode(maskedBackward())
        .addStatement("backwardCell(t, b)")
        .endControlFlow()
        .endControlFlow()
        .addComment("the weights' gradients, from their rows into the flat Keras layout")
        .addStatement("$T.fromRows(dKernelRows, dKernel, FEATURES, GATES)", Names.KERNELS)
        .addStatement("$T.fromRows(dRecurrentKernelRows, dRecurrentKernel, UNITS, GATES)", Names.KERNELS)
        .build();
  }

  /** The masked samples' backward step (see {@link ScalarLstmLayerWriter#maskedBackward}), or nothing. */
  private CodeBlock maskedBackward() {
    return masked ? ScalarLstmLayerWriter.maskedBackward(MaskCode.row(layer), layer.returnSequences(), num)
        : CodeBlock.of("");
  }

  private MethodSpec initialize() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("initialize")
        .addJavadoc("Keras's default initialisers, drawn from {@code rng}.\n")
        .addParameter(Names.SPLITTABLE_RANDOM, "rng")
        .addComment("kernel_initializer = glorot_uniform: U(-l, l), l = sqrt(6 / (fan_in + fan_out))")
        .addStatement("$T.glorotUniform(rng, kernel, FEATURES, GATES)", Names.INITIALIZERS)
        .addComment("recurrent_initializer = orthogonal: the rows of U are orthonormal")
        .addStatement("$T.orthogonal(rng, recurrentKernel, UNITS, GATES)", Names.INITIALIZERS);
    if (layer.useBias()) {
      m.addComment("bias_initializer = zeros");
    }
    return m.addStatement("weightsChanged()").build();
  }

  private MethodSpec weightsChanged() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("weightsChanged")
        .addJavadoc("Copies W and U into their row arrays; call after every change of the weights.\n")
        .addStatement("$T.toRows(kernel, wRows, FEATURES, GATES)", Names.KERNELS)
        .addStatement("$T.toRows(recurrentKernel, uRows, UNITS, GATES)", Names.KERNELS)
        .addStatement("$T.transpose(uRows, uTRows, UNITS, GATES)", Names.KERNELS);
    if (!layer.resetAfter()) {
      m.beginControlFlow("for (int k = 0; k < UNITS; k++)")
          .addStatement("$T.arraycopy(uRows[k], 2 * UNITS, uhRows[k], 0, UNITS)", System.class)
          .endControlFlow();
    }
    return m.build();
  }

  private MethodSpec resize() {
    return MethodSpec.methodBuilder("resize")
        .addJavadoc("Sizes the forward buffers for {@code batch} samples; allocates only when the batch size changes.\n")
        .addParameter(INT, "batch")
        .beginControlFlow("if (batch == this.batch)")
        .addStatement("return")
        .endControlFlow()
        .addStatement("this.batch = batch")
        .addStatement("x = new $T[TIMESTEPS * batch * FEATURES]", num.scalar())
        .addStatement("h = new $T[(TIMESTEPS + 1) * batch * UNITS]", num.scalar())
        .addStatement("kept = new $T[TIMESTEPS * batch * KEPT]", num.scalar())
        .addStatement("dx = null")
        .build();
  }

  private MethodSpec startBackward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("startBackward")
        .addJavadoc("Prepares a backward pass: zeroes the sums of the weights' gradients, sizes the backward buffers for\n")
        .addJavadoc("the current batch on the first backward pass at that size, and zeroes the carry dh, which the\n")
        .addJavadoc("caller then seeds with the gradient from above.\n")
        .beginControlFlow("for ($T[] row : dKernelRows)", num.scalar())
        .addStatement("$T.fill(row, $L)", Names.ARRAYS, num.literal(0))
        .endControlFlow()
        .beginControlFlow("for ($T[] row : dRecurrentKernelRows)", num.scalar())
        .addStatement("$T.fill(row, $L)", Names.ARRAYS, num.literal(0))
        .endControlFlow();
    if (layer.useBias()) {
      m.addStatement("$T.fill(dBias, $L)", Names.ARRAYS, num.literal(0));
    }
    m.beginControlFlow("if (dx != null)")
        .addStatement("$T.fill(dh, $L)", Names.ARRAYS, num.literal(0))
        .addStatement("return")
        .endControlFlow()
        .addStatement("dx = new $T[TIMESTEPS * batch * FEATURES]", num.scalar());
    if (layer.returnSequences()) {
      m.addStatement("dhSeq = new $T[TIMESTEPS * batch * UNITS]", num.scalar());
    }
    return m.addStatement("dh = new $T[batch * UNITS]", num.scalar()).build();
  }

  private MethodSpec initialStateMethod() {
    return MethodSpec.methodBuilder("initialState")
        .addJavadoc("Sets h_{-1}, block 0 of h: ({@code batch}, $L), or zero when null.\n", u)
        .addParameter(com.palantir.javapoet.ArrayTypeName.of(com.palantir.javapoet.TypeName.DOUBLE), "h0")
        .beginControlFlow("if (h0 == null)")
        .addStatement("$T.fill(h, 0, batch * UNITS, $L)", Names.ARRAYS, num.literal(0))
        .nextControlFlow("else")
        .addStatement("$T.copy(h0, 0, h, 0, batch * UNITS)", Names.LAYOUT)
        .endControlFlow()
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private FieldSpec weightField(String name, String doc, Object... args) {
    return FieldSpec.builder(num.array(), name, FINAL)
        .addJavadoc(doc + "\n", args)
        .initializer("new $T[$L]", num.scalar(), args.length == 2 ? args[0] + " * " + args[1] : args[0])
        .build();
  }

  private FieldSpec scratch(String name, String doc, int length) {
    return FieldSpec.builder(num.array(), name, FINAL)
        .addJavadoc(doc + "\n", length)
        .initializer("new $T[$L]", num.scalar(), length)
        .build();
  }

  private FieldSpec rows(String name, String doc, String n, String width) {
    return FieldSpec.builder(com.palantir.javapoet.ArrayTypeName.of(num.array()), name, FINAL)
        .addJavadoc(doc + "\n")
        .initializer("new $T[$L][$L]", num.scalar(), n, width)
        .build();
  }

  private FieldSpec buffer(String name, String doc, Object... args) {
    return FieldSpec.builder(num.array(), name).addJavadoc(doc + "\n", args).build();
  }
}
