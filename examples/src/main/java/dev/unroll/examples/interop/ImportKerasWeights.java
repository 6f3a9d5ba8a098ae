package dev.unroll.examples.interop;

import dev.unroll.Tensor;
import dev.unroll.io.DeclarationPrinter;
import dev.unroll.io.ModelFile;
import dev.unroll.io.ModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Weight import, end to end, on a real tf.keras 2.12 model file: print the declaration that matches the
 * file, load the file into the model declared that way ({@link LstmDenseForecaster}), checking the
 * architecture first, and predict.
 *
 * <p>Run from the repository root (the file is a test resource of this module):
 * {@code mvn -B -q -pl examples exec:java -Dexec.mainClass=dev.unroll.examples.interop.ImportKerasWeights}
 * or pass another {@code lstm.h5} path as the argument.
 */
public final class ImportKerasWeights {
  static final String DEFAULT_FILE = "src/test/resources/interop/herziox-tf2.12-lstm-dense/lstm.h5";

  private ImportKerasWeights() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("slf4j.internal.verbosity", "ERROR"); // jhdf logs through SLF4J; no provider here
    Path file = args.length > 0 ? Path.of(args[0]) : defaultFile();

    ModelFile read = ModelFiles.read(file);
    System.out.println("== The declaration for " + file.getFileName() + " ==");
    System.out.print(DeclarationPrinter.declaration(read, "LstmDenseForecaster", 0));

    UnrolledLstmDenseForecaster model = new UnrolledLstmDenseForecaster();
    ModelFiles.load(model, read); // checks every layer against the declaration, then sets all weights
    System.out.println();
    System.out.println("== Loaded into UnrolledLstmDenseForecaster ==");
    System.out.print(model.summary());

    Tensor x = Tensor.zeros(1, UnrolledLstmDenseForecaster.TIMESTEPS, UnrolledLstmDenseForecaster.FEATURES);
    for (int t = 0; t < UnrolledLstmDenseForecaster.TIMESTEPS; t++) {
      x.data()[t] = 0.5 + 0.4 * Math.sin(0.3 * t);
    }
    double y = model.predict(x).data()[0];
    System.out.println(String.format(Locale.ROOT,
        "predict(x_t = 0.5 + 0.4 sin(0.3 t), t = 0..49) = %.10f   (Keras/NumPy: 0.8658384874)", y));
  }

  private static Path defaultFile() {
    Path fromRoot = Path.of("examples").resolve(DEFAULT_FILE);
    return Files.exists(fromRoot) ? fromRoot : Path.of(DEFAULT_FILE);
  }
}
