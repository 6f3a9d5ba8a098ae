package dev.unroll.cli;

import static dev.unroll.cli.Jar.DL4J;
import static dev.unroll.cli.Jar.HERZIOX;
import static dev.unroll.cli.Jar.KERAS3;
import static dev.unroll.cli.Jar.resource;
import static dev.unroll.cli.Jar.run;
import static dev.unroll.cli.Jar.testClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Tensor;
import dev.unroll.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} against the generated models of {@code dev.unroll.cli.models} (compiled with the processor
 * into the test classes), with the real files' reference data.
 */
class CheckIT {
  private static final String MODELS = "dev.unroll.cli.models.";
  private static final Pattern PARITY = Pattern.compile("max \\|Unroll - expected\\| = (\\S+) at sample");

  static String h5() {
    return resource(HERZIOX + "lstm.h5").toString();
  }

  @Test
  void aFileThatFitsIsLoadedAndSaysParityWasNotChecked() {
    Jar.Run r = run("check", h5(), "--model", MODELS + "LstmDenseForecaster", "--classpath", testClasses()).exits(0);
    assertEquals("lstm.h5 (Keras 2.12.0 model (.h5)) fits dev.unroll.cli.models.UnrolledLstmDenseForecaster:"
        + " 4 layers, 11,946 parameters loaded\n"
        + "Parity: not checked (give the file's test data with --inputs X --expected Y)\n", r.out());
    assertTrue(r.err().isEmpty(), r.err());
  }

  @Test
  void theGeneratedClassNameWorksAsWellAsTheDeclaration() {
    run("check", h5(), "-m", MODELS + "UnrolledLstmDenseForecaster", "-cp", testClasses()).exits(0)
        .outContains("fits dev.unroll.cli.models.UnrolledLstmDenseForecaster");
  }

  @Test
  void parityOnTheFilesNumPyReferenceIsWithinTolerance() {
    Jar.Run r = run("check", h5(), "--model", MODELS + "LstmDenseForecaster", "--classpath", testClasses(),
        "--inputs", resource(HERZIOX + "x.csv").toString(), "--expected", resource(HERZIOX + "y.csv").toString())
        .exits(0).outContains("Parity on 1 sample: ").outContains("(tolerance 1.00e-05): PASS");
    assertTrue(maxError(r) <= 1e-6, r.out());
  }

  @Test
  void inputsAndOutputsAsNpyArrays(@TempDir Path dir) throws IOException {
    Tensor x = Tensor.zeros(2, 50, 1);
    for (int t = 0; t < 50; t++) {
      x.set(0.5 + 0.4 * Math.sin(0.3 * t), 0, t, 0);
      x.set(0.5 + 0.4 * Math.sin(0.3 * t), 1, t, 0);
    }
    Path xs = dir.resolve("x.npy");
    Path ys = dir.resolve("y.npy");
    Files.write(xs, Npz.toNpy(x));
    Files.write(ys, Npz.toNpy(Tensor.of(new double[][] {{0.8658384874331098}, {0.8658384874331098}})));
    run("check", h5(), "--model", MODELS + "LstmDenseForecaster", "--classpath", testClasses(),
        "--inputs", xs.toString(), "--expected", ys.toString())
        .exits(0).outContains("Parity on 2 samples: ").outContains(": PASS");

    Path wrong = dir.resolve("wrong.npy");
    Files.write(wrong, Npz.toNpy(Tensor.zeros(2, 49, 1)));
    run("check", h5(), "--model", MODELS + "LstmDenseForecaster", "--classpath", testClasses(),
        "--inputs", wrong.toString(), "--expected", ys.toString())
        .exits(1).errContains("wrong.npy: shape (2, 49, 1), the model reads (batch, 50, 1)");
  }

  @Test
  void parityOnAll283KerasPredictionsOfTheDl4jModel() {
    Jar.Run r = run("check", resource(DL4J + "lstm_th_keras_2_weights.h5").toString(),
        "--config", resource(DL4J + "lstm_th_keras_2_config.json").toString(),
        "--model", MODELS + "Dl4jStackedLstm", "--classpath", testClasses(),
        "--inputs", resource(DL4J + "data/sequences").toString(),
        "--expected", resource(DL4J + "predictions.npy").toString())
        .exits(0)
        .outContains("fits dev.unroll.cli.models.UnrolledDl4jStackedLstm: 3 layers, 116,065 parameters loaded")
        .outContains("Note: 283 samples from the .csv files of ")
        .outContains("Note: rows have 13 values; the model's 12 features are the first 12")
        .outContains("Parity on 283 samples: ").outContains(": PASS");
    double err = maxError(r);
    assertTrue(err > 0 && err <= 1e-6, "Keras computed in float32, Unroll in float64: a small, nonzero error; "
        + r.out());
  }

