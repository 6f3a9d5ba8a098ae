package dev.unroll.io;

import static dev.unroll.io.ModelFilesTest.dense;
import static dev.unroll.io.ModelFilesTest.lstm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.Tensor;
import dev.unroll.io.ModelFilesTest.StubModel;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No read allocates more than its budget, whatever a file claims; the error names the file and what was refused. */
class BoundedReadTest {
  @TempDir
  Path dir;

  private static StubModel model() {
    return new StubModel(lstm("lstm", 2, 3, 10, false), dense("dense", 1, 2, Activation.LINEAR));
  }

  /** A deflated .npz whose one entry is a .npy of {@code rows × cols} float64 zeros: a few hundred KB on disk. */
  private Path inflating(int rows, int cols) throws Exception {
    Path file = dir.resolve("bomb.npz");
    String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
    StringBuilder h = new StringBuilder(header);
    while ((10 + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("lstm.weight_ih_l0.npy"));
      zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
      zip.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) h.length()).array());
      zip.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
      byte[] zeros = new byte[1 << 20];
      for (long left = (long) rows * cols * 8; left > 0; left -= zeros.length) {
        zip.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
      zip.closeEntry();
    }
    return file;
  }

  @Test
  void checkedLoadRefusesAnInflatingNpzEntryBeforeInflatingIt() throws Exception {
    Path file = inflating(4096, 2048); // 64 MiB of float64 for a model of 51 weights
    assertTrue(Files.size(file) < 1 << 20, "the file is small: " + Files.size(file));
    StubModel model = model();
    List<Tensor> before = model.getWeights();
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model, file));
    assertTrue(e.getMessage().startsWith("bomb.npz: entry lstm.weight_ih_l0.npy inflates to "), e.getMessage());
    assertTrue(e.getMessage().contains("more than the 4195936 bytes left of four times the 51 weights the model declares, as float64,"
        + " plus 4 MiB"), e.getMessage());
    assertEquals(before, model.getWeights());
  }

  @Test
  void readWithoutModelTakesALimit() throws Exception {
    Path file = inflating(512, 512); // 2 MiB of float64
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.read(file, null, 1 << 20));
    assertTrue(e.getMessage().startsWith("bomb.npz: entry lstm.weight_ih_l0.npy of shape (512, 512) claims 262144"
        + " values (2097152 bytes as float64), more than the 1048576 bytes left of the read limit of 1048576 bytes"
        + " (ModelFiles.read(file, config, maxBytes) raises it)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelFiles.read(file, null, 0));
    // the default limit reads it
    assertEquals(List.of(512, 512), java.util.Arrays.stream(Npz.read(file).get("lstm.weight_ih_l0").shape())
        .boxed().toList());
  }

  @Test
  void safetensorsLargerThanTheBudgetIsRefusedUnread() throws Exception {
    Path file = dir.resolve("big.safetensors");
    Safetensors.write(file, Map.of("lstm.weight_ih_l0", Tensor.zeros(1024, 1024)), "F64"); // 8 MiB
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.read(file, null, 1 << 20));
    assertTrue(e.getMessage().startsWith("big.safetensors: the file has 8388704 bytes, more than the 1048576 bytes"
        + " left of the read limit"), e.getMessage());
    StubModel model = model();
    e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model, file));
    assertTrue(e.getMessage().startsWith("big.safetensors: tensor lstm.weight_ih_l0 of shape (1024, 1024) claims"
        + " 1048576 values"), e.getMessage());
  }

  @Test
  void safetensorsHeaderClaimingAHugeShapeIsRefusedBeforeAllocating() throws Exception {
    // the header's shape is checked against the data present; a huge shape with little data is inconsistent
    String header = "{\"w\":{\"dtype\":\"F64\",\"shape\":[100000,100000],\"data_offsets\":[0,8]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("huge.safetensors");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
      out.write(h);
      out.write(new byte[8]);
    }
    assertThrows(ModelFileException.class, () -> ModelFiles.read(file));
  }
}
