package dev.unroll.examples.bench;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Before timing anything, checks that every benchmarked implementation computes what the generated
 * model computes: the EJML baseline, on the same weights and inputs, outputs
 * and every gradient. Run by {@code examples/bench/compare.sh} ahead of JMH:
 *
 * <pre>java -cp examples/target/benchmarks.jar dev.unroll.examples.bench.Check [config...]</pre>
 *
 * Exits with status 1 on a mismatch. Not a test: it never times anything.
 */
public final class Check {
  private Check() {}

  private static int failures;

  public static void main(String[] args) {
    List<BenchConfig> configs = new ArrayList<>();
    for (String a : args) {
      configs.add(BenchConfig.of(a));
    }
    if (configs.isEmpty()) {
      configs.addAll(List.of(BenchConfig.values()));
    }
    for (BenchConfig c : configs) {
      for (String p : List.of("float64", "float32")) {
        checkBaseline(c, p);
      }
    }
    if (failures > 0) {
      System.out.println("check: " + failures + " mismatches");
      System.exit(1);
    }
    System.out.println("check: every implementation agrees with the generated models");
  }

  private static void checkBaseline(BenchConfig c, String precision) {
    SequenceModel model = BenchModels.create(c, precision);
    BaselineLstm base = BaselineLstm.create(c, precision, model.getWeights());
    Tensor x = BenchData.input(c);
    Tensor dOut = BenchData.dOutput(c);
    Tensor want = model.predict(x);
    Tensor got = Tensor.zeros(c.batch, c.timesteps, c.units);
    base.predict(x, got);
    String what = "baseline " + c.id() + " " + precision;
    compare(what + " output", want.data(), got.data(), precision);
    Gradients g = model.gradients(x, dOut);
    base.gradients(x, dOut);
    List<double[]> bw = base.weightGradients();
    for (int k = 0; k < 3; k++) {
      compare(what + " dWeights[" + k + "]", g.weights().get(k).data(), bw.get(k), precision);
    }
    compare(what + " dInput", g.input().data(), base.inputGradient(), precision);
  }

  /**
   * Compares two arrays: the largest difference, relative to the largest magnitude of {@code want},
   * must stay under 1e-9 in float64 and 1e-4 in float32 (summation orders differ).
   */
  static void compare(String what, double[] want, double[] got, String precision) {
    double tol = BenchModels.isFloat32(precision) ? 1e-4 : 1e-9;
    if (want.length != got.length) {
      System.out.println("MISMATCH " + what + ": lengths " + want.length + " and " + got.length);
      failures++;
      return;
    }
    double scale = 1e-30;
    double diff = 0;
    for (int k = 0; k < want.length; k++) {
      scale = Math.max(scale, Math.abs(want[k]));
      diff = Math.max(diff, Math.abs(want[k] - got[k]));
    }
    if (!(diff / scale <= tol)) {
      System.out.printf("MISMATCH %s: max |diff| %.3g, relative to max %.3g: %.3g > %.1g%n", what, diff, scale,
          diff / scale, tol);
      failures++;
    }
  }
}
