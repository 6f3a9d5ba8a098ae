package dev.unroll.examples.bench;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import java.util.List;

/**
 * The phase-2 experiments' correctness checks, run by {@link Check}: each ExpTuned* copy, with the
 * levers of this JVM ({@code -Dexp.levers=...}), against the generated model: outputs, gradients and
 * a streamed sequence.
 */
final class Experiments {
  private Experiments() {}

  static void check(List<BenchConfig> configs) {
    System.out.println("experiment ExpGateMath: " + ExpGateMath.accuracy());
    for (BenchConfig c : configs) {
      if (c == BenchConfig.SEED1 || c == BenchConfig.SEED2) {
        continue;
      }
      for (String p : List.of("float64", "float32")) {
        SequenceModel gen = BenchModels.create(c, p);
        ExpModel exp = ExpModel.create(c, p);
        exp.setWeights(gen.getWeights());
        Tensor x = BenchData.input(c);
        Tensor dOut = BenchData.dOutput(c);
        String what = "experiment " + c.id() + " " + p + " levers=" + ExpLevers.SPEC;
        Check.compare(what + " output", gen.predict(x).data(),
            exp.predict(x, Tensor.zeros(c.batch, c.timesteps, c.units)).data(), p);
        Gradients want = gen.gradients(x, dOut);
        Gradients got = exp.gradients(x, dOut, gen.gradients(x, dOut));
        for (int k = 0; k < 3; k++) {
          Check.compare(what + " dWeights[" + k + "]", want.weights().get(k).data(), got.weights().get(k).data(), p);
        }
        Check.compare(what + " dInput", want.input().data(), got.input().data(), p);
        Check.compare(what + " dh0", want.initialState().get(0).data(), got.initialState().get(0).data(), p);
        Stepper s = gen.stepper();
        double[] a = new double[c.units];
        double[] b = new double[c.units];
        double[] x1 = BenchData.normal(99, c.features).data();
        for (int t = 0; t < 20; t++) {
          s.step(x1, a);
          exp.step(x1, b);
        }
        Check.compare(what + " stream", a, b, p);
      }
    }
  }
}
