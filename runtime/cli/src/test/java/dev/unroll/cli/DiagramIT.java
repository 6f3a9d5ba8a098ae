package dev.unroll.cli;

import static dev.unroll.cli.Jar.HERZIOX;
import static dev.unroll.cli.Jar.KERAS3;
import static dev.unroll.cli.Jar.resource;
import static dev.unroll.cli.Jar.run;
import static dev.unroll.cli.Jar.testClasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diagram}: copies the SVG the processor writes beside a generated class, or draws a file's model by
 * compiling its declaration with the processor in the jar; says clearly when the processor draws none.
 */
class DiagramIT {
  /** Where the processor that compiled the test models put the picture of one, if it draws pictures. */
  static Path processorsSvg() {
    return Path.of(testClasses(), "dev/unroll/cli/models/UnrolledLstmDenseForecaster.svg");
  }

  @Test
  void aClassGetsTheProcessorsSvgOrAClearRefusal(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("x.svg");
    Path beside = processorsSvg();
    Jar.Run r = run("diagram", "dev.unroll.cli.models.LstmDenseForecaster", "--classpath", testClasses(),
        "-o", out.toString());
    if (Files.exists(beside)) {
      // a processor with the diagram writer compiled the test models
      r.exits(0).outContains("Wrote " + out);
      assertArrayEquals(Files.readAllBytes(beside), Files.readAllBytes(out));
    } else {
      r.exits(1).failsCleanly()
          .errContains("diagram of dev.unroll.cli.models.UnrolledLstmDenseForecaster is not available:"
              + " dev/unroll/cli/models/UnrolledLstmDenseForecaster.svg is not beside the class");
      assertFalse(Files.exists(out));
    }
  }

  @Test
  void aFileIsDrawnByTheProcessorInTheJarOrSaysItIsNotAvailable(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("x.svg");
    Jar.Run r = run("diagram", resource(HERZIOX + "lstm.h5").toString(), "-o", out.toString());
    if (Files.exists(processorsSvg())) {
      // the processor (shaded into the jar too) has the diagram writer
      r.exits(0).outContains("Wrote " + out).outContains("the diagram of lstm.h5 (Keras 2.12.0 model (.h5))");
      String svg = Files.readString(out);
      assertTrue(svg.contains("<svg"), svg);
      assertTrue(svg.contains("10400") || svg.contains("10,400") || svg.contains("11,946") || svg.contains("11946"),
          "a parameter count of lstm.h5 (its LSTM's, or the total):\n" + svg);
    } else {
      r.exits(1).failsCleanly().errContains("unroll diagram: diagram of a model file is not available in this build:"
          + " the Unroll processor in this jar compiled the file's declaration but wrote no UnrolledModel.svg");
      assertFalse(Files.exists(out));
    }
  }

  @Test
  void aFileWithAMaskingLayerHasNoDiagramYetAndSaysWhy(@TempDir Path dir) {
    Path out = dir.resolve("x.svg");
    run("diagram", resource(KERAS3 + "model.keras").toString(), "-o", out.toString()).exits(1).failsCleanly()
        .errContains("model.keras: Unroll: UnrolledModel: no picture written: the diagram draws LSTM and Dense stacks"
            + " that start with an LSTM, not yet GRU, Bidirectional, Masking or a Dense layer first");
    assertFalse(Files.exists(out));
  }

  @Test
  void aMissingFileOrClassIsNamed(@TempDir Path dir) {
    Path out = dir.resolve("x.svg");
    run("diagram", dir.resolve("missing.keras").toString(), "-o", out.toString()).exits(1).failsCleanly()
        .errContains("missing.keras: no such file");
    run("diagram", "com.example.Nope", "--classpath", testClasses(), "-o", out.toString()).exits(1)
        .failsCleanly().errContains("class com.example.Nope is not on the class path");
    run("diagram", "com.example.Nope").exits(2).errContains("Missing required option: '--output=SVG'");
  }
}
