package dev.unroll.processor.writer;

import static com.palantir.javapoet.TypeName.INT;
import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.STATIC;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.Activation;
import dev.unroll.processor.model.DenseLayer;
import java.util.List;

/**
 * Writes the nested class of one Dense layer: {@code y = activation(x @ kernel + bias)} on
 * {@code rows} rows at once (the batch, or every timestep of every sample), its backward pass, and
 * a one-sample version for the stepper.
 */
final class DenseLayerWriter implements LayerWriter {
  private final DenseLayer layer;
  private final Numeric num;
  private final String className;
  private final ClassName type;

  DenseLayerWriter(DenseLayer layer, Numeric num, ClassName model) {
    this.layer = layer;
    this.num = num;
    this.className = Names.layerClass(layer.name());
    this.type = model.nestedClass(className);
  }

  // ---------------------------------------------------------------------------------------------
  // Ports (see LayerWriter): x and y hold every row, the steps of a sequence time-major

  @Override
  public DenseLayer layer() {
    return layer;
  }

  @Override
  public ClassName type() {
    return type;
  }

  @Override
  public CodeBlock weight(int i) {
    return CodeBlock.of("$N.$L", field(), i == 0 ? "kernel.data" : "bias");
  }

  @Override
  public CodeBlock gradient(int i) {
    return CodeBlock.of("$N.$L.data", field(), i == 0 ? "dKernel" : "dBias");
  }

  @Override
  public CodeBlock onWeightsChanged() {
    return CodeBlock.of("");
  }

  @Override
  public CodeBlock input() {
    return CodeBlock.of("$N.x.data", field());
  }

  @Override
  public CodeBlock sequence() {
    return CodeBlock.of("$N.y.data", field());
  }

  @Override
  public CodeBlock sequenceOffset() {
    return CodeBlock.of("0");
  }

  @Override
  public CodeBlock last() {
    return CodeBlock.of("$N.y.data", field());
  }

  /** The last step's rows: the last block of y when per timestep, else all of y. */
  @Override
  public CodeBlock lastOffset() {
    return layer.perTimestep() ? CodeBlock.of("(TIMESTEPS - 1) * batch * $L", layer.units()) : CodeBlock.of("0");
  }

  @Override
  public CodeBlock dSequence() {
    return CodeBlock.of("$N.dy.data", field());
  }

  @Override
  public CodeBlock dLast() {
    return CodeBlock.of("$N.dy.data", field());
  }

  @Override
  public CodeBlock dInput() {
    return CodeBlock.of("$N.dx.data", field());
  }

  @Override
  public StepperPart stepper(String input) {
    String f = field();
    return new StepperPart(List.of(new StateArray(f + "Y", layer.units())),
        CodeBlock.of("$N.applyOne($N, $N);\n", f, input, f + "Y"), f + "Y");
  }

