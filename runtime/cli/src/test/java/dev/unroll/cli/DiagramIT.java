package dev.unroll.cli;

import static dev.unroll.cli.Jar.HERZIOX;
import static dev.unroll.cli.Jar.resource;
import static dev.unroll.cli.Jar.run;
import static dev.unroll.cli.Jar.testClasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diagram}: copies the SVG the processor writes beside a generated class; says clearly when there is
 * none, and that diagrams of a file are not available in this build.
 */
class DiagramIT {
  @Test
  void aClassGetsTheProcessorsSvgOrAClearRefusal(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("x.svg");
    Path beside = Path.of(testClasses(), "dev/unroll/cli/models/UnrolledLstmDenseForecaster.svg");
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
  void aFileIsNotAvailableInThisBuild(@TempDir Path dir) {
    Path out = dir.resolve("x.svg");
    run("diagram", resource(HERZIOX + "lstm.h5").toString(), "-o", out.toString()).exits(1).failsCleanly()
        .errContains("unroll diagram: diagram of a model file is not available in this build");
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
