package dev.unroll.io;

import static dev.unroll.io.ModelFilesTest.dense;
import static dev.unroll.io.ModelFilesTest.lstm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.Tensor;
import dev.unroll.io.ModelFilesTest.StubModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checked load compares every shape a file's headers declare with the model before it reads any
 * array data: a file that describes another model is refused with an {@link ArchitectureMismatchException}
 * naming each difference even where its data is truncated, garbage or claimed far larger than the test's
 * 256 MB heap, which reading it would show (a truncation error, a non-finite value, a budget error or an
 * OutOfMemoryError). For every format: .safetensors, .npz, .h5, .weights.h5 and .keras.
 */
class HeaderFirstTest {
  @TempDir
  Path dir;

  /** The model every file here is loaded into: LSTM(2) on 3 features, Dense(1). */
  private static StubModel model() {
    return new StubModel(lstm("lstm", 2, 3, 10, false), dense("dense", 1, 2, Activation.LINEAR));
  }

  /** An nn.LSTM(features, units) and nn.Linear(units, 1) state dict: names and shapes. */
  private static Map<String, int[]> torchShapes(int features, int units) {
    Map<String, int[]> s = new LinkedHashMap<>();
    s.put("lstm.weight_ih_l0", new int[] {4 * units, features});
    s.put("lstm.weight_hh_l0", new int[] {4 * units, units});
    s.put("lstm.bias_ih_l0", new int[] {4 * units});
    s.put("lstm.bias_hh_l0", new int[] {4 * units});
    s.put("fc.weight", new int[] {1, units});
    s.put("fc.bias", new int[] {1});
    return s;
  }

  private static long count(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** A safetensors file with this header (F32, tiled offsets) followed by {@code data}. */
  private Path safetensors(String name, Map<String, int[]> shapes, byte[] data) throws IOException {
    StringBuilder h = new StringBuilder("{");
    long offset = 0;
    for (Map.Entry<String, int[]> e : shapes.entrySet()) {
      long bytes = count(e.getValue()) * 4;
      h.append(h.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":")
          .append(java.util.Arrays.toString(e.getValue())).append(",\"data_offsets\":[").append(offset).append(',')
          .append(offset + bytes).append("]}");
      offset += bytes;
    }
    byte[] header = h.append('}').toString().getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
      out.write(header);
      out.write(data);
    }
    return file;
  }

