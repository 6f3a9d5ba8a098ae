package dev.unroll.io;

import dev.unroll.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files: an
 * 8-byte little-endian header length N, N bytes of JSON header
 * ({@code {"name": {"dtype": "F32", "shape": [4, 2], "data_offsets": [begin, end]}, ...}}, optionally
 * {@code "__metadata__"}), then the tensors' raw little-endian, row-major bytes, the offsets counted
 * from the end of the header. PyTorch writes state dicts this way with
 * {@code safetensors.torch.save_file(model.state_dict(), path)}.
 */
public final class Safetensors {
  /** The largest header the reference implementation accepts. */
  private static final long MAX_HEADER = 100_000_000L;

  private Safetensors() {}

  /**
   * All tensors of a file, in the order of its header (the official writer orders them by dtype, then
   * by name), widened to double.
   *
   * <p>Reads F64, F32, F16, BF16 and the integer and boolean dtypes; the checks are those of the
   * reference implementation: the header is valid UTF-8 JSON, every tensor's bytes match its shape and
   * dtype, and the tensors tile the data exactly, so a truncated file is reported as one.
   *
   * @throws ModelFileException if the file is not a valid safetensors file, naming what is wrong
   * @throws IOException if it cannot be read
   */
  public static Map<String, Tensor> read(Path file) throws IOException {
    return read(file, ReadBudget.ofLimit(ModelFiles.DEFAULT_READ_LIMIT));
  }