  @Override
  public TypeSpec write() {
    int in = layer.inputs();
    int u = layer.units();
    String act = Names.math(layer.activation());
    TypeSpec.Builder type = TypeSpec.classBuilder(className)
        .addModifiers(PRIVATE, STATIC, FINAL)
        .addJavadoc("Layer {@code $L}: Dense, $L $L -> $L $L, y = $L(x @ kernel$L), $L.\n", layer.name(), in,
            ModelContext.plural(in, "input"), u, ModelContext.plural(u, "unit"), act,
            layer.useBias() ? " + bias" : "",
            layer.perTimestep() ? "applied to each of the " + layer.timesteps() + " timesteps" : "applied to each sample")
        .addJavadoc("Rows are time-major when per timestep: row {@code t*batch + b}.\n");
    type.addField(LstmLayerWriter.constant("INPUTS", in, "Width of x."));
    type.addField(LstmLayerWriter.constant("UNITS", u, "Width of y."));
    type.addField(LstmLayerWriter.constant("ROWS_PER_SAMPLE", Math.max(1, layer.timesteps()),
        layer.perTimestep() ? "Rows per sample: one per timestep." : "Rows per sample: one."));
    type.addField(FieldSpec.builder(num.matrix(), "kernel", FINAL)
        .addJavadoc("kernel: ($L, $L).\n", in, u)
        .initializer("new $T(INPUTS, UNITS)", num.matrix()).build());
    if (layer.useBias()) {
      type.addField(FieldSpec.builder(num.array(), "bias", FINAL)
          .addJavadoc("bias: ($L,).\n", u)
          .initializer("new $T[UNITS]", num.scalar()).build());
    }
    type.addField(FieldSpec.builder(INT, "rows").addJavadoc("Rows the buffers hold: ROWS_PER_SAMPLE * batch.\n").build());
    type.addField(FieldSpec.builder(num.matrix(), "x").addJavadoc("x: (rows, $L).\n", in).build());
    type.addField(FieldSpec.builder(num.matrix(), "y").addJavadoc("y: (rows, $L).\n", u).build());
    type.addField(FieldSpec.builder(num.matrix(), "dy")
        .addJavadoc("dL/dy from above, then dL/d(x @ kernel + bias): (rows, $L). Sized on first use.\n", u).build());
    type.addField(FieldSpec.builder(num.matrix(), "dx").addJavadoc("dL/dx: (rows, $L).\n", in).build());
    type.addField(FieldSpec.builder(num.matrix(), "dKernel", FINAL)
        .initializer("new $T(INPUTS, UNITS)", num.matrix()).build());
    if (layer.useBias()) {
      type.addField(FieldSpec.builder(num.matrix(), "dBias", FINAL)
          .initializer("new $T(1, UNITS)", num.matrix()).build());
    }
    type.addMethod(MethodSpec.methodBuilder("initialize")
        .addParameter(Names.SPLITTABLE_RANDOM, "rng")
        .addComment("kernel_initializer = glorot_uniform; bias_initializer = zeros")
        .addStatement("$T.glorotUniform(rng, kernel.data, INPUTS, UNITS)", Names.INITIALIZERS)
        .build());
    type.addMethod(MethodSpec.methodBuilder("resize")
        .addParameter(INT, "batch")
        .beginControlFlow("if (ROWS_PER_SAMPLE * batch == rows)")
        .addStatement("return")
        .endControlFlow()
        .addStatement("rows = ROWS_PER_SAMPLE * batch")
        .addStatement("x = new $T(rows, INPUTS)", num.matrix())
        .addStatement("y = new $T(rows, UNITS)", num.matrix())
        .addStatement("dy = null")
        .build());
    type.addMethod(MethodSpec.methodBuilder("startBackward")
        .beginControlFlow("if (dy != null)")
        .addStatement("return")
        .endControlFlow()
        .addStatement("dy = new $T(rows, UNITS)", num.matrix())
        .addStatement("dx = new $T(rows, INPUTS)", num.matrix())
        .build());
    type.addMethod(forward());
    type.addMethod(backward());
    type.addMethod(applyOne());
    return type.build();
  }

