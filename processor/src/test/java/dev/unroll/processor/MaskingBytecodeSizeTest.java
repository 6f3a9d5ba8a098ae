package dev.unroll.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.processor.model.Planner;
import dev.unroll.processor.testing.ClassFiles;
import dev.unroll.processor.testing.ModelCompiler;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Masked models keep every generated method under HotSpot's 8000-byte JIT limit: the masked step's
 * extra calls sit in the step methods, so the written-out cap, long rolled sequences, the kernel form
 * at 512 units (tiled products) and Bidirectional layers are measured with a Masking layer first.
 */
class MaskingBytecodeSizeTest {

  @ParameterizedTest(name = "T = {0}, F = {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      // the largest written-out LSTM, unrolled over 32 steps
      "32|12|@Lstm(units = 4, returnSequences = true) Layer a(); @Lstm(units = 4) Layer b();",
      // rolled loops
      "1000|3|@Lstm(units = 8, returnSequences = true, goBackwards = true) Layer a(); @Gru(units = 8) Layer b();",
      // the kernel form, tiled, unrolled over 8 steps
      "8|16|@Lstm(units = 512, returnSequences = true) Layer a(); @Dense(units = 4) Layer b();",
      "1000|3|@Bidirectional @Lstm(units = 32, returnSequences = true) Layer a(); "
          + "@Bidirectional(mergeMode = MergeMode.MUL) @Gru(units = 8) Layer b();"})
  void everyMethodStaysUnderTheJitLimit(int timesteps, int features, String layers) {
    String source = "package test;\n\nimport dev.unroll.*;\n\n@Input(timesteps = " + timesteps + ", features = "
        + features + ")\ninterface M {\n  @Masking(maskValue = -1) Layer masking();\n  "
        + layers.replace("; ", ";\n  ") + "\n}\n";
    Compilation c = ModelCompiler.compile("test.M", source, ModelCompiler.LINT);
    assertEquals(Compilation.Status.SUCCESS, c.status(), () -> c.diagnostics().toString());
    int largest = 0;
    String where = "";
    for (Map.Entry<String, byte[]> cls : ModelCompiler.classFiles(c).entrySet()) {
      for (Map.Entry<String, Integer> method : ClassFiles.codeLengths(cls.getValue()).entrySet()) {
        assertTrue(method.getValue() < Planner.HUGE_METHOD_LIMIT, cls.getKey() + "." + method.getKey() + " has "
            + method.getValue() + " bytes of bytecode, over HotSpot's limit of " + Planner.HUGE_METHOD_LIMIT);
        if (method.getValue() > largest) {
          largest = method.getValue();
          where = cls.getKey() + "." + method.getKey();
        }
      }
    }
    System.out.println("masked, T = " + timesteps + ": largest method " + where + ", " + largest + " bytes");
  }
}
