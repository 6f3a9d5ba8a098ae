package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir
  Path dir;

  /** A file as the reference writer lays it out: length, header padded with spaces, data. */
  static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(padded).put(h);
    for (int i = h.length; i < padded; i++) {
      b.put((byte) ' ');
    }
    return b.put(data).array();
  }

  static byte[] le(int bytesPerValue, long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      switch (bytesPerValue) {
        case 1 -> b.put((byte) v);
        case 2 -> b.putShort((short) v);
        case 4 -> b.putInt((int) v);
        default -> b.putLong(v);
      }
    }
    return b.array();
  }

  @Test
  void writesAndReadsFloat32AndFloat64InMapOrder() throws IOException {
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("z.weight", Tensor.of(new double[][] {{1.5, -2.25, 3}, {0.1, 1e-3, 7}}));
    in.put("a.bias", Tensor.of(new double[] {0.5, -0.5}));
    Path f32 = dir.resolve("f32.safetensors");
    Safetensors.write(f32, in);
    Map<String, Tensor> out = Safetensors.read(f32);
    assertEquals(List.of("z.weight", "a.bias"), List.copyOf(out.keySet()));
    assertArrayEquals(new int[] {2, 3}, out.get("z.weight").shape());
    assertEquals((float) 0.1, out.get("z.weight").get(1, 0), 0.0, "rounded to float");
    byte[] bytes = Files.readAllBytes(f32);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    assertEquals(8 + n + 4 * 8, bytes.length);

    Path f64 = dir.resolve("f64.safetensors");
    Safetensors.write(f64, in, "F64");
    assertEquals(in, Safetensors.read(f64));
    assertThrows(IllegalArgumentException.class, () -> Safetensors.write(f64, in, "F16"));
  }

  @Test
  void readsHalfBfloatIntegerAndBoolDtypesAndSkipsMetadata() throws ModelFileException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes(le(2, 0x3c00, 0xc000, 0x3555, 0x0001, 0x7c00)); // F16: 1, -2, 0.333, 2^-24, inf
    data.writeBytes(le(2, 0x3f80, 0xc0a0)); // BF16: 1, -5
    data.writeBytes(le(8, -3, 1L << 40)); // I64
    data.writeBytes(le(1, 1, 0, 1)); // BOOL
    String header = "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"h\":{\"dtype\":\"F16\",\"shape\":[5],\"data_offsets\":[0,10]},"
        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[10,14]},"
        + "\"i\":{\"dtype\":\"I64\",\"shape\":[2,1],\"data_offsets\":[14,30]},"
        + "\"t\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[30,33]}}";
    Map<String, Tensor> t = Safetensors.read(file(header, data.toByteArray()), "x.safetensors");
    assertEquals(List.of("h", "b", "i", "t"), List.copyOf(t.keySet()));
    assertArrayEquals(new double[] {1, -2, 0.333251953125, 0x1p-24, Double.POSITIVE_INFINITY}, t.get("h").data());
    assertArrayEquals(new double[] {1, -5}, t.get("b").data());
    assertArrayEquals(new double[] {-3, 0x1p40}, t.get("i").data());
    assertArrayEquals(new int[] {2, 1}, t.get("i").shape());
    assertArrayEquals(new double[] {1, 0, 1}, t.get("t").data());
  }

  @Test
  void halfPrecisionConversionCoversEveryClass() {
    assertEquals(65504f, Safetensors.halfToFloat((short) 0x7bff));
    assertEquals(-0f, Safetensors.halfToFloat((short) 0x8000));
    assertEquals(0x1p-14f, Safetensors.halfToFloat((short) 0x0400));
    assertEquals(0x3ffp-24f, Safetensors.halfToFloat((short) 0x03ff));
    assertTrue(Float.isNaN(Safetensors.halfToFloat((short) 0x7e00)));
  }

  static String error(byte[] bytes) {
    return assertThrows(ModelFileException.class, () -> Safetensors.read(bytes, "m.safetensors")).getMessage();
  }

  @Test
  void brokenFilesAreNamedPrecisely() {
    String one = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    byte[] good = file(one, new byte[8]);
    assertEquals("m.safetensors: 5 bytes, too short for a safetensors file (8-byte header length, then the header)",
        error(new byte[5]));
    assertEquals("m.safetensors: the header needs " + (good.length - 16) + " bytes, the file has 20 after the length:"
        + " truncated", error(java.util.Arrays.copyOf(good, 28)));
    assertEquals("m.safetensors: the header describes 8 bytes of tensor data, the file has 6: truncated",
        error(java.util.Arrays.copyOf(good, good.length - 2)));
    assertEquals("m.safetensors: the header describes 8 bytes of tensor data, the file has 9: extra bytes at the end",
        error(file(one, new byte[9])));
    assertEquals("m.safetensors: header length 1000000000000 is not plausible; not a safetensors file",
        error(le(8, 1_000_000_000_000L, 0)));
    assertTrue(error(file("{\"w\": [", new byte[0])).startsWith("m.safetensors: the header is not valid JSON"));
    assertEquals("m.safetensors: tensor w of shape [3] and dtype F32 needs 12 bytes, its data_offsets [0, 8] give 8",
        error(file(one.replace("[2]", "[3]"), new byte[8])));
    assertEquals("m.safetensors: tensor w has dtype F8_E4M3, which Unroll does not read (F64, F32, F16, BF16, I64, "
        + "I32, I16, I8, U8, BOOL)", error(file(one.replace("F32", "F8_E4M3"), new byte[8])));
    String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
    assertEquals("m.safetensors: tensor b starts at byte 8 of the data, leaving a gap after byte 4",
        error(file(gap, new byte[12])));
    String overlap = gap.replace("[8,12]", "[2,6]");
    assertEquals("m.safetensors: tensor b starts at byte 2 of the data, overlapping the tensor before it",
        error(file(overlap, new byte[8])));
  }
}
