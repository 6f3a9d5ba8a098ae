package dev.unroll.io;

import static dev.unroll.io.KerasReaderTest.archive;
import static dev.unroll.io.KerasReaderTest.layer;
import static dev.unroll.io.KerasReaderTest.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keras GRU and Bidirectional layers: configurations, weight layouts and what is refused. */
class RecurrentLayersTest {
  @TempDir
  Path dir;

  static String gruConfig(String name, String extra) {
    return "\"name\": \"" + name + "\", \"units\": 2, \"activation\": \"tanh\", \"recurrent_activation\": \"sigmoid\", "
        + "\"use_bias\": true, \"reset_after\": true, \"return_sequences\": true" + extra;
  }

  /** A Keras 3 archive: Bidirectional(GRU(2)) over (4, 3), forward arrays counting from 0, backward from 1000. */
  Path keras3Bidirectional(String name, String mergeMode, String backwardExtra) throws IOException {
    String config = "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
        + layer("InputLayer", "\"batch_shape\": [null, 4, 3], \"name\": \"input_layer\"") + ", "
        + layer("Bidirectional", "\"name\": \"bi\", \"merge_mode\": " + mergeMode + ", \"layer\": "
            + layer("GRU", gruConfig("gru", ", \"go_backwards\": false")) + ", \"backward_layer\": "
            + layer("GRU", gruConfig("backward_gru", ", \"go_backwards\": true" + backwardExtra))) + "]}}";
    H5 w = new H5();
    String[] directions = {"forward_layer", "backward_layer"};
    for (int d = 0; d < 2; d++) {
      String g = "layers/bidirectional/" + directions[d] + "/cell/vars/";
      w.data(g + "0", H5.counting(3, 6, 1000 * d)).data(g + "1", H5.counting(2, 6, 1000 * d + 100))
          .data(g + "2", H5.counting(2, 6, 1000 * d + 200));
    }
    return archive(dir.resolve(name), config, "3.8.0", w);
  }

  @Test
  void keras3BidirectionalGruTakesForwardArraysFirst() throws IOException {
    ModelFile f = ModelFiles.read(keras3Bidirectional("bi.keras", "\"sum\"", ""));
    assertEquals(List.of(), f.problems());
    FileLayer bi = f.layers().get(0);
    assertEquals("Bidirectional", bi.kind());
    assertEquals("Bidirectional(GRU)", bi.className());
    assertEquals("GRU", bi.wrapped());
    assertEquals(MergeMode.SUM, bi.mergeMode());
    assertEquals(Boolean.TRUE, bi.resetAfter());
    assertEquals(2, bi.units());
    assertEquals(3, bi.inputs());
    assertEquals(4, bi.timesteps());
    assertEquals(Activation.SIGMOID, bi.recurrentActivation());
    assertEquals(6, bi.weights().size());
    // Keras 3 stores backward_layer before forward_layer (by name); get_weights() has forward first
    assertEquals(0.0, bi.weights().get(0).get(0, 0));
    assertEquals(200.0, bi.weights().get(2).get(0, 0));
    assertEquals(1000.0, bi.weights().get(3).get(0, 0));
    assertEquals(1100.0, bi.weights().get(4).get(0, 0));
    assertEquals(2 * 3 * (3 * 2 + 2 * 2 + 2 * 2), f.paramCount());
  }

  @Test
  void mergeModeNullIsRefusedByName() throws IOException {
    ModelFile f = ModelFiles.read(keras3Bidirectional("null.keras", "null", ""));
    assertEquals(List.of("layer bi: merge_mode null (the two directions' outputs returned as a list) is not supported "
        + "(Unroll has concat, sum, mul and ave)"), f.problems());
    assertTrue(DeclarationPrinter.declaration(f, "M", 0).contains("NOT FULLY DECLARABLE"));
  }

  @Test
  void aBackwardLayerThatDiffersIsRefusedByName() throws IOException {
    ModelFile f = ModelFiles.read(keras3Bidirectional("differs.keras", "\"concat\"", ", \"activation\": \"relu\""));
    assertEquals(List.of("layer bi: its backward_layer differs from the forward layer (activation tanh forward, relu "
        + "backward); Unroll's @Bidirectional runs two copies of one layer"), f.problems());
  }