  /** The .npy header of a float64 array of this shape. */
  private static byte[] npyHeader(int[] shape) {
    StringBuilder h = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': (");
    for (int d : shape) {
      h.append(d).append(", ");
    }
    h.append("), }");
    while ((10 + h.length() + 1) % 64 != 0) {
      h.append(' ');
    }
    h.append('\n');
    ByteBuffer b = ByteBuffer.allocate(10 + h.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length())
        .put(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    return b.array();
  }

  /** A deflated .npz of these arrays' headers, each followed by {@code data} (not what the shape needs). */
  private Path npz(String name, Map<String, int[]> shapes, byte[] data) throws IOException {
    Path file = dir.resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, int[]> e : shapes.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
        zip.write(npyHeader(e.getValue()));
        zip.write(data);
        zip.closeEntry();
      }
    }
    return file;
  }

  private static byte[] nans(int floats) {
    ByteBuffer b = ByteBuffer.allocate(4 * floats).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      b.putFloat(Float.NaN);
    }
    return b.array();
  }

  /** Loads {@code file} into a fresh model: it must be refused on its shapes, the model unchanged. */
  private static ArchitectureMismatchException mismatch(Path file) {
    StubModel model = model();
    List<Tensor> before = model.getWeights();
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(model, file));
    assertEquals(before, model.getWeights());
    return e;
  }

  @Test
  void safetensorsClaimingGigabytesWithoutTheDataIsRefusedOnItsShapes() throws Exception {
    // LSTM(4000) on 500 features: 72 million float32 values, 576 MB as float64; the file holds 16 bytes of them
    Path file = safetensors("huge.safetensors", torchShapes(500, 4000), new byte[16]);
    assertTrue(Files.size(file) < 1024);
    ArchitectureMismatchException e = mismatch(file);
    assertEquals(List.of("layer lstm: file has units 4000, model declares 2",
        "layer lstm: file has 500 features, model declares features = 3",
        "layer fc (model's dense): file has 4000 inputs, model gives it 2"), e.differences());
    assertTrue(e.getMessage().startsWith("huge.safetensors does not fit the model (3 differences); nothing was"
        + " loaded:"), e.getMessage());
    // read without a model, the same file is refused on its data
    ModelFileException read = assertThrows(ModelFileException.class, () -> ModelFiles.read(file));
    assertFalse(read instanceof ArchitectureMismatchException);
    assertTrue(read.getMessage().contains("truncated"), read.getMessage());
  }

  @Test
  void safetensorsOfAnotherModelWithNaNDataIsRefusedOnItsShapesNotItsValues() throws Exception {
    Map<String, int[]> shapes = torchShapes(3, 3);
    long floats = shapes.values().stream().mapToLong(HeaderFirstTest::count).sum();
    Path file = safetensors("nan.safetensors", shapes, nans((int) floats));
    assertEquals(List.of("layer lstm: file has units 3, model declares 2",
        "layer fc (model's dense): file has 3 inputs, model gives it 2"), mismatch(file).differences());
    // the shapes of the model, the same NaN data: refused on its values
    Path fits = safetensors("fits.safetensors", torchShapes(3, 2), nans(8 * 3 + 8 * 2 + 8 + 8 + 2 + 1));
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model(), fits));
    assertTrue(e.getMessage().contains("is not finite: the file is damaged, or the model diverged before it was"
        + " saved"), e.getMessage());
  }

  @Test
  void safetensorsOfTheModelWithTruncatedDataIsADataError() throws Exception {
    Path file = safetensors("cut.safetensors", torchShapes(3, 2), new byte[40]);
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model(), file));
    assertFalse(e instanceof ArchitectureMismatchException, e.getMessage());
    assertEquals("cut.safetensors: the header describes 236 bytes of tensor data, the file has 40: truncated",
        e.getMessage());
  }

  @Test
  void npzClaimingGigabytesWithoutTheDataIsRefusedOnItsShapes() throws Exception {
    Path file = npz("huge.npz", torchShapes(500, 4000), new byte[16]);
    assertTrue(Files.size(file) < 4096);
    assertEquals(List.of("layer lstm: file has units 4000, model declares 2",
        "layer lstm: file has 500 features, model declares features = 3",
        "layer fc (model's dense): file has 4000 inputs, model gives it 2"), mismatch(file).differences());
    ModelFileException read = assertThrows(ModelFileException.class, () -> ModelFiles.read(file));
    assertFalse(read instanceof ArchitectureMismatchException);
  }

  @Test
  void npzOfTheModelWithTruncatedDataIsADataError() throws Exception {
    Path file = npz("cut.npz", torchShapes(3, 2), new byte[16]);
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model(), file));
    assertFalse(e instanceof ArchitectureMismatchException, e.getMessage());
    assertEquals("cut.npz: entry lstm.weight_ih_l0.npy: array <f8 of shape (8, 3) needs 192 bytes of data,"
        + " found 16", e.getMessage());
  }

  /** Keras 3 weights of LSTM(units) on {@code features} and Dense(1), float32 NaN. */
  private static H5 keras3Weights(int features, int units) {
    return new H5()
        .data("layers/dense/vars/0", nanMatrix(units, 1))
        .data("layers/dense/vars/1", new float[] {Float.NaN})
        .data("layers/lstm/cell/vars/0", nanMatrix(features, 4 * units))
        .data("layers/lstm/cell/vars/1", nanMatrix(units, 4 * units))
        .data("layers/lstm/cell/vars/2", nanMatrix(1, 4 * units)[0]);
  }

  private static float[][] nanMatrix(int rows, int cols) {
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      java.util.Arrays.fill(row, Float.NaN);
    }
    return m;
  }

  /**
   * Replaces the dimensions {@code from} of a dataspace in an HDF5 file's bytes (8-byte little-endian
   * lengths) by {@code to}: the header then claims an array its data does not hold.
   */
  private static byte[] claim(byte[] h5, long[] from, long[] to) {
    ByteBuffer pattern = ByteBuffer.allocate(8 * from.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long d : from) {
      pattern.putLong(d);
    }
    byte[] p = pattern.array();
    outer:
    for (int i = 0; i + p.length <= h5.length; i++) {
      for (int k = 0; k < p.length; k++) {
        if (h5[i + k] != p[k]) {
          continue outer;
        }
      }
      ByteBuffer b = ByteBuffer.wrap(h5, i, p.length).order(ByteOrder.LITTLE_ENDIAN);
      for (long d : to) {
        b.putLong(d);
      }
      resealObjectHeader(h5, i);
      return h5;
    }
    throw new AssertionError("no dataspace " + java.util.Arrays.toString(from));
  }

  /**
   * Recomputes the checksum of the version 2 object header ({@code OHDR}) that holds byte {@code at}, as
   * a writer would have: the patched header is then valid, only its claim is false.
   */
  private static void resealObjectHeader(byte[] h5, int at) {
    int start = at;
    while (start >= 0 && !(h5[start] == 'O' && h5[start + 1] == 'H' && h5[start + 2] == 'D' && h5[start + 3] == 'R')) {
      start--;
    }
    assertTrue(start >= 0, "no object header before byte " + at);
    int flags = h5[start + 5] & 0xff;
    int p = start + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
    int sizeBytes = 1 << (flags & 3);
    long chunk = 0;
    for (int k = 0; k < sizeBytes; k++) {
      chunk |= (long) (h5[p + k] & 0xff) << (8 * k);
    }
    int end = p + sizeBytes + (int) chunk;
    int sum = io.jhdf.checksum.ChecksumUtils.checksum(java.util.Arrays.copyOfRange(h5, start, end));
    ByteBuffer.wrap(h5, end, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(sum);
  }

  @Test
  void weightsH5ClaimingAHugeKernelIsRefusedOnItsShapes() throws Exception {
    Path clean = keras3Weights(5, 3).write(dir.resolve("clean.weights.h5"));
    // the kernel (5, 12) now claims (5000000, 12): 60 million values, 480 MB as float64, in a 2 KB file
    byte[] bytes = claim(Files.readAllBytes(clean), new long[] {5, 12}, new long[] {5_000_000, 12});
    Path file = Files.write(dir.resolve("huge.weights.h5"), bytes);
    assertTrue(Files.size(file) < 16384);
    ArchitectureMismatchException e = mismatch(file);
    assertTrue(e.getMessage().startsWith("huge.weights.h5 does not fit the model"), e.getMessage());
    assertEquals(List.of("layer lstm: file has units 3, model declares 2",
        "layer lstm: file has 5000000 features, model declares features = 3",
        "layer dense: file has 3 inputs, model gives it 2"), e.differences());
    // read without a model, it is refused on its data, within the read limit
    ModelFileException read = assertThrows(ModelFileException.class, () -> ModelFiles.read(file));
    assertFalse(read instanceof ArchitectureMismatchException);
  }

  @Test
  void weightsH5OfAnotherModelWithNaNDataIsRefusedOnItsShapes() throws Exception {
    Path file = keras3Weights(5, 3).write(dir.resolve("nan.weights.h5"));
    assertEquals(List.of("layer lstm: file has units 3, model declares 2",
        "layer lstm: file has 5 features, model declares features = 3",
        "layer dense: file has 3 inputs, model gives it 2"), mismatch(file).differences());
    // the model's shapes, truncated: a data error
    byte[] fits = Files.readAllBytes(keras3Weights(3, 2).write(dir.resolve("fits.weights.h5")));
    Path cut = Files.write(dir.resolve("fits-cut.weights.h5"), java.util.Arrays.copyOf(fits, fits.length - 64));
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model(), cut));
    assertFalse(e instanceof ArchitectureMismatchException, e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  /** A Keras 3 .keras archive of InputLayer(10, features), LSTM(units), Dense(1), with these weights. */
  static Path kerasArchive(Path file, int features, int units, H5 weights) throws IOException {
    String config = "{\"module\": \"keras\", \"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": ["
        + KerasReaderTest.layer("InputLayer", "\"batch_shape\": [null, 10, " + features + "], \"name\": \"input_layer\"")
        + ", " + KerasReaderTest.layer("LSTM", "\"name\": \"lstm\", \"units\": " + units + ", \"activation\": \"tanh\","
            + " \"recurrent_activation\": \"sigmoid\", \"use_bias\": true, \"return_sequences\": false")
        + ", " + KerasReaderTest.layer("Dense", "\"name\": \"dense\", \"units\": 1, \"activation\": \"linear\","
            + " \"use_bias\": true")
        + "]}}";
    return KerasReaderTest.archive(file, config, "3.8.0", weights);
  }

  @Test
  void kerasArchiveClaimingAHugeKernelIsRefusedOnItsShapes() throws Exception {
    Path clean = keras3Weights(5, 3).write(dir.resolve("w.h5"));
    byte[] bytes = claim(Files.readAllBytes(clean), new long[] {5, 12}, new long[] {5_000_000, 12});
    Path file = dir.resolve("huge.keras");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("metadata.json"));
      zip.write("{\"keras_version\": \"3.8.0\"}".getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("config.json"));
      Path tmp = kerasArchive(dir.resolve("tmp.keras"), 5_000_000, 3, keras3Weights(5, 3));
      try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(tmp.toFile())) {
        zip.write(z.getInputStream(z.getEntry("config.json")).readAllBytes());
      }
      zip.putNextEntry(new ZipEntry("model.weights.h5"));
      zip.write(bytes);
    }
    ArchitectureMismatchException e = mismatch(file);
    assertTrue(e.getMessage().startsWith("huge.keras does not fit the model"), e.getMessage());
    assertEquals(List.of("layer lstm: file has units 3, model declares 2",
        "layer lstm: file has 5000000 features, model declares features = 3",
        "layer dense: file has 3 inputs, model gives it 2"), e.differences());
  }

  @Test
  void kerasArchiveOfAnotherModelWithNaNWeightsIsRefusedOnItsShapes() throws Exception {
    Path file = kerasArchive(dir.resolve("other.keras"), 3, 4, keras3Weights(3, 4));
    assertEquals(List.of("layer lstm: file has units 4, model declares 2",
        "layer dense: file has 4 inputs, model gives it 2"), mismatch(file).differences());
    Path fits = kerasArchive(dir.resolve("fits.keras"), 3, 2, keras3Weights(3, 2));
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model(), fits));
    assertTrue(e.getMessage().startsWith("fits.keras: layer lstm, array kernel [0]: value NaN at index (0, 0) is not"
        + " finite: the file is damaged, or the model diverged before it was saved"), e.getMessage());
  }

  @Test
  void everyDifferenceIsNamedWhateverTheFormat() throws Exception {
    // the same architecture difference read from each format's headers gives the same differences
    Map<String, int[]> shapes = torchShapes(4, 5);
    List<Path> files = new ArrayList<>();
    files.add(safetensors("d.safetensors", shapes, new byte[0]));
    files.add(npz("d.npz", shapes, new byte[0]));
    for (Path f : files) {
      assertEquals(List.of("layer lstm: file has units 5, model declares 2",
          "layer lstm: file has 4 features, model declares features = 3",
          "layer fc (model's dense): file has 5 inputs, model gives it 2"), mismatch(f).differences(), f.toString());
    }
  }
  /** A copy of a zip archive with every entry stored, not deflated, as Keras writes .keras archives. */
  static Path stored(Path archive, Path file) throws IOException {
    try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(archive.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
      for (ZipEntry source : java.util.Collections.list(in.entries())) {
        byte[] bytes = in.getInputStream(source).readAllBytes();
        ZipEntry e = new ZipEntry(source.getName());
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        e.setCrc(crc.getValue());
        out.putNextEntry(e);
        out.write(bytes);
        out.closeEntry();
      }
    }
    return file;
  }

  @Test
  void storedKerasArchiveOfAMuchLargerModelIsRefusedOnItsShapesNotItsSize() throws Exception {
    // LSTM(600) on 600 features, float32: 12 MB of weights, three times what a checked load of this model may read
    H5 weights = new H5()
        .data("layers/dense/vars/0", new float[600][1])
        .data("layers/dense/vars/1", new float[1])
        .data("layers/lstm/cell/vars/0", new float[600][2400])
        .data("layers/lstm/cell/vars/1", new float[600][2400])
        .data("layers/lstm/cell/vars/2", new float[2400]);
    Path file = stored(kerasArchive(dir.resolve("big-deflated.keras"), 600, 600, weights), dir.resolve("big.keras"));
    assertTrue(Files.size(file) > 11_000_000, "size " + Files.size(file));
    assertEquals(List.of("layer lstm: file has units 600, model declares 2",
        "layer lstm: file has 600 features, model declares features = 3",
        "layer dense: file has 600 inputs, model gives it 2"), mismatch(file).differences());
    // deflated, it must be inflated to be read, and is refused on its size, naming the budget
    Path deflated = dir.resolve("big-deflated.keras");
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(model(), deflated));
    assertFalse(e instanceof ArchitectureMismatchException, e.getMessage());
    assertTrue(e.getMessage().startsWith("big-deflated.keras: model.weights.h5 holds "), e.getMessage());
  }
}
