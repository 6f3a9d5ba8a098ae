package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras layouts on small files written with jhdf: weights-only files, split attributes, Keras 3
 * weights files and archives, functional configurations, wrappers, skipped and folded layers, and the
 * errors of inconsistent files. The real files are tested in the examples module.
 */
class KerasReaderTest {
  @TempDir
  Path dir;

  @BeforeAll
  static void quietSlf4j() {
    System.setProperty("slf4j.internal.verbosity", "ERROR");
  }

  static Map<String, Object> weights(Object... nameValue) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      m.put((String) nameValue[i], nameValue[i + 1]);
    }
    return m;
  }

  static List<String> names(ModelFile f) {
    return f.layers().stream().map(FileLayer::name).toList();
  }

  @Test
  void weightsOnlyFileInfersLayersFromShapes() throws IOException {
    Path file = new H5()
        .attr("", "keras_version", "2.2.4")
        .attr("", "layer_names", new String[] {"lstm_1", "dropout_1", "lstm_2", "dense_1", "gru_1", "conv_1"})
        .layer("", "lstm_1", weights("lstm_1/kernel:0", H5.counting(3, 8, 0), "lstm_1/recurrent_kernel:0",
            H5.counting(2, 8, 100), "lstm_1/bias:0", H5.counting(8, 200)))
        .attr("dropout_1", "backend", "tensorflow")
        .layer("", "lstm_2", weights("lstm_2/kernel:0", H5.zeros(2, 4), "lstm_2/recurrent_kernel:0", H5.zeros(1, 4)))
        .layer("", "dense_1", weights("dense_1/kernel:0", H5.zeros(1, 1), "dense_1/bias:0", H5.zeros(1)))
        .layer("", "gru_1", weights("gru_1/kernel:0", H5.zeros(1, 6), "gru_1/recurrent_kernel:0", H5.zeros(2, 6),
            "gru_1/bias:0", H5.zeros(2, 6)))
        .layer("", "conv_1", weights("conv_1/kernel:0", H5.zeros(3, 2), "conv_1/bias:0", H5.zeros(5)))
        .write(dir.resolve("w.h5"));
    ModelFile f = ModelFiles.read(file);
    assertFalse(f.configured());
    assertEquals("Keras 2.2.4 weights (.h5, save_weights)", f.format());
    assertEquals(List.of("lstm_1", "lstm_2", "dense_1", "gru_1", "conv_1"), names(f));
    FileLayer lstm1 = f.layers().get(0);
    assertEquals("LSTM", lstm1.kind());
    assertEquals(2, lstm1.units());
    assertEquals(3, lstm1.inputs());
    assertNull(lstm1.activation());
    assertNull(lstm1.returnSequences());
    assertEquals(2.0 * 8 + 3, lstm1.weights().get(0).get(2, 3), "row-major (3, 8) kernel");
    assertFalse(f.layers().get(1).useBias());
    assertEquals("Dense", f.layers().get(2).kind());
    FileLayer gru = f.layers().get(3);
    assertEquals("GRU", gru.kind());
    assertEquals(2, gru.units());
    assertEquals(1, gru.inputs());
    assertEquals(Boolean.TRUE, gru.resetAfter(), "a (2, 3U) bias is reset_after's");
    assertEquals("layer conv_1: its weights [conv_1/kernel:0 (3, 2), conv_1/bias:0 (5,)] are neither an LSTM's, a "
        + "GRU's, a Bidirectional layer's nor a Dense layer's; without the model's configuration (model.to_json()) "
        + "its type is unknown", f.layers().get(4).problem());
    assertTrue(f.notes().contains("layer dropout_1 has no weights and, without a configuration, no known type: "
        + "skipped"), f.notes().toString());
    assertEquals("w.h5: layer conv_1: its weights [conv_1/kernel:0 (3, 2), conv_1/bias:0 (5,)] are neither an "
        + "LSTM's, a GRU's, a Bidirectional layer's nor a Dense layer's; without the model's configuration "
        + "(model.to_json()) its type is unknown", assertThrows(ModelFileException.class, () -> KerasWeights.read(file)).getMessage());
  }

  @Test
  void splitNameAttributesAreJoined() throws IOException {
    Path file = new H5()
        .attr("", "layer_names0", new String[] {"dense_1"})
        .attr("", "layer_names1", new String[] {"dense_2"})
        .layer("", "dense_1", weights("dense_1/kernel:0", H5.zeros(4, 3), "dense_1/bias:0", H5.zeros(3)))
        .attr("dense_2", "weight_names0", new String[] {"dense_2/kernel:0"})
        .attr("dense_2", "weight_names1", new String[] {"dense_2/bias:0"})
        .data("dense_2/dense_2/kernel:0", H5.zeros(3, 2))
        .data("dense_2/dense_2/bias:0", H5.zeros(2))
        .write(dir.resolve("split.h5"));
    ModelFile f = ModelFiles.read(file);
    assertEquals(List.of("dense_1", "dense_2"), names(f));
    assertEquals("1", f.kerasVersion(), "no keras_version: Keras 1, as Keras assumes");
    assertEquals(4, f.weights().size());
  }

  @Test
  void keras1TwelveArraysAreMatchedByNameAndRepacked() throws IOException {
    // stored in a shuffled order: the suffixes decide, not the positions
    String[] order = {"W_c", "U_c", "b_c", "W_i", "U_i", "b_i", "W_o", "U_o", "b_o", "W_f", "U_f", "b_f"};
    Map<String, Object> w = new LinkedHashMap<>();
    Map<String, Integer> gateCode = Map.of("i", 1, "f", 2, "c", 3, "o", 4);
    for (String s : order) {
      int code = gateCode.get(s.substring(2));
      float base = 1000 * code + (s.startsWith("W") ? 0 : s.startsWith("U") ? 100 : 200);
      w.put("lstm_1_" + s, s.startsWith("W") ? H5.counting(3, 2, base) : s.startsWith("U") ? H5.counting(2, 2, base)
          : H5.counting(2, base));
    }
    Path file = new H5().attr("", "layer_names", new String[] {"lstm_1"}).layer("", "lstm_1", w)
        .write(dir.resolve("k1.h5"));
    List<Tensor> t = KerasWeights.read(file);
    assertArrayEquals(new int[] {3, 8}, t.get(0).shape());
    // kernel row 1: W_i[1] | W_f[1] | W_c[1] | W_o[1]
    assertArrayEquals(new double[] {1002, 1003, 2002, 2003, 3002, 3003, 4002, 4003},
        java.util.Arrays.copyOfRange(t.get(0).data(), 8, 16));
    assertArrayEquals(new double[] {1100, 1101, 2100, 2101, 3100, 3101, 4100, 4101},
        java.util.Arrays.copyOfRange(t.get(1).data(), 0, 8));
    assertArrayEquals(new double[] {1200, 1201, 2200, 2201, 3200, 3201, 4200, 4201}, t.get(2).data());
  }

  @Test
  void keras3WeightsFileWithoutConfiguration() throws IOException {
    Path file = new H5()
        .data("layers/dense/vars/0", H5.zeros(3, 1))
        .data("layers/dense/vars/1", H5.zeros(1))
        .data("layers/lstm_1/cell/vars/0", H5.zeros(4, 12))
        .data("layers/lstm_1/cell/vars/1", H5.zeros(3, 12))
        .data("layers/lstm_1/cell/vars/2", H5.counting(12, 0))
        .data("layers/lstm/cell/vars/0", H5.zeros(2, 16))
        .data("layers/lstm/cell/vars/1", H5.zeros(4, 16))
        .data("layers/lstm/cell/vars/2", H5.zeros(16))
        .write(dir.resolve("model.weights.h5"));
    ModelFile f = ModelFiles.read(file);
    assertEquals("Keras 3 weights (.weights.h5)", f.format());
    assertEquals(List.of("lstm", "lstm_1", "dense"), names(f));
    assertEquals(List.of(4, 3, 1), f.layers().stream().map(FileLayer::units).toList());
    assertEquals(11.0, f.layers().get(1).weights().get(2).data()[11]);
  }

  static Path archive(Path file, String config, String version, H5 weights) throws IOException {
    Path h5 = weights.write(file.resolveSibling(file.getFileName() + ".h5"));
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("metadata.json"));
      zip.write(("{\"keras_version\": \"" + version + "\", \"date_saved\": \"2025-01-01@00:00:00\"}")
          .getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("config.json"));
      zip.write(config.getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("model.weights.h5"));
      zip.write(Files.readAllBytes(h5));
    }
    return file;
  }

  static String layer(String cls, String config) {
    return "{\"module\": \"keras.layers\", \"class_name\": \"" + cls + "\", \"config\": {" + config
        + "}, \"registered_name\": null}";
  }

  @Test
  void keras3ArchiveFindsWeightsByClassNotByLayerName() throws IOException {
    String config = "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
        + layer("InputLayer", "\"batch_shape\": [null, 5, 3], \"name\": \"input_layer\"") + ", "
        + layer("LSTM", "\"name\": \"encoder\", \"units\": 4, \"activation\": \"tanh\", \"recurrent_activation\": "
            + "\"sigmoid\", \"use_bias\": true, \"return_sequences\": true") + ", "
        + layer("Dropout", "\"name\": \"drop\", \"rate\": 0.5") + ", "
        + layer("LSTM", "\"name\": \"decoder\", \"units\": 2, \"activation\": \"tanh\", \"recurrent_activation\": "
            + "\"hard_sigmoid\", \"use_bias\": true, \"return_sequences\": true") + ", "
        + layer("TimeDistributed", "\"name\": \"td\", \"layer\": " + layer("Dense", "\"name\": \"inner\", \"units\": 3, "
            + "\"activation\": \"linear\", \"use_bias\": true")) + ", "
        + layer("Activation", "\"name\": \"act\", \"activation\": \"softmax\"") + ", "
        + layer("Dense", "\"name\": \"out\", \"units\": 1, \"use_bias\": false, \"activation\": {\"module\": "
            + "\"keras.activations\", \"class_name\": \"function\", \"config\": \"sigmoid\", \"registered_name\": "
            + "\"function\"}")
        + "]}}";
    H5 weights = new H5()
        .data("layers/lstm/cell/vars/0", H5.zeros(3, 16))
        .data("layers/lstm/cell/vars/1", H5.zeros(4, 16))
        .data("layers/lstm/cell/vars/2", H5.zeros(16))
        .data("layers/lstm_1/cell/vars/0", H5.zeros(4, 8))
        .data("layers/lstm_1/cell/vars/1", H5.zeros(2, 8))
        .data("layers/lstm_1/cell/vars/2", H5.zeros(8))
        .data("layers/time_distributed/layer/vars/0", H5.zeros(2, 3))
        .data("layers/time_distributed/layer/vars/1", H5.zeros(3))
        .data("layers/dense/vars/0", H5.zeros(3, 1));
    ModelFile f = ModelFiles.read(archive(dir.resolve("m.keras"), config, "3.1.0", weights));
    assertEquals("Keras 3.1.0 model (.keras)", f.format());
    assertEquals(List.of("encoder", "decoder", "td", "out"), names(f));
    assertEquals(List.of(5, 5, 0, 0), f.layers().stream().map(FileLayer::timesteps).toList());
    assertEquals(Activation.HARD_SIGMOID_KERAS3, f.layers().get(1).recurrentActivation());
    assertEquals(Activation.SOFTMAX, f.layers().get(2).activation(), "Activation layer folded into td");
    assertEquals("TimeDistributed(Dense)", f.layers().get(2).className());
    assertEquals(Activation.SIGMOID, f.layers().get(3).activation());
    assertFalse(f.layers().get(3).useBias());
    assertTrue(f.problems().isEmpty(), f.problems().toString());
    assertEquals(List.of(
        "layer drop (Dropout) is skipped: it does nothing at inference",
        "layer td is TimeDistributed(Dense): read as a Dense layer, which Keras and Unroll apply to every timestep of"
            + " a sequence",
        "layer act (Activation softmax) is folded into td, which becomes Dense with activation softmax"), f.notes());
    assertEquals(3 + 3 + 2 + 1, f.weights().size());
  }

  @Test
  void truncatedArchiveAndMissingWeights() throws IOException {
    String config = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": ["
        + layer("LSTM", "\"name\": \"lstm\", \"units\": 4, \"batch_input_shape\": [null, 2, 3]") + "]}}";
    Path ok = archive(dir.resolve("ok.keras"), config, "3.8.0", new H5().data("layers/other/vars/0", H5.zeros(1)));
    assertEquals("ok.keras: layer lstm (LSTM) has 0 weight arrays [], expected 3 (kernel, recurrent_kernel, bias) or "
        + "Keras 1's 12", assertThrows(ModelFileException.class, () -> ModelFiles.read(ok)).getMessage());
    byte[] bytes = Files.readAllBytes(ok);
    Path cut = dir.resolve("cut.keras");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 30));
    assertTrue(assertThrows(ModelFileException.class, () -> ModelFiles.read(cut)).getMessage()
        .startsWith("cut.keras: not a readable zip archive"));
  }

  @Test
  void unsupportedLayersAndActivationsAreNamed() throws IOException {
    String config = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": ["
        + "{\"class_name\": \"SimpleRNN\", \"config\": {\"name\": \"simple_rnn_1\", \"units\": 2}}, "
        + "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm_1\", \"units\": 2, \"activation\": \"elu\"}}]}}";
    Path file = new H5()
        .attr("", "keras_version", "2.15.0")
        .attr("", "model_config", config)
        .attr("model_weights", "layer_names", new String[] {"simple_rnn_1", "lstm_1"})
        .layer("model_weights", "simple_rnn_1", weights("simple_rnn_1/kernel:0", H5.zeros(1, 2),
            "simple_rnn_1/recurrent_kernel:0", H5.zeros(2, 2), "simple_rnn_1/bias:0", H5.zeros(2)))
        .layer("model_weights", "lstm_1", weights("lstm_1/kernel:0", H5.zeros(2, 8), "lstm_1/recurrent_kernel:0",
            H5.zeros(2, 8), "lstm_1/bias:0", H5.zeros(8)))
        .write(dir.resolve("m.h5"));
    ModelFile f = ModelFiles.read(file);
    assertEquals(List.of("layer simple_rnn_1: SimpleRNN is not supported; Unroll has LSTM, GRU, Bidirectional and "
        + "Dense layers",
        "layer lstm_1: activation elu is not supported (Unroll has tanh, sigmoid, hard_sigmoid, relu, linear and "
            + "softmax)"), f.problems());
    assertEquals("m.h5: layer simple_rnn_1: SimpleRNN is not supported; Unroll has LSTM, GRU, Bidirectional and Dense "
        + "layers",
        assertThrows(ModelFileException.class, f::weights).getMessage());
  }

  @Test
  void inconsistentFilesAreErrors() throws IOException {
    Path missing = new H5().attr("", "layer_names", new String[] {"dense_1", "dense_2"})
        .layer("", "dense_1", weights("dense_1/kernel:0", H5.zeros(2, 2), "dense_1/bias:0", H5.zeros(2)))
        .write(dir.resolve("a.h5"));
    assertEquals("a.h5: layer_names lists dense_2, but there is no group /dense_2",
        assertThrows(ModelFileException.class, () -> ModelFiles.read(missing)).getMessage());
    Path dataset = new H5().attr("", "layer_names", new String[] {"dense_1"})
        .attr("dense_1", "weight_names", new String[] {"dense_1/kernel:0", "dense_1/bias:0"})
        .data("dense_1/dense_1/kernel:0", H5.zeros(2, 2))
        .write(dir.resolve("b.h5"));
    assertEquals("b.h5: weight_names of layer dense_1 lists dense_1/bias:0, but there is no dataset "
        + "/dense_1/dense_1/bias:0", assertThrows(ModelFileException.class, () -> ModelFiles.read(dataset)).getMessage());
    Path bias = new H5()
        .attr("", "model_config", "{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Dense\", "
            + "\"config\": {\"name\": \"dense_1\", \"units\": 2}}]}")
        .attr("model_weights", "layer_names", new String[] {"dense_1"})
        .layer("model_weights", "dense_1", weights("dense_1/kernel:0", H5.zeros(2, 2), "dense_1/bias:0", H5.zeros(3)))
        .write(dir.resolve("c.h5"));
    assertEquals("c.h5: layer dense_1: bias dense_1/bias:0 has shape (3,), expected (2,)",
        assertThrows(ModelFileException.class, () -> ModelFiles.read(bias)).getMessage());
    Path notKeras = new H5().data("x", H5.zeros(2)).write(dir.resolve("d.h5"));
    assertEquals("d.h5: an HDF5 file, but not one Keras wrote: it has no model_weights group, no layer_names attribute"
        + " and no layers group", assertThrows(ModelFileException.class, () -> ModelFiles.read(notKeras)).getMessage());
  }

  @Test
  void configurationAndWeightsMustDescribeTheSameLayers() throws IOException {
    Path weightsFile = new H5().attr("", "layer_names", new String[] {"dense_1"})
        .layer("", "dense_1", weights("dense_1/kernel:0", H5.zeros(2, 2), "dense_1/bias:0", H5.zeros(2)))
        .write(dir.resolve("w.h5"));
    Path config = dir.resolve("c.json");
    Files.writeString(config, "{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Dense\", \"config\": "
        + "{\"name\": \"dense_9\", \"units\": 2}}]}");
    assertEquals("w.h5: the weights have a layer dense_1 that the configuration c.json does not describe",
        assertThrows(ModelFileException.class, () -> ModelFiles.read(weightsFile, config)).getMessage());
    Files.writeString(config, "{\"class_name\": \"Sequential\", \"config\": [{\"class_name\": \"Dense\", \"config\": "
        + "{\"name\": \"dense_1\", \"units\": 3}}]}");
    assertEquals("w.h5: layer dense_1: kernel dense_1/kernel:0 has shape (2, 2), expected (inputs, 3)",
        assertThrows(ModelFileException.class, () -> ModelFiles.read(weightsFile, config)).getMessage());
  }

  @Test
  void functionalModelFileListsItsInputLayer() throws IOException {
    String config = "{\"class_name\": \"Functional\", \"config\": {\"layers\": ["
        + "{\"class_name\": \"InputLayer\", \"name\": \"input_1\", \"config\": {\"name\": \"input_1\", "
        + "\"batch_input_shape\": [null, 6, 2]}, \"inbound_nodes\": []},"
        + "{\"class_name\": \"LSTM\", \"name\": \"lstm\", \"config\": {\"name\": \"lstm\", \"units\": 1, "
        + "\"recurrent_activation\": \"hard_sigmoid\"}, \"inbound_nodes\": [[[\"input_1\", 0, 0, {}]]]}]}}";
    Path file = new H5()
        .attr("", "keras_version", "2.4.0")
        .attr("", "model_config", config)
        .attr("model_weights", "layer_names", new String[] {"input_1", "lstm"})
        .data("model_weights/input_1/placeholder", H5.zeros(1)) // jhdf cannot write the empty group Keras writes
        .layer("model_weights", "lstm", weights("lstm/lstm_cell/kernel:0", H5.zeros(2, 4),
            "lstm/lstm_cell/recurrent_kernel:0", H5.zeros(1, 4), "lstm/lstm_cell/bias:0", H5.zeros(4)))
        .write(dir.resolve("f.h5"));
    ModelFile f = ModelFiles.read(file);
    assertEquals(List.of("lstm"), names(f));
    assertEquals(6, f.layers().get(0).timesteps());
    assertEquals(Activation.HARD_SIGMOID, f.layers().get(0).recurrentActivation());
  }

  @Test
  void functionalModelsMustBeChains() throws ModelFileException {
    String keras2 = "{\"class_name\": \"Functional\", \"config\": {\"layers\": ["
        + "{\"class_name\": \"InputLayer\", \"name\": \"in\", \"config\": {\"name\": \"in\", \"batch_input_shape\": "
        + "[null, 7, 2]}, \"inbound_nodes\": []},"
        + "{\"class_name\": \"LSTM\", \"name\": \"l\", \"config\": {\"name\": \"l\"}, \"inbound_nodes\": "
        + "[[[\"in\", 0, 0, {}]]]},"
        + "{\"class_name\": \"Dense\", \"name\": \"d\", \"config\": {\"name\": \"d\"}, \"inbound_nodes\": "
        + "[[[\"l\", 0, 0, {}]]]}]}}";
    KerasConfig c = KerasConfig.parse(keras2, "f");
    assertEquals(3, c.layers.size());
    assertArrayEquals(new int[] {0, 7, 2}, c.batchShape);

    String branch = keras2.replace("[[[\"l\", 0, 0, {}]]]", "[[[\"l\", 0, 0, {}], [\"in\", 0, 0, {}]]]");
    assertEquals("f: layer d takes its input from l, in, not only from l; Unroll reads models whose layers form one "
        + "chain", assertThrows(ModelFileException.class, () -> KerasConfig.parse(branch, "f")).getMessage());

    String keras3 = "{\"class_name\": \"Functional\", \"config\": {\"layers\": ["
        + "{\"class_name\": \"InputLayer\", \"name\": \"in\", \"config\": {\"name\": \"in\", \"batch_shape\": "
        + "[null, 4, 1]}, \"inbound_nodes\": []},"
        + "{\"class_name\": \"LSTM\", \"name\": \"l\", \"config\": {\"name\": \"l\"}, \"inbound_nodes\": [{\"args\": "
        + "[{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, 4, 1], \"dtype\": \"float32\", "
        + "\"keras_history\": [\"in\", 0, 0]}}], \"kwargs\": {\"training\": false}}]}]}}";
    assertEquals(2, KerasConfig.parse(keras3, "f").layers.size());
    String twoInputs = keras3.replace("{\"class_name\": \"LSTM\"", "{\"class_name\": \"InputLayer\", \"name\": \"in2\", "
        + "\"config\": {\"name\": \"in2\"}, \"inbound_nodes\": []}, {\"class_name\": \"LSTM\"");
    assertEquals("f: the model has more than one input (in, in2); Unroll reads models whose layers form one chain",
        assertThrows(ModelFileException.class, () -> KerasConfig.parse(twoInputs, "f")).getMessage());
    assertEquals("f: the configuration describes a MyModel, not a Sequential or functional model; Unroll reads those (a"
        + " subclassed model has no configuration: read its weights and declare the layers)",
        assertThrows(ModelFileException.class,
            () -> KerasConfig.parse("{\"class_name\": \"MyModel\", \"config\": {}}", "f")).getMessage());
  }

  @Test
  void snakeCaseAndVersions() {
    assertEquals("lstm", KerasDialect.snakeCase("LSTM"));
    assertEquals("dense", KerasDialect.snakeCase("Dense"));
    assertEquals("time_distributed", KerasDialect.snakeCase("TimeDistributed"));
    assertEquals("input_layer", KerasDialect.snakeCase("InputLayer"));
    assertEquals("simple_rnn", KerasDialect.snakeCase("SimpleRNN"));
    assertEquals("conv1d", KerasDialect.snakeCase("Conv1D"));
    assertEquals(2, KerasDialect.major("2.2.4-tf"));
    assertEquals(3, KerasDialect.major("3.8.0"));
    assertEquals(1, KerasDialect.major("1"));
    assertEquals(Activation.HARD_SIGMOID, KerasDialect.activation("hard_sigmoid", 2, new java.util.ArrayList<>()));
    assertEquals(Activation.HARD_SIGMOID_KERAS3, KerasDialect.activation("hard_sigmoid", 3, new java.util.ArrayList<>()));
    assertEquals(Activation.LINEAR, KerasDialect.activation(null, 2, new java.util.ArrayList<>()));
  }
}
