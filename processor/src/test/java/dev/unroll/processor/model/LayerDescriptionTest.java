package dev.unroll.processor.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.Activation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one description of each layer kind: weights, counts and buffer sizes, without javac. */
class LayerDescriptionTest {

  static LstmLayer lstm(int units, int timesteps, int features, boolean useBias) {
    return new LstmLayer("lstm", units, timesteps, features, Activation.TANH, Activation.SIGMOID, useBias, useBias,
        false, false, false);
  }

  @Test
  void theSeedsCountsFromTheKerasWeights() {
    assertEquals(12, lstm(1, 1, 1, true).paramCount());
    assertEquals(16, lstm(1, 1, 2, true).paramCount());
    assertEquals(List.of("kernel (2, 4)", "recurrent_kernel (1, 4)", "bias (4,)"),
        lstm(1, 1, 2, true).weights().stream().map(Weight::toString).toList());
  }

  @ParameterizedTest
  @CsvSource({"1,1,true", "1,2,true", "32,3,true", "32,3,false", "7,11,false", "128,32,true"})
  void everyLstmCountIsKerasFormula(int units, int features, boolean useBias) {
    LstmLayer l = lstm(units, 5, features, useBias);
    long keras = 4L * (features * units + units * units + (useBias ? units : 0));
    assertEquals(keras, l.paramCount());
    assertEquals(keras, LstmLayer.paramCount(units, features, useBias));
    assertEquals(useBias ? 3 : 2, l.weights().size());
    assertArrayEquals(new int[] {features, 4 * units}, l.weights().get(0).shape());
    assertArrayEquals(new int[] {units, 4 * units}, l.weights().get(1).shape());
  }

  @Test
  void denseWeightsAndCounts() {
    DenseLayer d = new DenseLayer("dense", 5, 32, 0, Activation.LINEAR, true);
    assertEquals(32 * 5 + 5, d.paramCount());
    assertEquals("(32*5 + 5)", d.paramFormula());
    assertEquals("kernel (32, 5), bias (5,)",
        String.join(", ", d.weights().stream().map(Weight::toString).toList()));
    DenseLayer noBias = new DenseLayer("dense_1", 3, 4, 7, Activation.RELU, false);
    assertEquals(12, noBias.paramCount());
    assertArrayEquals(new int[] {7, 3}, noBias.outputShape());
    assertEquals(7L * 4, noBias.valuesPerSample());
  }

  @Test
  void formulasAndBuffers() {
    assertEquals("4*(F*U + U*U + U) = 4*(2*1 + 1*1 + 1)", lstm(1, 1, 2, true).paramFormula());
    assertEquals("4*(F*U + U*U) = 4*(3*8 + 8*8) (no bias)", lstm(8, 1, 3, false).paramFormula());
    // z and dz, (T, 4U), is the largest buffer unless the input is wider
    assertEquals(24L * 32, lstm(8, 24, 3, true).valuesPerSample());
    assertEquals(10L * 100, lstm(1, 10, 100, true).valuesPerSample());
  }

  @Test
  void weightShapeText() {
    Weight w = new Weight("bias", "b", 128);
    assertEquals("(128,)", w.shapeText());
    assertEquals("128", w.dims());
    assertEquals(128, w.size());
    Weight k = new Weight("kernel", "W", 3, 128);
    assertEquals("(3, 128)", k.shapeText());
    assertEquals("3, 128", k.dims());
    assertEquals(3 * 128, k.size());
  }
}
