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
 * in that order; the first call of the first one also pays for loading the runtime's check code). Prints
 * the first call and the median, fastest and slowest of 40 warm calls of each model.
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
    for (String name : names) {
      SequenceModel model = compiled.model(name);
      long start = System.nanoTime();
      SelfCheck report = model.selfCheck();
      double first = (System.nanoTime() - start) / 1e6;
      double[] warm = new double[40];
      for (int i = 0; i < warm.length; i++) {
        start = System.nanoTime();
        model.selfCheck();
        warm[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(warm);
      System.out.printf("COST %-10s first %7.1f ms, warm median %6.2f ms (fastest %6.2f, slowest %6.2f)%n%s%n", name,
          first, warm[warm.length / 2], warm[0], warm[warm.length - 1], report);
    }
  }
}
