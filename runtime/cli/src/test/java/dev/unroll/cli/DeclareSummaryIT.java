package dev.unroll.cli;

import static dev.unroll.cli.Jar.DL4J;
import static dev.unroll.cli.Jar.HERZIOX;
import static dev.unroll.cli.Jar.KERAS3;
import static dev.unroll.cli.Jar.resource;
import static dev.unroll.cli.Jar.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.models.UnrolledDl4jStackedLstm;
import dev.unroll.cli.models.UnrolledLstmDenseForecaster;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code declare} and {@code summary} on the real Keras files. */
class DeclareSummaryIT {
  @Test
  void declarePrintsWhatDeclarationPrinterPrints() throws IOException {
    Jar.Run r = run("declare", resource(HERZIOX + "lstm.h5").toString(), "--name", "LstmDenseForecaster").exits(0);
    assertEquals(Files.readString(resource("expected/herziox-declare.txt")), r.out());
    assertTrue(r.err().isEmpty(), r.err());
  }

  @Test
  void declareAndSummaryOfAnOnnxExportOfTorch() {
    // the examples module's copy (the jar runs in target/, the tests in the module's folder)
    java.nio.file.Path dir = resource("files").resolve("../../../../..").normalize(); // runtime/cli/target/test-classes/files
    String file = dir.resolve("examples/src/test/resources/interop/onnx-torch1.13/lstm_stacked.onnx").toString();
    run("declare", file, "--name", "LstmStacked").exits(0)
        .outContains("@Lstm(units = 8, timesteps = 10, features = 3, returnSequences = true)")
        .outContains("@Dense(units = 3, activation = SOFTMAX)")
        .outContains("// Total params: 979");
    run("summary", file).exits(0)
        .outContains(" rnn.l1 (ONNX LSTM)          (None, 8)                 544\n")
        .outContains("Format: ONNX from pytorch 1.13.0, opset 14");
  }

  @Test
  void declareOfAWeightsOnlyFileWithItsConfigurationStatesEveryAttribute() {
    run("declare", resource(DL4J + "lstm_th_keras_2_weights.h5").toString(),
        "--config", resource(DL4J + "lstm_th_keras_2_config.json").toString(), "--name", "Dl4jStackedLstm")
        .exits(0)
        .outContains("@Lstm(units = 96, timesteps = 4, features = 12, returnSequences = true,"
            + " recurrentActivation = HARD_SIGMOID)")
        .outContains("@Dense(units = 1, activation = SIGMOID)")
        .outContains("// Total params: 116,065");
  }

  @Test
  void declareOfAFileWithAMaskingLayerUsesTheMemberForm() throws IOException {
    Jar.Run r = run("declare", resource(KERAS3 + "model.keras").toString(), "--name", "MaskingLstm").exits(0);
    assertEquals(Files.readString(resource("expected/keras3-declare.txt")), r.out());
  }

  @Test
  void summaryIsTheTableTheGeneratedClassPrints() {
    Jar.Run r = run("summary", resource(HERZIOX + "lstm.h5").toString(), "--name", "LstmDenseForecaster").exits(0);
    String generated = new UnrolledLstmDenseForecaster().summary();
    String table = r.out().substring(0, r.out().indexOf("Format: "));
    assertEquals(withoutLayerNames(generated), withoutLayerNames(table), "the file's layer names are its own");
    assertTrue(table.contains(" lstm_6 (LSTM)               (None, 50)                10400\n"), table);
    assertEquals("Format: Keras 2.12.0 model (.h5)\n", r.out().substring(table.length()));
  }

  /** A summary with {@code  lstm_6 (LSTM)      } as {@code  (LSTM) }: the generated class names layers as Keras would. */
  static String withoutLayerNames(String summary) {
    return summary.replaceAll("(?m)^ [\\w.]+ \\((\\w+)\\) +", " ($1) ");
  }

  @Test
  void summaryOfAStackedModelShowsTheSequenceShapesAndTotals() {
    Jar.Run r = run("summary", resource(DL4J + "lstm_th_keras_2_weights.h5").toString(),
        "--config", resource(DL4J + "lstm_th_keras_2_config.json").toString(), "--name", "Dl4jStackedLstm")
        .exits(0)
        .outContains(" lstm_1 (LSTM)               (None, 4, 96)             41856\n")
        .outContains(" lstm_2 (LSTM)               (None, 96)                74112\n")
        .outContains(" dense_1 (Dense)             (None, 1)                 97\n")
        .outContains("Total params: 116,065\n");
    String table = r.out().substring(0, r.out().indexOf("Format: "));
    assertEquals(withoutLayerNames(new UnrolledDl4jStackedLstm().summary()), withoutLayerNames(table));
  }

  @Test
  void summaryOfAWeightsOnlyFileSaysWhatItDoesNotKnow() {
    run("summary", resource(DL4J + "lstm_th_keras_2_weights.h5").toString()).exits(0)
        .outContains(" lstm_1 (LSTM)               (None, None, 96)          41856\n")
        .outContains("Note: the sequence length is not in the file: shown as None (give it with --timesteps N)")
        .outContains("Note: no configuration: activations, return_sequences and the sequence length are not in"
            + " the file");
    run("summary", "--timesteps", "4", resource(DL4J + "lstm_th_keras_2_weights.h5").toString()).exits(0)
        .outContains(" lstm_1 (LSTM)               (None, 4, 96)             41856\n");
  }

  @Test
  void summaryOfAFileWithAMaskingLayer() {
    Jar.Run r = run("summary", resource(KERAS3 + "model.keras").toString()).exits(0)
        .outContains(" masking (Masking)           (None, 3, 2)              0\n")
        .outContains(" lstm (LSTM)                 (None, 1)                 16\n");
    assertTrue(!r.out().contains("Not supported by Unroll"), r.out());
  }
}
