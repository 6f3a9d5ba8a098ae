package dev.unroll.cli;

import static dev.unroll.cli.Jar.DL4J;
import static dev.unroll.cli.Jar.HERZIOX;
import static dev.unroll.cli.Jar.resource;
import static dev.unroll.cli.Jar.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Tensor;
import dev.unroll.cli.models.UnrolledDl4jStackedLstm;
import dev.unroll.io.ModelFiles;
import dev.unroll.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convert}: the .npz it writes holds get_weights() in order, and round-trips into the model. */
class ConvertIT {
  @Test
  void writesGetWeightsInOrderAsNumpySavezNamesThem(@TempDir Path dir) throws IOException {
    Path h5 = resource(DL4J + "lstm_th_keras_2_weights.h5");
    Path config = resource(DL4J + "lstm_th_keras_2_config.json");
    Path npz = dir.resolve("weights.npz");
    Jar.Run r = run("convert", h5.toString(), "--config", config.toString(), "-o", npz.toString()).exits(0);
    assertEquals("arr_0   lstm_1 kernel            (12, 384)\n"
        + "arr_1   lstm_1 recurrent_kernel  (96, 384)\n"
        + "arr_2   lstm_1 bias              (384,)\n"
        + "arr_3   lstm_2 kernel            (96, 384)\n"
        + "arr_4   lstm_2 recurrent_kernel  (96, 384)\n"
        + "arr_5   lstm_2 bias              (384,)\n"
        + "arr_6   dense_1 kernel           (96, 1)\n"
        + "arr_7   dense_1 bias             (1,)\n"
        + "Wrote 8 arrays, 116,065 weights (Keras 2.0.8 weights (.h5, save_weights), configuration"
        + " lstm_th_keras_2_config.json) to " + npz + "\n", r.out());

    Map<String, Tensor> written = Npz.read(npz);
    List<Tensor> expected = ModelFiles.read(h5, config).weights();
    assertEquals(List.of("arr_0", "arr_1", "arr_2", "arr_3", "arr_4", "arr_5", "arr_6", "arr_7"),
        new ArrayList<>(written.keySet()));
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i).shape(), written.get("arr_" + i).shape(), "arr_" + i);
      assertArrayEquals(expected.get(i).data(), written.get("arr_" + i).data(), "arr_" + i + " exactly");
    }

    // round trip: the arrays, in order, are what the model's setWeights takes, and give Keras's predictions
    UnrolledDl4jStackedLstm model = new UnrolledDl4jStackedLstm();
    model.setWeights(new ArrayList<>(written.values()));
    Tensor x = Tensor.zeros(1, 4, 12);
    List<String> rows = Files.readAllLines(resource(DL4J + "data/sequences/0.csv"));
    for (int t = 0; t < 4; t++) {
      String[] cells = rows.get(t).split(";");
      for (int f = 0; f < 12; f++) {
        x.set(Double.parseDouble(cells[f]), 0, t, f);
      }
    }
    double keras = Npz.readNpy(Files.readAllBytes(resource(DL4J + "predictions.npy"))).data()[0];
    assertEquals(keras, model.predict(x).data()[0], 1e-6);
  }

  @Test
  void compressedWritesTheSameArrays(@TempDir Path dir) throws IOException {
    Path plain = dir.resolve("plain.npz");
    Path deflated = dir.resolve("deflated.npz");
    run("convert", resource(HERZIOX + "lstm.h5").toString(), "-o", plain.toString()).exits(0)
        .outContains("arr_3   dense_18 kernel          (50, 25)\n")
        .outContains("Wrote 9 arrays, 11,946 weights");
    run("convert", resource(HERZIOX + "lstm.h5").toString(), "-o", deflated.toString(), "--compressed").exits(0);
    assertEquals(Npz.read(plain), Npz.read(deflated));
    assertTrue(Files.size(deflated) < Files.size(plain), Files.size(deflated) + " vs " + Files.size(plain));
  }

  @Test
  void anOutputThatIsNotNpzIsAUsageError(@TempDir Path dir) {
    run("convert", resource(HERZIOX + "lstm.h5").toString(), "-o", dir.resolve("w.h5").toString()).exits(2)
        .errContains("-o must name an .npz file, found ");
    run("convert", resource(HERZIOX + "lstm.h5").toString()).exits(2)
        .errContains("Missing required option: '--output=NPZ'");
    assertFalse(Files.exists(dir.resolve("w.h5")));
  }

  @Test
  void aMissingFileWritesNothing(@TempDir Path dir) {
    Path out = dir.resolve("w.npz");
    run("convert", dir.resolve("missing.h5").toString(), "-o", out.toString()).exits(1).failsCleanly()
        .errContains("missing.h5: no such file");
    assertFalse(Files.exists(out));
  }
}
