package dev.unroll.examples;

import dev.unroll.Gate;
import dev.unroll.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * The classic question: "with input of shape (batch, timesteps, input_dim) and input_dim > 1, is x
 * still one value, and do the weights become arrays?" Two LSTMs of one unit, one with one feature
 * and one with two, answer it: x_t becomes a vector, each gate's kernel a (features, units) matrix,
 * and the parameter count goes from 12 to 16.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl examples exec:java}
 */
public final class ClassicQuestion {
  private ClassicQuestion() {}

  public static void main(String[] args) {
    UnrolledOneFeature one = new UnrolledOneFeature();
    UnrolledTwoFeatures two = new UnrolledTwoFeatures();

    System.out.println("== One feature: x_t is a single value ==");
    System.out.print(one.summary());
    describe(one.paramCount(), one.kernel(Gate.C), one.recurrentKernel(Gate.C), one.bias(Gate.C), one.getWeights());

    System.out.println();
    System.out.println("== Two features: x_t is a vector of 2 values ==");
    System.out.print(two.summary());
    describe(two.paramCount(), two.kernel(Gate.C), two.recurrentKernel(Gate.C), two.bias(Gate.C), two.getWeights());

    System.out.println();
    System.out.println("== A prediction: one sequence of one step, x_0 = [0.5, -1.0] ==");
    Tensor x = Tensor.of(new double[][][] {{{0.5, -1.0}}});
    Tensor h = two.predict(x);
    System.out.println("input  x   " + Tensor.format(x.shape()) + "  " + fmt(x.data()));
    System.out.println("output h_0 " + Tensor.format(h.shape()) + "     " + fmt(h.data()));
    System.out.println("(weights from the default seed " + UnrolledTwoFeatures.DEFAULT_SEED
        + ", initialised as Keras does: glorot_uniform, orthogonal, forget bias 1)");
  }

  private static void describe(int params, Tensor kernelC, Tensor recurrentC, Tensor biasC, List<Tensor> weights) {
    System.out.println("parameters: " + params);
    System.out.println("weights (Keras get_weights order): kernel " + Tensor.format(weights.get(0).shape())
        + ", recurrent_kernel " + Tensor.format(weights.get(1).shape())
        + ", bias " + Tensor.format(weights.get(2).shape()));
    System.out.println("cell-candidate gate: kernel_c " + Tensor.format(kernelC.shape()) + " = " + fmt(kernelC.data())
        + ", recurrent_kernel_c " + Tensor.format(recurrentC.shape())
        + ", bias_c " + Tensor.format(biasC.shape()));
  }

  private static String fmt(double[] values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      sb.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.6f", values[i]));
    }
    return sb.append(']').toString();
  }
}