  @Test
  void anErrorAboveTheToleranceFailsNamingTheSampleAndBothValues() {
    Jar.Run r = run("check", resource(DL4J + "lstm_th_keras_2_weights.h5").toString(),
        "--config", resource(DL4J + "lstm_th_keras_2_config.json").toString(),
        "--model", MODELS + "Dl4jStackedLstm", "--classpath", testClasses(),
        "--inputs", resource(DL4J + "data/sequences").toString(),
        "--expected", resource(DL4J + "predictions.npy").toString(), "--tolerance", "1e-12")
        .exits(1).outContains("(tolerance 1.00e-12): FAIL");
    r.errContains("lstm_th_keras_2_weights.h5: the model computes ").errContains("; expected ")
        .errContains("> tolerance 1.00e-12)");
  }

  @Test
  void wrongReferenceOutputsFail(@TempDir Path dir) throws IOException {
    Path wrong = dir.resolve("y.csv");
    Files.writeString(wrong, "0.9\n");
    run("check", h5(), "--model", MODELS + "LstmDenseForecaster", "--classpath", testClasses(),
        "--inputs", resource(HERZIOX + "x.csv").toString(), "--expected", wrong.toString())
        .exits(1).outContains(": FAIL").errContains("lstm.h5: the model computes 0.86583848743310")
        .errContains("for sample 0, output 0; expected 0.9 (error 0.0342 > tolerance 1.00e-05)");
  }

  @Test
  void referenceDataOfTheWrongShapeIsNamed(@TempDir Path dir) throws IOException {
    Path two = dir.resolve("y.csv");
    Files.writeString(two, "0.1\n0.2\n");
    run("check", h5(), "--model", MODELS + "LstmDenseForecaster", "--classpath", testClasses(),
        "--inputs", resource(HERZIOX + "x.csv").toString(), "--expected", two.toString())
        .exits(1).errContains("y.csv: 2 values, the model gives 1 for the 1 sample of ");
    Path shortInput = dir.resolve("x.csv");
    Files.writeString(shortInput, "0.1\n0.2\n0.3\n");
    run("check", h5(), "--model", MODELS + "LstmDenseForecaster", "--classpath", testClasses(),
        "--inputs", shortInput.toString(), "--expected", resource(HERZIOX + "y.csv").toString())
        .exits(1).errContains("x.csv: 3 rows, not a multiple of the model's 50 timesteps");
  }

  @Test
  void aModelTheFileDoesNotFitGetsEveryDifferenceAndNothingOnStdout() {
    Jar.Run r = run("check", h5(), "--model", MODELS + "WrongForecaster", "--classpath", testClasses())
        .exits(1).failsCleanly();
    r.errContains("unroll check: lstm.h5 does not fit the model (6 differences); nothing was loaded:")
        .errContains("file has 4 layers (lstm_6 LSTM(50), dense_18 Dense(25), dense_19 Dense(10), dense_20 Dense(1)),"
            + " model declares 2 layers")
        .errContains("layer lstm_6 (model's lstm): file has units 50, model declares 32")
        .errContains("layer lstm_6 (model's lstm): file has 1 features, model declares features = 2")
        .errContains("layer lstm_6 (model's lstm): file has activation relu, model declares TANH")
        .errContains("layer dense_18 (model's dense): file has units 25, model declares 1")
        .errContains("layer dense_18 (model's dense): file has 50 inputs, model gives it 32");
  }

  @Test
  void aFileWithAMaskingLayerIsRefusedByAModelWithoutOne() {
    run("check", resource(KERAS3 + "model.keras").toString(), "--model", MODELS + "LstmDenseForecaster",
        "--classpath", testClasses())
        .exits(1).failsCleanly().errContains("file has a Masking layer, model declares LSTM");
  }

  @Test
  void aClassThatIsNotOnTheClassPathIsNamed() {
    run("check", h5(), "--model", "com.example.Nope", "--classpath", testClasses()).exits(1).failsCleanly()
        .errContains("class com.example.Nope is not on the class path (" + testClasses() + ")");
  }

  @Test
  void aClassThatIsNotAGeneratedModelIsNamed() {
    run("check", h5(), "--model", "dev.unroll.cli.Jar", "--classpath", testClasses()).exits(1).failsCleanly()
        .errContains("class dev.unroll.cli.Jar is not a model Unroll generated (it does not implement"
            + " dev.unroll.SequenceModel), and dev.unroll.cli.UnrolledJar");
  }

  @Test
  void aMissingClassPathEntryIsNamed() {
    run("check", h5(), "--model", MODELS + "LstmDenseForecaster", "--classpath", "no/such/dir").exits(1)
        .failsCleanly().errContains("class path entry no/such/dir does not exist");
  }

  @Test
  void usageErrorsExit2() {
    run("check", h5()).exits(2).errContains("Missing required option: '--model=CLASS'");
    run("check", h5(), "--model", MODELS + "LstmDenseForecaster", "--classpath", testClasses(),
        "--inputs", resource(HERZIOX + "x.csv").toString())
        .exits(2).errContains("--inputs and --expected go together");
    run("check", h5(), "--model", MODELS + "LstmDenseForecaster", "--tolerance", "-1").exits(2)
        .errContains("--tolerance must be a finite number >= 0, found -1.0");
  }

  private static double maxError(Jar.Run r) {
    Matcher m = PARITY.matcher(r.out());
    assertTrue(m.find(), r.out());
    return Double.parseDouble(m.group(1));
  }
}