  /** As {@link #read(Path)}, refusing unread a file larger than the budget leaves. */
  static Map<String, Tensor> read(Path file, ReadBudget budget) throws IOException {
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE - 8) {
      throw new ModelFileException(file.getFileName() + ": " + size + " bytes, too large to read into memory");
    }
    if (size > budget.rawLimit()) {
      throw budget.tooLarge(String.valueOf(file.getFileName()), "the file has " + size + " bytes");
    }
    return read(Files.readAllBytes(file), String.valueOf(file.getFileName()), budget);
  }

  /**
   * As {@link #read(Path)}, from the bytes of a file.
   *
   * @param name the file's name, for messages
   */
  public static Map<String, Tensor> read(byte[] bytes, String name) throws ModelFileException {
    return read(bytes, name, ReadBudget.ofLimit(ModelFiles.DEFAULT_READ_LIMIT));
  }

  private static Map<String, Tensor> read(byte[] bytes, String name, ReadBudget budget) throws ModelFileException {
    if (bytes.length < 8) {
      throw new ModelFileException(name + ": " + bytes.length + " bytes, too short for a safetensors file "
          + "(8-byte header length, then the header)");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long n = buf.getLong(0);
    if (n < 2 || n > MAX_HEADER) {
      throw new ModelFileException(name + ": header length " + Long.toUnsignedString(n)
          + " is not plausible; not a safetensors file");
    }
    if (8 + n > bytes.length) {
      throw new ModelFileException(name + ": the header needs " + n + " bytes, the file has " + (bytes.length - 8)
          + " after the length: truncated");
    }
    String headerText;
    try {
      headerText = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 8, (int) n)).toString();
    } catch (CharacterCodingException e) {
      throw new ModelFileException(name + ": the header is not UTF-8; not a safetensors file", e);
    }
    Map<String, Object> header;
    try {
      header = Json.object(Json.parse(headerText));
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(name + ": the header is not valid JSON (" + e.getMessage() + ")", e);
    }
    if (header == null) {
      throw new ModelFileException(name + ": the header is not a JSON object");
    }
    int dataStart = (int) (8 + n);
    long dataLength = bytes.length - dataStart;

    record Entry(String name, String dtype, int[] shape, long begin, long end) {}
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, Object> e : header.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      Map<String, Object> info = Json.object(e.getValue());
      if (info == null) {
        throw new ModelFileException(name + ": header entry " + e.getKey() + " is not an object");
      }
      String dtype = info.get("dtype") instanceof String s ? s : null;
      List<Object> shapeList = Json.array(info.get("shape"));
      List<Object> offsets = Json.array(info.get("data_offsets"));
      if (dtype == null || shapeList == null || offsets == null || offsets.size() != 2) {
        throw new ModelFileException(name + ": header entry " + e.getKey()
            + " needs \"dtype\", \"shape\" and two \"data_offsets\"");
      }
      int[] shape = new int[shapeList.size()];
      long count = 1;
      for (int i = 0; i < shape.length; i++) {
        if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
          throw new ModelFileException(name + ": tensor " + e.getKey() + " has a bad shape " + shapeList);
        }
        shape[i] = (int) (long) d;
        count *= d;
        if (count > Integer.MAX_VALUE) {
          throw new ModelFileException(name + ": tensor " + e.getKey() + " of shape " + shapeList + " is too large");
        }
      }
      if (!(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end) || begin < 0
          || end < begin) {
        throw new ModelFileException(name + ": tensor " + e.getKey() + " has bad data_offsets " + offsets);
      }
      int width = width(dtype);
      if (width == 0) {
        throw new ModelFileException(name + ": tensor " + e.getKey() + " has dtype " + dtype
            + ", which Unroll does not read (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
      }
      if (end - begin != count * width) {
        throw new ModelFileException(name + ": tensor " + e.getKey() + " of shape " + shapeList + " and dtype "
            + dtype + " needs " + count * width + " bytes, its data_offsets " + offsets + " give " + (end - begin));
      }
      entries.add(new Entry(e.getKey(), dtype, shape, begin, end));
    }
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long expected = 0;
    for (Entry e : byOffset) {
      if (e.begin() != expected) {
        throw new ModelFileException(name + ": tensor " + e.name() + " starts at byte " + e.begin() + " of the data, "
            + (e.begin() < expected ? "overlapping the tensor before it" : "leaving a gap after byte " + expected));
      }
      expected = e.end();
    }
    if (expected != dataLength) {
      throw new ModelFileException(name + ": the header describes " + expected + " bytes of tensor data, the file has "
          + dataLength + (dataLength < expected ? ": truncated" : ": extra bytes at the end"));
    }

    // every tensor's size from the header, claimed before any is allocated
    for (Entry e : entries) {
      budget.claim((e.end() - e.begin()) / width(e.dtype()), name, "tensor " + e.name() + " of shape "
          + Tensor.format(e.shape()));
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Entry e : entries) {
      int count = (int) ((e.end() - e.begin()) / width(e.dtype()));
      double[] values = new double[count];
      int base = dataStart + (int) e.begin();
      for (int i = 0; i < count; i++) {
        values[i] = value(buf, e.dtype(), base + i * width(e.dtype()));
      }
      out.put(e.name(), Tensor.wrap(values, e.shape()));
    }
    return out;
  }

  /**
   * Writes tensors as F32, the dtype of PyTorch state dicts, in the map's order. Values are rounded
   * to float.
   *
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
    write(file, tensors, "F32");
  }

  /**
   * Writes tensors in the map's order, as {@code "F32"} or {@code "F64"}, with an empty
   * {@code __metadata__}-free header padded with spaces to a multiple of 8 bytes, as the reference
   * writer does.
   *
   * @throws IllegalArgumentException if {@code dtype} is neither, or a name is {@code __metadata__}
   * @throws IOException if the file cannot be written
   */
  public static void write(Path file, Map<String, Tensor> tensors, String dtype) throws IOException {
    if (!dtype.equals("F32") && !dtype.equals("F64")) {
      throw new IllegalArgumentException("Safetensors.write: dtype must be F32 or F64, found " + dtype);
    }
    int width = width(dtype);
    StringBuilder header = new StringBuilder("{");
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        throw new IllegalArgumentException("Safetensors.write: __metadata__ is not a tensor name");
      }
      if (header.length() > 1) {
        header.append(',');
      }
      long bytes = (long) e.getValue().size() * width;
      header.append(quote(e.getKey())).append(":{\"dtype\":\"").append(dtype).append("\",\"shape\":[");
      int[] shape = e.getValue().shape();
      for (int i = 0; i < shape.length; i++) {
        header.append(i > 0 ? "," : "").append(shape[i]);
      }
      header.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
      offset += bytes;
    }
    header.append('}');
    byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (headerBytes.length + 7) / 8 * 8;
    try (OutputStream out = Files.newOutputStream(file)) {
      ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
      head.putLong(padded).put(headerBytes);
      while (head.hasRemaining()) {
        head.put((byte) ' ');
      }
      out.write(head.array());
      for (Tensor t : tensors.values()) {
        ByteBuffer data = ByteBuffer.allocate(t.size() * width).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : t.data()) {
          if (width == 4) {
            data.putFloat((float) v);
          } else {
            data.putDouble(v);
          }
        }
        out.write(data.array());
      }
    }
  }

  private static int width(String dtype) {
    return switch (dtype) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL" -> 1;
      default -> 0;
    };
  }

  private static double value(ByteBuffer buf, String dtype, int at) {
    return switch (dtype) {
      case "F64" -> buf.getDouble(at);
      case "F32" -> buf.getFloat(at);
      case "F16" -> halfToFloat(buf.getShort(at));
      case "BF16" -> Float.intBitsToFloat((buf.getShort(at) & 0xffff) << 16);
      case "I64" -> buf.getLong(at);
      case "U64" -> unsignedLong(buf.getLong(at));
      case "I32" -> buf.getInt(at);
      case "U32" -> buf.getInt(at) & 0xffffffffL;
      case "I16" -> buf.getShort(at);
      case "U16" -> buf.getShort(at) & 0xffff;
      case "I8" -> buf.get(at);
      case "U8", "BOOL" -> buf.get(at) & 0xff;
      default -> throw new IllegalStateException(dtype);
    };
  }

  /** IEEE 754 binary16 to float (exact: every half value is a float). */
  static float halfToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float subnormal = mantissa * 0x1p-24f;
      return sign != 0 ? -subnormal : subnormal;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  private static double unsignedLong(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
