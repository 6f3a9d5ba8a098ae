package dev.unroll.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.ModelCompiler;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void compilesAndRuns() {
    SequenceModel m = ModelCompiler.model("units = 4, timesteps = 5, features = 3");
    assertEquals(4 * (3 * 4 + 16 + 4), m.paramCount());
    Tensor y = m.predict(Tensor.zeros(2, 5, 3));
    assertArrayEquals(new int[] {2, 4}, y.shape());
  }
}
