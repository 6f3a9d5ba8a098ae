package dev.unroll.examples.interop;

import static dev.unroll.examples.interop.Resources.DL4J;
import static dev.unroll.examples.interop.Resources.HERZIOX;
import static dev.unroll.examples.interop.Resources.KERAS3;
import static dev.unroll.examples.interop.Resources.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Tensor;
import dev.unroll.io.ArchitectureMismatchException;
import dev.unroll.io.KerasWeights;
import dev.unroll.io.ModelFile;
import dev.unroll.io.ModelFiles;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The three real Keras files, one per format family (test resources {@code interop/}, see the SOURCE.md
 * beside each), loaded into the models their declarations describe and run against Keras's or NumPy's
 * numbers to {@value #TOLERANCE} absolute.
 */
class KerasFilesTest {
  static final double TOLERANCE = 1e-6;

  /** The 283 input sequences of the dl4j model, (283, 4, 12): the first 12 of 13 columns of each CSV. */
  static Tensor dl4jInputs() {
    Tensor x = Tensor.zeros(283, 4, 12);
    for (int i = 0; i < 283; i++) {
      List<String> rows = Resources.text(DL4J + "data/sequences/" + i + ".csv").lines()
          .filter(l -> !l.isBlank()).toList();
      assertEquals(4, rows.size(), "sequence " + i + ": 4 timesteps");
      for (int t = 0; t < 4; t++) {
        String[] cells = rows.get(t).split(";");
        assertEquals(13, cells.length, "sequence " + i + " step " + t);
        for (int f = 0; f < 12; f++) {
          x.set(Double.parseDouble(cells[f]), i, t, f);
        }
      }
    }
    return x;
  }

  static double maxDeviation(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length, "number of outputs");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    return worst;
  }

  static void report(String what, double deviation) {
    System.out.println(String.format(Locale.ROOT, "[interop] %s: max |Unroll - reference| = %.3g", what, deviation));
  }

  @Test
  void dl4jKeras208WeightsAndConfigReproduceAll283KerasPredictions() throws IOException {
    UnrolledDl4jStackedLstm model = new UnrolledDl4jStackedLstm();
    ModelFile file = ModelFiles.load(model, path(DL4J + "lstm_th_keras_2_weights.h5"),
        path(DL4J + "lstm_th_keras_2_config.json"));
    assertEquals("2.0.8", file.kerasVersion());
    assertTrue(file.configured());

    double[] expected = Resources.npy(DL4J + "predictions.npy");
    assertEquals(283, expected.length);
    Tensor y = model.predict(dl4jInputs());
    assertArrayEquals(new int[] {283, 1}, y.shape());
    double deviation = maxDeviation(expected, y.data());
    report("dl4j Keras 2.0.8, 283 sequences vs predictions.npy", deviation);
    assertTrue(deviation <= TOLERANCE, "max deviation " + deviation);
  }

  @Test
  void kerasWeightsReadGivesGetWeightsOrderAndShapes() throws IOException {
    List<Tensor> w = KerasWeights.read(path(DL4J + "lstm_th_keras_2_weights.h5"));
    assertEquals(8, w.size());
    int[][] shapes = {{12, 384}, {96, 384}, {384}, {96, 384}, {96, 384}, {384}, {96, 1}, {1}};
    for (int i = 0; i < shapes.length; i++) {
      assertArrayEquals(shapes[i], w.get(i).shape(), "weight " + i);
    }
    UnrolledDl4jStackedLstm model = new UnrolledDl4jStackedLstm();
    model.setWeights(w);
    assertEquals(w, model.getWeights());
  }

  @Test
  void herzioxTfKeras212FullModelThroughTheCheckedPath() throws IOException {
    UnrolledLstmDenseForecaster model = new UnrolledLstmDenseForecaster();
    ModelFile file = ModelFiles.load(model, path(HERZIOX + "lstm.h5"));
    assertEquals("2.12.0", file.kerasVersion());
    assertEquals("Keras 2.12.0 model (.h5)", file.format());
    assertEquals(11_946, file.paramCount());
    assertEquals(model.paramCount(), file.paramCount());

    Tensor x = Tensor.zeros(1, 50, 1);
    for (int t = 0; t < 50; t++) {
      x.data()[t] = 0.5 + 0.4 * Math.sin(0.3 * t);
    }
    double y = model.predict(x).data()[0];
    double deviation = Math.abs(y - 0.8658384874331098);
    report("herziox tf.keras 2.12 lstm.h5 vs NumPy 0.8658384874331098", deviation);
    assertTrue(deviation <= TOLERANCE, "y = " + y);
  }

  @Test
  void keras38ArchiveReaderFindsTheLstmWeights() throws IOException {
    List<Tensor> w = KerasWeights.read(path(KERAS3 + "model.keras"));
    assertEquals(3, w.size(), "Masking has no weights; the LSTM has kernel, recurrent_kernel, bias");
    assertArrayEquals(new int[] {2, 4}, w.get(0).shape());
    assertArrayEquals(new int[] {1, 4}, w.get(1).shape());
    assertArrayEquals(new double[] {0, 1, 0, 0}, w.get(2).data(), "unit_forget_bias initialisation");

    ModelFile file = ModelFiles.read(path(KERAS3 + "model.keras"));
    assertEquals("3.8.0", file.kerasVersion());
    assertEquals(List.of("masking", "lstm"), file.layers().stream().map(l -> l.name()).toList());
  }

  @Test
  void keras38CheckedLoadIntoAModelWithoutMaskingIsRefusedAndChangesNothing() throws IOException {
    UnrolledMaskingLstm model = new UnrolledMaskingLstm();
    List<Tensor> before = model.getWeights();
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(model, path(KERAS3 + "model.keras")));
    assertTrue(e.differences().get(0).startsWith("file has 2 layers (masking"), e.getMessage());
    assertTrue(e.getMessage().contains("layer masking (model's lstm): file has a Masking layer, model declares LSTM"),
        e.getMessage());
    assertTrue(e.getMessage().contains("model.keras"), e.getMessage());
    assertEquals(before, model.getWeights(), "model unchanged");
  }

  @Test
  void keras38CheckedLoadIntoTheMaskedModelReproducesKeras() throws IOException {
    UnrolledMaskedKerasLstm model = new UnrolledMaskedKerasLstm();
    ModelFile file = ModelFiles.load(model, path(KERAS3 + "model.keras"));
    assertEquals(0.0, file.layers().get(0).maskValue());
    Tensor x = Tensor.of(new double[][][] {
        {{0.1, 0.2}, {0.3, -0.4}, {0.5, 0.6}},
        {{1.0, -1.0}, {0.0, 0.0}, {0.0, 0.0}}});
    double[] y = model.predict(x).data();
    double deviation = Math.max(Math.abs(y[0] - -0.04749869905302705), Math.abs(y[1] - 0.04421370592946033));
    report("keras3.8 model.keras loaded by ModelFiles.load into @Masking + @Lstm vs Keras", deviation);
    assertTrue(deviation <= TOLERANCE, "y = " + y[0] + ", " + y[1]);
  }

  @Test
  void keras38AnotherMaskValueIsADifference() throws IOException {
    UnrolledMaskedKerasLstmOtherValue model = new UnrolledMaskedKerasLstmOtherValue();
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(model, path(KERAS3 + "model.keras")));
    assertEquals(List.of("layer masking: file has mask_value 0.0, model declares maskValue = -1.0"), e.differences());
  }

  @Test
  void keras38LstmWeightsComputeWhatNumPyComputesWithoutMasking() throws IOException {
    // Why Masking must be refused: with the weights set anyway, the unmasked sample matches, the masked one not.
    UnrolledMaskingLstm model = new UnrolledMaskingLstm();
    model.setWeights(KerasWeights.read(path(KERAS3 + "model.keras")));
    Tensor x = Tensor.of(new double[][][] {
        {{0.1, 0.2}, {0.3, -0.4}, {0.5, 0.6}},
        {{1.0, -1.0}, {0.0, 0.0}, {0.0, 0.0}}});
    double[] y = model.predict(x).data();
    double deviation = Math.max(Math.abs(y[0] - -0.04749869905302705), Math.abs(y[1] - 0.029157000205444514));
    report("keras3.8 model.keras LSTM vs NumPy (sample 1; sample 2 unmasked)", deviation);
    assertTrue(deviation <= TOLERANCE, "y = " + y[0] + ", " + y[1]);
    assertTrue(Math.abs(y[1] - 0.04421370592946033) > 1e-3, "with masking Keras gives another value for sample 2");
  }

  @Test
  void keras38MaskingModelComputesWhatKerasComputes() throws IOException {
    // the file's own model, Masking included, with the weights read as get_weights() gives them
    UnrolledMaskedKerasLstm model = new UnrolledMaskedKerasLstm();
    model.setWeights(KerasWeights.read(path(KERAS3 + "model.keras")));
    Tensor x = Tensor.of(new double[][][] {
        {{0.1, 0.2}, {0.3, -0.4}, {0.5, 0.6}},
        {{1.0, -1.0}, {0.0, 0.0}, {0.0, 0.0}}});
    double[] y = model.predict(x).data();
    double deviation = Math.max(Math.abs(y[0] - -0.04749869905302705), Math.abs(y[1] - 0.04421370592946033));
    report("keras3.8 model.keras Masking + LSTM vs Keras (both samples, the second masked after step 0)", deviation);
    assertTrue(deviation <= TOLERANCE, "y = " + y[0] + ", " + y[1]);
    // the lengths form gives the same, whatever the padding holds
    Tensor noisy = Tensor.of(new double[][][] {
        {{0.1, 0.2}, {0.3, -0.4}, {0.5, 0.6}},
        {{1.0, -1.0}, {7.0, 3.0}, {-2.0, 0.5}}});
    double[] z = model.predictWithLengths(noisy, new int[] {3, 1}, null).data();
    assertEquals(y[0], z[0], 0.0);
    assertEquals(y[1], z[1], 0.0);
  }
}
