package dev.unroll.examples.interop;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.unroll.Tensor;
import dev.unroll.io.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test resources of {@code interop/} (copies of the real files, see the SOURCE.md beside each) and small readers. */
final class Resources {
  private Resources() {}

  static final String DL4J = "dl4j-stacked-lstm-keras2.0.8-theano/";
  static final String HERZIOX = "herziox-tf2.12-lstm-dense/";
  static final String KERAS3 = "keras3.8-masking-lstm/";
  static final String KERASJS = "kerasjs-keras2.0-recurrent/";
  static final String RTNEURAL = "rtneural/";
  static final String TORCH_RECURRENT = "torch-gru-bidirectional/";

  static {
    // jhdf logs through SLF4J, which warns once on stderr when no provider is on the class path
    System.setProperty("slf4j.internal.verbosity", "ERROR");
  }

  /** The path of a resource under {@code interop/}. */
  static Path path(String name) {
    URL url = Resources.class.getResource("/interop/" + name);
    assertNotNull(url, "test resource interop/" + name);
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(String name) {
    try {
      return Files.readString(path(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A column of numbers, one per line. */
  static double[] column(String name) {
    return text(name).lines().filter(l -> !l.isBlank()).mapToDouble(l -> Double.parseDouble(l.trim())).toArray();
  }

  /** A {@code .npy} array's values, read with the runtime's NumPy reader. */
  static double[] npy(String name) throws IOException {
    return Npz.readNpy(Files.readAllBytes(path(name))).data();
  }
}
