package dev.unroll.processor.api;

import dev.unroll.SelfCheck;
import dev.unroll.SequenceModel;
import dev.unroll.processor.testing.TestModels;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What a {@code selfCheck()} costs, measured, not asserted: a plain timed loop, run only on request,
 * {@code mvn -pl processor test -Dtest=SelfCheckCost -Dunroll.bench=Rolled64,Kernel32} (the models named,
 * in that order; the first call of the first one also pays for loading the runtime's check code). Times
 * the generated {@code selfCheck()} and the check as it was before ({@link SelfChecksBefore}) alternately,
 * 41 calls each, so that a loaded machine slows both alike; {@code -Dunroll.bench.beforeFirst=true}
 * runs the old one first in each pair (its first call is then the model's first). Prints the first call
 * and the median and fastest of the 40 warm calls of each.
 */
class SelfCheckCost {
  private static final Map<String, String> MODELS = new LinkedHashMap<>();

  static {
    MODELS.put("Rolled64", "@Lstm(units = 64, timesteps = 40, features = 5)");
    MODELS.put("Kernel32", "@Lstm(units = 32, timesteps = 24, features = 3)");
    MODELS.put("Rolled64f", "@Float32\n@Lstm(units = 64, timesteps = 40, features = 5)");
    MODELS.put("Kernel32f", "@Float32\n@Lstm(units = 32, timesteps = 24, features = 3)");
    MODELS.put("Gru64", "@Gru(units = 64, timesteps = 40, features = 5)");
    MODELS.put("Forecaster", "@Lstm(units = 32, timesteps = 24, features = 3, returnSequences = true)\n"
        + "@Lstm(units = 16)\n@Dense(units = 1)");
    MODELS.put("Masked64", "@Input(timesteps = 40, features = 5)\n{\n  @Masking(maskValue = 0.0) Layer masking();\n"
        + "  @Lstm(units = 64, returnSequences = true) Layer lstm();\n  @Dense(units = 1) Layer dense();\n}");
  }

  @Test
  @EnabledIfSystemProperty(named = "unroll.bench", matches = ".+")
  void measure() {
    List<String> names = List.of(System.getProperty("unroll.bench").split(","));
    Map<String, String> declarations = new LinkedHashMap<>();
    for (String name : names) {
      String annotations = MODELS.get(name);
      int body = annotations.indexOf("\n{\n");
      declarations.put(name, body < 0 ? annotations + "\ninterface " + name + " {}\n"
          : annotations.substring(0, body) + "\ninterface " + name + " " + annotations.substring(body + 1) + "\n");
    }
    TestModels.Compiled compiled = TestModels.compileTypes(declarations);
    boolean beforeFirst = Boolean.getBoolean("unroll.bench.beforeFirst");
    for (String name : names) {
      SequenceModel model = compiled.model(name);
      boolean float32 = MODELS.get(name).contains("@Float32");
      // the check as it is (the generated selfCheck) and as it was (per-entry differences), alternately
      double[] now = new double[41];
      double[] before = new double[41];
      SelfCheck report = null;
      SelfCheck old = null;
      for (int i = 0; i < now.length; i++) {
        for (int which = 0; which < 2; which++) {
          boolean timeBefore = (which == 0) == beforeFirst;
          long start = System.nanoTime();
          if (timeBefore) {
            old = SelfChecksBefore.run(TestModels.newModel(model.getClass()), null, float32);
            before[i] = (System.nanoTime() - start) / 1e6;
          } else {
            report = model.selfCheck();
            now[i] = (System.nanoTime() - start) / 1e6;
          }
        }
      }
      // what a check is made of: a new instance (drawing the weights), one forward pass, one gradients call
      double[] parts = new double[3];
      dev.unroll.Tensor x = dev.unroll.Tensor.wrap(dev.unroll.internal.SelfChecks.input(model.inputShape()[0],
          model.inputShape()[1]), 2, model.inputShape()[0], model.inputShape()[1]);
      dev.unroll.Tensor y = model.predict(x);
      dev.unroll.Tensor dy = dev.unroll.Tensor.zeros(y.shape());
      java.util.Arrays.fill(dy.data(), 1);
      double[][] samples = new double[3][21];
      for (int i = 0; i < 21; i++) {
        long start = System.nanoTime();
        TestModels.newModel(model.getClass());
        samples[0][i] = (System.nanoTime() - start) / 1e6;
        start = System.nanoTime();
        model.predict(x, y);
        samples[1][i] = (System.nanoTime() - start) / 1e6;
        start = System.nanoTime();
        model.gradients(x, dy);
        samples[2][i] = (System.nanoTime() - start) / 1e6;
      }
      for (int k = 0; k < 3; k++) {
        parts[k] = min(samples[k]);
      }
      System.out.printf("COST %-10s parts (fastest): new instance %.2f ms, forward %.2f ms, gradients %.2f ms%n", name,
          parts[0], parts[1], parts[2]);
      System.out.printf("COST %-10s now:    first %7.1f ms, warm median %6.2f ms (fastest %6.2f)%n", name, now[0],
          median(now), min(now));
      System.out.printf("COST %-10s before: first %7.1f ms, warm median %6.2f ms (fastest %6.2f)%n%s%n%s%n", name,
          before[0], median(before), min(before), report, old);
    }
  }

  private static double median(double[] calls) {
    double[] warm = Arrays.copyOfRange(calls, 1, calls.length);
    Arrays.sort(warm);
    return warm[warm.length / 2];
  }

  private static double min(double[] calls) {
    return Arrays.stream(calls, 1, calls.length).min().orElseThrow();
  }
}
