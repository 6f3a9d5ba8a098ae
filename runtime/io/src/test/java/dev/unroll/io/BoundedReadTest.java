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

  /** The .npy bytes of a float64 header of this shape, then as many zero bytes as it needs. */
  private static void npy(ZipOutputStream zip, String name, int... shape) throws Exception {
    StringBuilder h = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': (");
    long values = 1;
    for (int d : shape) {
      h.append(d).append(", ");
      values *= d;
    }
    h.append("), }");
    while ((10 + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    zip.putNextEntry(new ZipEntry(name + ".npy"));
    zip.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    zip.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) h.length()).array());
    zip.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    byte[] zeros = new byte[1 << 20];
    for (long left = values * 8; left > 0; left -= zeros.length) {
      zip.write(zeros, 0, (int) Math.min(zeros.length, left));
    }
    zip.closeEntry();
  }

  /**
   * A deflated .npz of an nn.LSTM whose weight_ih is {@code rows × cols} float64 zeros (hidden size
   * rows / 4) and an nn.Linear to 1 output: a few hundred KB on disk.
   */
  private Path inflating(int rows, int cols) throws Exception {
    Path file = dir.resolve("bomb.npz");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      npy(zip, "lstm.weight_ih_l0", rows, cols);
      npy(zip, "lstm.weight_hh_l0", rows, rows / 4);
      npy(zip, "lstm.bias_ih_l0", rows);
      npy(zip, "lstm.bias_hh_l0", rows);
      npy(zip, "fc.weight", 1, rows / 4);
      npy(zip, "fc.bias", 1);
    }
    return file;
  }

  @Test
  void checkedLoadRefusesAnInflatingNpzOnItsShapesBeforeInflatingIt() throws Exception {
    Path file = inflating(4096, 2048); // 96 MiB of float64 for a model of 51 weights
    assertTrue(Files.size(file) < 1 << 20, "the file is small: " + Files.size(file));
    StubModel model = model();
    List<Tensor> before = model.getWeights();
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(model, file));
    assertEquals(List.of("layer lstm: file has units 1024, model declares 2",
        "layer lstm: file has 2048 features, model declares features = 3",
        "layer fc (model's dense): file has 1024 inputs, model gives it 2"), e.differences());
    assertEquals(before, model.getWeights());
  }

  @Test
  void readWithoutModelTakesALimit() throws Exception {
    Path file = inflating(512, 512); // 2 MiB of float64 in the first entry
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
  void safetensorsLargerThanTheLimitIsRefusedBeforeItsDataIsRead() throws Exception {
    Path file = dir.resolve("big.safetensors");
    Map<String, Tensor> sd = new java.util.LinkedHashMap<>();
    sd.put("lstm.weight_ih_l0", Tensor.zeros(1024, 1024)); // 8 MiB as F64
    sd.put("lstm.weight_hh_l0", Tensor.zeros(1024, 256));
    sd.put("fc.weight", Tensor.zeros(1, 256));
    Safetensors.write(file, sd, "F64");
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.read(file, null, 1 << 20));
    assertTrue(e.getMessage().startsWith("big.safetensors: tensor lstm.weight_ih_l0 of shape (1024, 1024) claims"
        + " 1048576 values (8388608 bytes as float64), more than the 1048576 bytes left of the read limit"),
        e.getMessage());
    StubModel model = model();
    ArchitectureMismatchException m = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(model, file));
    assertTrue(m.differences().contains("layer lstm: file has units 256, model declares 2"), m.getMessage());
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