  private MethodSpec forward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward")
        .addJavadoc("y = $L(x @ kernel$L) for every row.\n", Names.math(layer.activation()), layer.useBias() ? " + bias" : "")
        .addComment("x @ kernel: (rows, $L) @ ($L, $L) -> (rows, $L)", layer.inputs(), layer.inputs(), layer.units(),
            layer.units())
        .addStatement("$T.mult(x, kernel, y)", num.ops())
        .addStatement("final $T[] ys = y.data", num.scalar())
        .beginControlFlow("for (int r = 0; r < rows; r++)")
        .addStatement("int o = r * UNITS");
    if (layer.useBias() || layer.activation() != Activation.SOFTMAX) {
      m.beginControlFlow("for (int j = 0; j < UNITS; j++)");
      String value = layer.useBias() ? "ys[o + j] + bias[j]" : "ys[o + j]";
      if (layer.activation() == Activation.SOFTMAX || layer.activation() == Activation.LINEAR) {
        m.addStatement("ys[o + j] = $L", value);
      } else {
        m.addStatement("ys[o + j] = $T.$L($L)", Names.ACTIVATIONS, Names.function(layer.activation()), value);
      }
      m.endControlFlow();
    }
    if (layer.activation() == Activation.SOFTMAX) {
      m.addComment("softmax over the $L units of the row", layer.units())
          .addStatement("$T.softmax(ys, o, UNITS)", Names.ACTIVATIONS);
    }
    return m.endControlFlow().build();
  }

  private MethodSpec backward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("backward")
        .addJavadoc("From dL/dy in {@code dy}: the gradients of kernel$L and dL/dx.\n", layer.useBias() ? ", bias" : "");
    if (layer.activation() == Activation.SOFTMAX) {
      m.addComment("dL/d(pre-activation) = y * (dy - sum_k y_k dy_k), row by row")
          .beginControlFlow("for (int r = 0; r < rows; r++)")
          .addStatement("$T.softmaxBackward(y.data, dy.data, r * UNITS, UNITS)", Names.ACTIVATIONS)
          .endControlFlow();
    } else if (layer.activation() != Activation.LINEAR) {
      m.addComment("dL/d(pre-activation) = dy * $L'(.), from the output y", Names.math(layer.activation()))
          .addStatement("final $T[] ys = y.data", num.scalar())
          .addStatement("final $T[] ds = dy.data", num.scalar())
          .beginControlFlow("for (int i = 0; i < rows * UNITS; i++)")
          .addStatement("ds[i] *= $T.$L(ys[i])", Names.ACTIVATIONS, Names.derivative(layer.activation()))
          .endControlFlow();
    }
    m.addComment("dkernel = x^T @ dy: ($L, rows) @ (rows, $L)", layer.inputs(), layer.units())
        .addStatement("$T.multTransA(x, dy, dKernel)", num.ops());
    if (layer.useBias()) {
      m.addComment("dbias = the column sums of dy")
          .addStatement("$T.sumCols(dy, dBias)", num.ops());
    }
    return m.addComment("dx = dy @ kernel^T: (rows, $L) @ ($L, $L)", layer.units(), layer.units(), layer.inputs())
        .addStatement("$T.multTransB(dy, kernel, dx)", num.ops())
        .build();
  }

  private MethodSpec applyOne() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("applyOne")
        .addJavadoc("One sample, for the stepper: out = $L(in @ kernel$L).\n", Names.math(layer.activation()),
            layer.useBias() ? " + bias" : "")
        .addParameter(num.array(), "in")
        .addParameter(num.array(), "out")
        .addStatement("final $T[] ks = kernel.data", num.scalar())
        .beginControlFlow("for (int j = 0; j < UNITS; j++)")
        .addStatement("out[j] = $L", layer.useBias() ? "bias[j]" : num.literal(0))
        .endControlFlow()
        .beginControlFlow("for (int k = 0; k < INPUTS; k++)")
        .addStatement("$T xk = in[k]", num.scalar())
        .addStatement("int ko = k * UNITS")
        .beginControlFlow("for (int j = 0; j < UNITS; j++)")
        .addStatement("out[j] += xk * ks[ko + j]")
        .endControlFlow()
        .endControlFlow();
    if (layer.activation() == Activation.SOFTMAX) {
      m.addStatement("$T.softmax(out, 0, UNITS)", Names.ACTIVATIONS);
    } else if (layer.activation() != Activation.LINEAR) {
      m.beginControlFlow("for (int j = 0; j < UNITS; j++)")
          .addStatement("out[j] = $T.$L(out[j])", Names.ACTIVATIONS, Names.function(layer.activation()))
          .endControlFlow();
    }
    return m.build();
  }
}
