package dev.unroll.examples.interop;

import static dev.unroll.examples.interop.Resources.KERASJS;
import static dev.unroll.examples.interop.Resources.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.unroll.MergeMode;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.io.FileLayer;
import dev.unroll.io.ModelFile;
import dev.unroll.io.ModelFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * keras-js's Keras 2.0 GRU and Bidirectional test cases (test resources
 * {@code interop/kerasjs-keras2.0-recurrent/}, see SOURCE.md there): Keras's weights, written by
 * make_h5.py into Keras 2 model files (.h5, the layout of tf.keras's model.save; the container is not
 * Keras's), loaded through the checked path and run on keras-js's input. The output must be Keras's to
 * {@value #TOLERANCE} (keras-js rounded weights, inputs and outputs to 6 decimals); each case also goes
 * through {@code setWeights} with the JSON's arrays directly.
 */
class KerasRecurrentFilesTest {
  /** keras-js's tolerance for its 6-decimal data. */
  static final double TOLERANCE = 1e-5;

  static JsonObject testCase(String json, String key) {
    return JsonParser.parseString(Resources.text(KERASJS + json)).getAsJsonObject().getAsJsonObject(key);
  }

  static double[] data(JsonObject o) {
    JsonArray a = o.getAsJsonArray("data");
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).getAsDouble();
    }
    return v;
  }

  static int[] shape(JsonObject o) {
    JsonArray a = o.getAsJsonArray("shape");
    int[] s = new int[a.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = a.get(i).getAsInt();
    }
    return s;
  }

  static List<Tensor> weights(JsonObject c) {
    List<Tensor> out = new ArrayList<>();
    for (var w : c.getAsJsonArray("weights")) {
      out.add(Tensor.wrap(data(w.getAsJsonObject()), shape(w.getAsJsonObject())));
    }
    return out;
  }

  /** The case's input with a batch axis of 1: (1, T, F). */
  static Tensor input(JsonObject c) {
    int[] s = shape(c.getAsJsonObject("input"));
    return Tensor.wrap(data(c.getAsJsonObject("input")), 1, s[0], s[1]);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("recurrent/GRU.json", "recurrent.GRU.0", "h5/gru_0.h5", (Supplier<SequenceModel>) UnrolledKjsGru0::new),
        Arguments.of("recurrent/GRU.json", "recurrent.GRU.1", "h5/gru_1.h5", (Supplier<SequenceModel>) UnrolledKjsGru1::new),
        Arguments.of("recurrent/GRU.json", "recurrent.GRU.2", "h5/gru_2.h5", (Supplier<SequenceModel>) UnrolledKjsGru2::new),
        Arguments.of("recurrent/GRU.json", "recurrent.GRU.3", "h5/gru_3.h5", (Supplier<SequenceModel>) UnrolledKjsGru3::new),
        Arguments.of("recurrent/GRU.json", "recurrent.GRU.4", "h5/gru_4.h5", (Supplier<SequenceModel>) UnrolledKjsGru4::new),
        Arguments.of("wrappers/Bidirectional.json", "wrappers.Bidirectional.5", "h5/bidirectional_5.h5",
            (Supplier<SequenceModel>) UnrolledKjsBiGru::new),
        Arguments.of("wrappers/Bidirectional.json", "wrappers.Bidirectional.6", "h5/bidirectional_6.h5",
            (Supplier<SequenceModel>) UnrolledKjsBiLstm::new));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("cases")
  void h5FileReproducesKeras(String json, String key, String h5, Supplier<SequenceModel> declared) throws IOException {
    JsonObject c = testCase(json, key);
    SequenceModel model = declared.get();
    ModelFile file = ModelFiles.load(model, path(KERASJS + h5));
    assertEquals("2.12.0", file.kerasVersion());
    FileLayer layer = file.layers().get(0);
    if (key.contains("Bidirectional")) {
      assertEquals("Bidirectional", layer.kind());
      assertEquals(key.endsWith("5") ? "GRU" : "LSTM", layer.wrapped());
      assertEquals(MergeMode.CONCAT, layer.mergeMode());
    } else {
      assertEquals("GRU", layer.kind());
      assertEquals(Boolean.FALSE, layer.resetAfter());
    }
    // the file's arrays are keras-js's, as float32, in get_weights() order (forward layer's, then backward's)
    List<Tensor> expectedWeights = weights(c);
    List<Tensor> loaded = model.getWeights();
    assertEquals(expectedWeights.size(), loaded.size());
    for (int i = 0; i < loaded.size(); i++) {
      assertArrayEquals(expectedWeights.get(i).shape(), loaded.get(i).shape(), "array " + i);
      double[] e = expectedWeights.get(i).data();
      for (int j = 0; j < e.length; j++) {
        assertEquals((float) e[j], loaded.get(i).data()[j], 0.0, "array " + i + " value " + j);
      }
    }
    double[] expected = data(c.getAsJsonObject("expected"));
    double deviation = KerasFilesTest.maxDeviation(expected, model.predict(input(c)).data());
    KerasFilesTest.report("keras-js Keras 2.0 " + key + " (" + h5 + ")", deviation);
    assertTrue(deviation <= TOLERANCE, "max deviation " + deviation);

    SequenceModel direct = declared.get();
    direct.setWeights(expectedWeights);
    double directDeviation = KerasFilesTest.maxDeviation(expected, direct.predict(input(c)).data());
    KerasFilesTest.report("keras-js Keras 2.0 " + key + " (setWeights)", directDeviation);
    assertTrue(directDeviation <= TOLERANCE, "max deviation " + directDeviation);
  }
}
