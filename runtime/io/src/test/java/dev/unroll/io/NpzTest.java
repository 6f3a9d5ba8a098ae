package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips, and files written by NumPy itself (src/test/resources/dev/unroll/io, made by
 * make_npz.py beside them with Debian's python3-numpy 1.24.2).
 */
class NpzTest {
  @TempDir
  Path dir;

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(NpzTest.class.getResource(name).toURI());
  }

  private static void assertNumpyArrays(Map<String, Tensor> a) {
    assertEquals(List.of("lstm/kernel", "float32", "big_endian", "scalar", "labels", "empty"), List.copyOf(a.keySet()));
    Tensor k = a.get("lstm/kernel");
    assertArrayEquals(new int[] {2, 3}, k.shape());
    assertArrayEquals(new double[] {-0.25, -0.125, 0.0, 0.125, 0.25, 0.375}, k.data(), 0.0);
    Tensor f = a.get("float32");
    assertArrayEquals(new int[] {4}, f.shape());
    assertArrayEquals(new double[] {0.5, -1.25, 3.0, (double) 1e-3f}, f.data(), 0.0);
    Tensor b = a.get("big_endian");
    assertArrayEquals(new int[] {2, 2}, b.shape());
    assertArrayEquals(new double[] {1.5, -2.0, 1e300, -0.0}, b.data(), 0.0);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(b.data()[3]));
    Tensor s = a.get("scalar");
    assertEquals(0, s.rank());
    assertEquals(3.25, s.data()[0]);
    assertArrayEquals(new double[] {0, 2, 1}, a.get("labels").data(), 0.0);
    assertArrayEquals(new int[] {0, 4}, a.get("empty").shape());
  }

  @Test
  void readsWhatNumpySavezWrote() throws Exception {
    assertNumpyArrays(Npz.read(resource("numpy-savez.npz")));
  }

  @Test
  void readsWhatNumpySavezCompressedWrote() throws Exception {
    assertNumpyArrays(Npz.read(resource("numpy-savez-compressed.npz")));
  }

  @Test
  void refusesFortranOrder() throws Exception {
    IOException e = assertThrows(IOException.class, () -> Npz.read(resource("numpy-fortran.npz")));
    assertTrue(e.getMessage().contains("fortran_order"), e.getMessage());
    assertTrue(e.getMessage().contains("f.npy"), e.getMessage());
  }

  @Test
  void roundTripKeepsNamesOrderShapesAndBits() throws IOException {
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    arrays.put("lstm/kernel", Tensor.of(new double[][] {{1.0 / 3, -2e-308}, {Double.MAX_VALUE, Double.NaN}}));
    arrays.put("b", Tensor.of(new double[] {1, 2, 3}));
    arrays.put("a", Tensor.zeros(2, 1, 3));
    arrays.put("scalar", Tensor.zeros());
    for (boolean compressed : new boolean[] {false, true}) {
      Path file = dir.resolve(compressed ? "c.npz" : "s.npz");
      Npz.write(file, arrays, compressed);
      Map<String, Tensor> back = Npz.read(file);
      assertEquals(List.copyOf(arrays.keySet()), List.copyOf(back.keySet()));
      for (String name : arrays.keySet()) {
        assertEquals(arrays.get(name), back.get(name), name);
      }
      try (ZipFile zip = new ZipFile(file.toFile())) {
        ZipEntry entry = zip.getEntry("lstm/kernel.npy");
        assertEquals(compressed ? ZipEntry.DEFLATED : ZipEntry.STORED, entry.getMethod());
      }
    }
  }

  @Test
  void writesNumpyHeaders() throws IOException {
    byte[] npy = Npz.toNpy(Tensor.zeros(3, 4));
    assertEquals((byte) 0x93, npy[0]);
    assertEquals("NUMPY", new String(npy, 1, 5, StandardCharsets.US_ASCII));
    assertEquals(1, npy[6]);
    int headerLen = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
    assertEquals(0, (10 + headerLen) % 64, "data starts on a 64-byte boundary, as NumPy writes");
    String header = new String(npy, 10, headerLen, StandardCharsets.US_ASCII);
    assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }"), header);
    assertTrue(header.endsWith("\n"));
    assertEquals(10 + headerLen + 8 * 12, npy.length);
    String oneD = new String(Npz.toNpy(Tensor.zeros(5)), 10, 60, StandardCharsets.US_ASCII);
    assertTrue(oneD.contains("'shape': (5,)"), oneD);
  }

  @Test
  void reportsBadFiles() throws IOException {
    Path notZip = dir.resolve("x.npz");
    Files.writeString(notZip, "hello");
    assertThrows(IOException.class, () -> Npz.read(notZip));

    byte[] complex = npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", 16);
    IOException e = assertThrows(IOException.class, () -> Npz.readNpy(complex));
    assertTrue(e.getMessage().contains("<c16"), e.getMessage());

    byte[] truncated = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", 8);
    e = assertThrows(IOException.class, () -> Npz.readNpy(truncated));
    assertTrue(e.getMessage().contains("needs 32 bytes"), e.getMessage());

    assertThrows(IOException.class, () -> Npz.readNpy("not numpy at all".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void failedWriteLeavesTheOldFile() throws IOException {
    Path file = dir.resolve("keep.npz");
    Npz.write(file, Map.of("a", Tensor.of(new double[] {1})));
    byte[] before = Files.readAllBytes(file);
    Map<String, Tensor> bad = new LinkedHashMap<>();
    bad.put("ok", Tensor.zeros(1));
    bad.put("", Tensor.zeros(1));
    assertThrows(IllegalArgumentException.class, () -> Npz.write(file, bad));
    assertArrayEquals(before, Files.readAllBytes(file));
    try (InputStream in = Files.newInputStream(file)) {
      assertEquals('P', in.read());
    }
  }

  private static byte[] npy(String dict, int dataBytes) {
    String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
    byte[] h = header.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[10 + h.length + dataBytes];
    out[0] = (byte) 0x93;
    System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
    out[6] = 1;
    out[8] = (byte) h.length;
    out[9] = (byte) (h.length >> 8);
    System.arraycopy(h, 0, out, 10, h.length);
    return out;
  }
}