  @Test
  void keras2GruConfigurationAndBiasShapes() throws IOException {
    String config = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": ["
        + "{\"class_name\": \"GRU\", \"config\": {" + gruConfig("gru_1", ", \"batch_input_shape\": [null, 5, 1]")
        .replace("\"reset_after\": true", "\"reset_after\": false") + "}}]}}";
    Path ok = new H5().attr("", "keras_version", "2.15.0").attr("", "model_config", config)
        .attr("model_weights", "layer_names", new String[] {"gru_1"})
        .layer("model_weights", "gru_1", weights("gru_1/gru_cell/kernel:0", H5.zeros(1, 6),
            "gru_1/gru_cell/recurrent_kernel:0", H5.zeros(2, 6), "gru_1/gru_cell/bias:0", H5.zeros(6)))
        .write(dir.resolve("gru.h5"));
    FileLayer gru = ModelFiles.read(ok).layers().get(0);
    assertEquals("GRU", gru.kind());
    assertEquals(Boolean.FALSE, gru.resetAfter());
    assertEquals(5, gru.timesteps());
    Path twoRows = new H5().attr("", "keras_version", "2.15.0").attr("", "model_config", config)
        .attr("model_weights", "layer_names", new String[] {"gru_1"})
        .layer("model_weights", "gru_1", weights("gru_1/gru_cell/kernel:0", H5.zeros(1, 6),
            "gru_1/gru_cell/recurrent_kernel:0", H5.zeros(2, 6), "gru_1/gru_cell/bias:0", H5.zeros(2, 6)))
        .write(dir.resolve("two-rows.h5"));
    assertEquals("two-rows.h5: layer gru_1: bias gru_1/gru_cell/bias:0 has shape (2, 6), expected (6,) for units = 2",
        assertThrows(ModelFileException.class, () -> ModelFiles.read(twoRows)).getMessage());
  }

  @Test
  void keras2WeightsOnlyBidirectionalFromWeightNames() throws IOException {
    Path file = new H5().attr("", "keras_version", "2.15.0")
        .attr("", "layer_names", new String[] {"bidirectional"})
        .layer("", "bidirectional", weights(
            "bidirectional/forward_lstm/lstm_cell_1/kernel:0", H5.counting(3, 8, 0),
            "bidirectional/forward_lstm/lstm_cell_1/recurrent_kernel:0", H5.zeros(2, 8),
            "bidirectional/forward_lstm/lstm_cell_1/bias:0", H5.zeros(8),
            "bidirectional/backward_lstm/lstm_cell_2/kernel:0", H5.counting(3, 8, 500),
            "bidirectional/backward_lstm/lstm_cell_2/recurrent_kernel:0", H5.zeros(2, 8),
            "bidirectional/backward_lstm/lstm_cell_2/bias:0", H5.zeros(8)))
        .write(dir.resolve("w.h5"));
    ModelFile f = ModelFiles.read(file);
    FileLayer bi = f.layers().get(0);
    assertEquals("Bidirectional", bi.kind());
    assertEquals("LSTM", bi.wrapped());
    assertNull(bi.mergeMode(), "not in a weights file");
    assertEquals(500.0, bi.weights().get(3).get(0, 0));
    assertTrue(f.notes().contains("layer bidirectional is read as Bidirectional(LSTM) from its weight names; its "
        + "merge_mode is not in the file and is not checked"), f.notes().toString());
  }

  @Test
  void denseBeforeGruKeepsTheFileOrderAndPrintsTheMemberForm() throws IOException {
    String config = "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
        + layer("InputLayer", "\"batch_shape\": [null, 4, 3], \"name\": \"input_layer\"") + ", "
        + layer("Dense", "\"name\": \"embed\", \"units\": 2, \"activation\": \"tanh\", \"use_bias\": true") + ", "
        + layer("GRU", gruConfig("gru", "")) + "]}}";
    H5 w = new H5().data("layers/dense/vars/0", H5.zeros(3, 2)).data("layers/dense/vars/1", H5.zeros(2))
        .data("layers/gru/cell/vars/0", H5.zeros(2, 6)).data("layers/gru/cell/vars/1", H5.zeros(2, 6))
        .data("layers/gru/cell/vars/2", H5.zeros(2, 6));
    ModelFile f = ModelFiles.read(archive(dir.resolve("dense-gru.keras"), config, "3.8.0", w));
    assertEquals(List.of("embed", "gru"), f.layers().stream().map(FileLayer::name).toList());
    String d = DeclarationPrinter.declaration(f, "M", 0);
    assertTrue(d.contains("@Input(timesteps = 4, features = 3)\ninterface M {\n  @Dense(units = 2, activation = TANH) "
        + "Layer embed();"), d);
    assertTrue(d.contains("  @Gru(units = 2, returnSequences = true) Layer gru();"), d);
  }
}
