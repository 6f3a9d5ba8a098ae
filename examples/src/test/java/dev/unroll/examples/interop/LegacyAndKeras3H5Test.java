package dev.unroll.examples.interop;

import static dev.unroll.examples.interop.Resources.DL4J;
import static dev.unroll.examples.interop.Resources.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.Tensor;
import dev.unroll.io.ArchitectureMismatchException;
import dev.unroll.io.FileLayer;
import dev.unroll.io.KerasWeights;
import dev.unroll.io.ModelFile;
import dev.unroll.io.ModelFiles;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras 1 and Keras 3 {@code .h5} files, written here with jhdf in the layout those Keras versions
 * write (no real file of either is at hand), holding the weights of the real dl4j model: the Keras 1
 * file (twelve arrays per LSTM, gates i, c, f, o) must reproduce Keras's 283 predictions after
 * repacking; the Keras 3 file's {@code hard_sigmoid} is Keras 3's, {@code x/6 + 1/2}.
 */
class LegacyAndKeras3H5Test {
  @TempDir
  Path dir;

  static List<Tensor> dl4jWeights() throws IOException {
    return KerasWeights.read(path(DL4J + "lstm_th_keras_2_weights.h5"), path(DL4J + "lstm_th_keras_2_config.json"));
  }

  /** Columns [g·U, (g+1)·U) of a (rows, 4U) matrix, or of a (4U,) vector, as float rows. */
  static Object gate(Tensor t, int g) {
    int u = t.dim(t.rank() - 1) / 4;
    if (t.rank() == 1) {
      float[] out = new float[u];
      for (int j = 0; j < u; j++) {
        out[j] = (float) t.data()[g * u + j];
      }
      return out;
    }
    float[][] out = new float[t.dim(0)][u];
    for (int r = 0; r < t.dim(0); r++) {
      for (int j = 0; j < u; j++) {
        out[r][j] = (float) t.get(r, g * u + j);
      }
    }
    return out;
  }

