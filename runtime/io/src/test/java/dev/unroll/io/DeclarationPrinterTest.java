package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeclarationPrinterTest {
  @TempDir
  Path dir;

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = DeclarationPrinter.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Path stateDict(boolean headFirst) throws IOException {
    Map<String, Tensor> sd = new LinkedHashMap<>();
    if (headFirst) {
      sd.put("fc.weight", Tensor.zeros(2, 1));
    }
    sd.put("rnn.weight_ih_l0", Tensor.zeros(8, headFirst ? 2 : 3));
    sd.put("rnn.weight_hh_l0", Tensor.zeros(8, 2));
    if (!headFirst) {
      sd.put("fc.weight", Tensor.zeros(1, 2));
      sd.put("fc.bias", Tensor.zeros(1));
    }
    Path file = dir.resolve(headFirst ? "head-first.safetensors" : "m.safetensors");
    Safetensors.write(file, sd);
    return file;
  }

  @Test
  void pyTorchFileWithAndWithoutTimesteps() throws IOException {
    Path file = stateDict(false);
    Run r = run("--name", "Tagger", file.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals("// m.safetensors: PyTorch state dict (.safetensors)\n"
        + "import dev.unroll.Dense;\n"
        + "import dev.unroll.Lstm;\n\n"
        + "@Lstm(units = 2, features = 3, useBias = false) // rnn (LSTM)             (None, 2)        40\n"
        + "@Dense(units = 1)                               // fc (Dense)             (None, 1)        3\n"
        + "interface Tagger {}                             // Total params: 43\n"
        + "// Note: the sequence length is not in the file: add timesteps = <steps> to the first @Lstm (or run with "
        + "--timesteps N)\n"
        + "// Note: whether rnn returns the whole sequence is not in the file: add returnSequences = true to its @Lstm "
        + "if the layers after it read every step\n"
        + "// Note: module order (not recorded in a state dict): rnn → fc, from the file's module order, recurrent "
        + "modules first\n"
        + "// Note: a PyTorch state dict records no activations (nn.LSTM and nn.GRU compute with tanh and sigmoid; an "
        + "activation that forward() applies after an nn.Linear is not in the file), no sequence length, and not "
        + "whether the head reads every step of the last recurrent layer or only the last one: these are not "
        + "checked\n", r.out());
    assertTrue(run("--timesteps", "12", file.toString()).out()
        .contains("@Lstm(units = 2, timesteps = 12, features = 3, useBias = false)"));
  }

  @Test
  void usageAndUnreadableFiles() {
    assertEquals(1, run().status());
    assertTrue(run().err().startsWith("usage: DeclarationPrinter"));
    assertEquals(1, run("--timesteps", "x", "f").status());
    assertEquals(1, run("--name", "not a name", "f").status());
    assertEquals(1, run("--verbose", "f").status());
    Run missing = run(dir.resolve("absent.h5").toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("absent.h5"), missing.err());
  }

  @Test
  void aDenseLayerBeforeTheLstmIsDeclaredInTheMemberForm() throws IOException {
    Map<String, Tensor> withHead = new LinkedHashMap<>();
    withHead.put("fc.weight", Tensor.zeros(4, 1));
    withHead.put("rnn.weight_ih_l0", Tensor.zeros(8, 4));
    withHead.put("rnn.weight_hh_l0", Tensor.zeros(8, 2));
    ModelFile f = ModelFiles.fromStateDict("f", withHead, java.util.List.of("fc", "rnn"));
    String text = DeclarationPrinter.declaration(f, "M", 5);
    assertTrue(DeclarationPrinter.declarable(f), text);
    assertTrue(!text.contains("NOT FULLY DECLARABLE"), text);
    assertTrue(text.contains("import dev.unroll.Input;\nimport dev.unroll.Layer;\n"), text);
    assertTrue(text.contains("@Input(timesteps = 5, features = 1)\ninterface M {\n"), text);
    assertTrue(text.contains("  @Dense(units = 4, useBias = false) Layer fc(); // fc (Dense)"), text);
    assertTrue(text.contains("(None, 5, 4)"), text);
    assertTrue(text.contains("  @Lstm(units = 2, useBias = false)     Layer rnn();")
        || text.contains("@Lstm(units = 2, useBias = false) Layer rnn();"), text);
    assertTrue(!text.contains("timesteps = 5, features = 4"), "no shapes on the layers: " + text);
  }

  @Test
  void layerNamesThatAreNotJavaMethodNamesAreRenamed() {
    assertEquals("time_distributed", DeclarationPrinter.methodName("time_distributed"));
    assertEquals("dense_1", DeclarationPrinter.methodName("dense_1"));
    assertEquals("_1st_layer", DeclarationPrinter.methodName("1st-layer"));
    assertEquals("summary_", DeclarationPrinter.methodName("summary"));
    assertEquals("class_", DeclarationPrinter.methodName("class"));
  }
}
