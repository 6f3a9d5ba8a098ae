package dev.unroll.cli;

import static dev.unroll.cli.Jar.HERZIOX;
import static dev.unroll.cli.Jar.resource;
import static dev.unroll.cli.Jar.run;
import static dev.unroll.cli.Jar.testClasses;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Missing, wrong and hostile files: every command exits with status 1, a message naming the file on stderr,
 * no trace and nothing on stdout, within the JVM's default memory.
 */
class BadFilesIT {
  @TempDir
  static Path dir;

  /** Runs every command that reads a file on it; each must fail cleanly with the expected message. */
  private static void everyCommandRefuses(Path file, String message) {
    String f = file.toString();
    Path out = dir.resolve("out.npz");
    for (List<String> args : List.of(List.of("declare", f), List.of("summary", f),
        List.of("convert", f, "-o", out.toString()),
        List.of("check", f, "--model", "dev.unroll.cli.models.LstmDenseForecaster", "--classpath", testClasses()))) {
      run(args.toArray(String[]::new)).exits(1).failsCleanly().errContains("unroll " + args.get(0) + ": ")
          .errContains(message);
    }
    if (Files.exists(out)) {
      throw new AssertionError("convert wrote " + out + " from a bad file");
    }
  }

  @Test
  void aMissingFile() {
    everyCommandRefuses(dir.resolve("missing.h5"), "missing.h5: no such file");
  }

  @Test
  void aFileOfAnotherKind() {
    everyCommandRefuses(resource(HERZIOX + "LICENSE"), "LICENSE: not a file Unroll reads");
  }

  @Test
  void aTruncatedKerasFile() throws IOException {
    byte[] h5 = Files.readAllBytes(resource(HERZIOX + "lstm.h5"));
    Path truncated = dir.resolve("truncated.h5");
    Files.write(truncated, Arrays.copyOf(h5, h5.length / 3));
    everyCommandRefuses(truncated, "truncated.h5");
  }

  @Test
  void theHdf5SignatureFollowedByNoise() throws IOException {
    byte[] noise = new byte[4096];
    new Random(13).nextBytes(noise);
    System.arraycopy(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}, 0, noise, 0, 8);
    Path file = dir.resolve("noise.h5");
    Files.write(file, noise);
    everyCommandRefuses(file, "noise.h5");
  }

  @Test
  void anNpzClaimingAHugeArray() throws IOException {
    // a valid .npy header for 2^40 float64 values, followed by 16 bytes
    String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776,), }";
    int unpadded = 10 + header.length() + 1;
    header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteBuffer npy = ByteBuffer.allocate(10 + header.length() + 16).order(ByteOrder.LITTLE_ENDIAN);
    npy.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.ISO_8859_1));
    Path file = dir.resolve("huge.npz");
    try (OutputStream o = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(o)) {
      zip.putNextEntry(new ZipEntry("lstm.weight_ih_l0.npy"));
      zip.write(npy.array());
      zip.closeEntry();
    }
    everyCommandRefuses(file, "huge.npz");
  }

  @Test
  void aSafetensorsHeaderThatLies() throws IOException {
    String json = "{\"lstm.weight_ih_l0\":{\"dtype\":\"F32\",\"shape\":[4000000,4000000],\"data_offsets\":[0,64]}}";
    ByteBuffer b = ByteBuffer.allocate(8 + json.length() + 64).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length()).put(json.getBytes(StandardCharsets.US_ASCII));
    Path file = dir.resolve("lies.safetensors");
    Files.write(file, b.array());
    everyCommandRefuses(file, "lies.safetensors");
  }

  @Test
  void aZipThatIsNeitherKerasNorNpz() throws IOException {
    Path file = dir.resolve("other.keras");
    try (OutputStream o = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(o)) {
      zip.putNextEntry(new ZipEntry("readme.txt"));
      zip.write("hello".getBytes(StandardCharsets.US_ASCII));
      zip.closeEntry();
    }
    everyCommandRefuses(file, "other.keras: a zip archive, but neither a Keras .keras file");
  }
}