  static Object floats(Tensor t) {
    if (t.rank() == 1) {
      float[] out = new float[t.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) t.data()[i];
      }
      return out;
    }
    float[][] out = new float[t.dim(0)][t.dim(1)];
    for (int r = 0; r < t.dim(0); r++) {
      for (int c = 0; c < t.dim(1); c++) {
        out[r][c] = (float) t.get(r, c);
      }
    }
    return out;
  }

  static String keras1Lstm(String name, int units, boolean sequences, String shape) {
    return "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"" + name + "\", \"trainable\": true, " + shape
        + "\"return_sequences\": " + sequences + ", \"go_backwards\": false, \"stateful\": false, \"unroll\": false, "
        + "\"consume_less\": \"cpu\", \"output_dim\": " + units + ", \"init\": \"glorot_uniform\", "
        + "\"inner_init\": \"orthogonal\", \"forget_bias_init\": \"one\", \"activation\": \"tanh\", "
        + "\"inner_activation\": \"hard_sigmoid\", \"W_regularizer\": null, \"U_regularizer\": null, "
        + "\"b_regularizer\": null, \"dropout_W\": 0.0, \"dropout_U\": 0.0}}";
  }

  /** Keras 1.2.2's model.save: model_config, then model_weights with W_x, U_x, b_x per gate, in the order i, c, f, o. */
  Path writeKeras1(List<Tensor> w) {
    Path file = dir.resolve("keras1.h5");
    String config = "{\"class_name\": \"Sequential\", \"config\": ["
        + keras1Lstm("lstm_1", 96, true, "\"batch_input_shape\": [null, 4, 12], \"input_dtype\": \"float32\", ") + ", "
        + keras1Lstm("lstm_2", 96, false, "") + ", "
        + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_1\", \"trainable\": true, \"output_dim\": 1, "
        + "\"init\": \"glorot_uniform\", \"activation\": \"sigmoid\", \"W_regularizer\": null, \"b_regularizer\": null, "
        + "\"activity_regularizer\": null, \"W_constraint\": null, \"b_constraint\": null, \"bias\": true, "
        + "\"input_dim\": 96}}]}";
    String[] gates = {"i", "c", "f", "o"};
    int[] block = {0, 2, 1, 3}; // Keras 2 column block of each Keras 1 gate
    try (WritableHdfFile h = HdfFile.write(file)) {
      h.putAttribute("keras_version", "1.2.2");
      h.putAttribute("backend", "theano");
      h.putAttribute("model_config", config);
      WritableGroup weights = h.putGroup("model_weights");
      weights.putAttribute("layer_names", new String[] {"lstm_1", "lstm_2", "dense_1"});
      for (int layer = 0; layer < 2; layer++) {
        String name = "lstm_" + (layer + 1);
        WritableGroup g = weights.putGroup(name);
        List<String> names = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
          names.add(name + "_W_" + gates[k]);
          names.add(name + "_U_" + gates[k]);
          names.add(name + "_b_" + gates[k]);
          g.putDataset(name + "_W_" + gates[k], gate(w.get(3 * layer), block[k]));
          g.putDataset(name + "_U_" + gates[k], gate(w.get(3 * layer + 1), block[k]));
          g.putDataset(name + "_b_" + gates[k], gate(w.get(3 * layer + 2), block[k]));
        }
        g.putAttribute("weight_names", names.toArray(new String[0]));
      }
      WritableGroup d = weights.putGroup("dense_1");
      d.putAttribute("weight_names", new String[] {"dense_1_W", "dense_1_b"});
      d.putDataset("dense_1_W", floats(w.get(6)));
      d.putDataset("dense_1_b", floats(w.get(7)));
    }
    return file;
  }

  @Test
  void keras1FileIsRepackedAndReproducesTheKerasPredictions() throws IOException {
    Path file = writeKeras1(dl4jWeights());
    UnrolledDl4jStackedLstm model = new UnrolledDl4jStackedLstm();
    ModelFile read = ModelFiles.load(model, file);
    assertEquals("1.2.2", read.kerasVersion());
    FileLayer lstm = read.layers().get(0);
    assertEquals(Activation.HARD_SIGMOID, lstm.recurrentActivation(), "Keras 1 inner_activation hard_sigmoid");
    assertEquals(4, lstm.timesteps());

    double[] expected = Resources.npy(DL4J + "predictions.npy");
    double deviation = KerasFilesTest.maxDeviation(expected, model.predict(KerasFilesTest.dl4jInputs()).data());
    KerasFilesTest.report("Keras 1 layout (written from the dl4j weights), 283 sequences", deviation);
    assertTrue(deviation <= KerasFilesTest.TOLERANCE, "max deviation " + deviation);
  }

  @Test
  void keras2FileIsNotLoadedIntoAModelDeclaringKeras3HardSigmoid() throws IOException {
    UnrolledDl4jStackedLstmKeras3 model = new UnrolledDl4jStackedLstmKeras3();
    List<Tensor> before = model.getWeights();
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class, () -> ModelFiles.load(model,
        path(DL4J + "lstm_th_keras_2_weights.h5"), path(DL4J + "lstm_th_keras_2_config.json")));
    assertEquals(List.of(
        "layer lstm_1 (model's lstm): file has recurrent_activation hard_sigmoid (Keras 1/2: 0.2·x + 0.5), "
            + "model declares HARD_SIGMOID_KERAS3",
        "layer lstm_2 (model's lstm_1): file has recurrent_activation hard_sigmoid (Keras 1/2: 0.2·x + 0.5), "
            + "model declares HARD_SIGMOID_KERAS3"), e.differences());
    assertEquals(before, model.getWeights(), "model unchanged");
  }

  @Test
  void keras3H5HardSigmoidIsKeras3s() throws IOException {
    List<Tensor> w = dl4jWeights();
    Path file = writeKeras3H5(w);
    ModelFile read = ModelFiles.read(file);
    assertEquals("3.8.0", read.kerasVersion());
    assertEquals(Activation.HARD_SIGMOID_KERAS3, read.layers().get(0).recurrentActivation());

    UnrolledDl4jStackedLstm keras2Model = new UnrolledDl4jStackedLstm();
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(keras2Model, read));
    assertEquals(2, e.differences().size(), e.getMessage());
    assertTrue(e.differences().get(0).contains("file has recurrent_activation hard_sigmoid (Keras 3: x/6 + 0.5), "
        + "model declares HARD_SIGMOID"), e.getMessage());

    UnrolledDl4jStackedLstmKeras3 keras3Model = new UnrolledDl4jStackedLstmKeras3();
    ModelFiles.load(keras3Model, read);
    List<Tensor> loaded = keras3Model.getWeights();
    for (int i = 0; i < w.size(); i++) {
      for (int j = 0; j < w.get(i).size(); j++) {
        assertEquals((float) w.get(i).data()[j], loaded.get(i).data()[j], 0.0, "weight " + i + "[" + j + "]");
      }
    }
  }

  /**
   * Keras 3's legacy {@code model.save("x.h5")}: the Keras 2 style configuration, weight names from the
   * variables' paths ({@code lstm_1/lstm_cell/kernel}).
   */
  Path writeKeras3H5(List<Tensor> w) throws IOException {
    Path file = dir.resolve("keras3.h5");
    String config = Resources.text(DL4J + "lstm_th_keras_2_config.json")
        .replace("\"keras_version\": \"2.0.8\"", "\"keras_version\": \"3.8.0\"");
    try (WritableHdfFile h = HdfFile.write(file)) {
      h.putAttribute("keras_version", "3.8.0");
      h.putAttribute("backend", "tensorflow");
      h.putAttribute("model_config", config);
      WritableGroup weights = h.putGroup("model_weights");
      weights.putAttribute("layer_names", new String[] {"lstm_1", "lstm_2", "dense_1"});
      for (int layer = 0; layer < 2; layer++) {
        String name = "lstm_" + (layer + 1);
        WritableGroup g = weights.putGroup(name);
        g.putAttribute("weight_names", new String[] {name + "/lstm_cell/kernel", name + "/lstm_cell/recurrent_kernel",
            name + "/lstm_cell/bias"});
        WritableGroup cell = g.putGroup(name).putGroup("lstm_cell");
        cell.putDataset("kernel", floats(w.get(3 * layer)));
        cell.putDataset("recurrent_kernel", floats(w.get(3 * layer + 1)));
        cell.putDataset("bias", floats(w.get(3 * layer + 2)));
      }
      WritableGroup d = weights.putGroup("dense_1");
      d.putAttribute("weight_names", new String[] {"dense_1/kernel", "dense_1/bias"});
      WritableGroup inner = d.putGroup("dense_1");
      inner.putDataset("kernel", floats(w.get(6)));
      inner.putDataset("bias", floats(w.get(7)));
    }
    return file;
  }
}
