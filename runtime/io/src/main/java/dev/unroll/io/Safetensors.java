package dev.unroll.io;

import dev.unroll.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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

  /** As {@link #read(Path)}, within {@code budget}. */
  static Map<String, Tensor> read(Path file, ReadBudget budget) throws IOException {
    try (FileChannel ch = FileChannel.open(file)) {
      return load(header(Source.of(ch), String.valueOf(file.getFileName()), budget));
    }
  }

  /**
   * As {@link #read(Path)}, from the bytes of a file.
   *
   * @param name the file's name, for messages
   */
  public static Map<String, Tensor> read(byte[] bytes, String name) throws ModelFileException {
    try {
      return load(header(Source.of(bytes), name, ReadBudget.ofLimit(ModelFiles.DEFAULT_READ_LIMIT)));
    } catch (ModelFileException e) {
      throw e;
    } catch (IOException e) {
      throw new ModelFileException(name + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Tensor> load(Map<String, Pending> tensors) throws ModelFileException {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Pending> e : tensors.entrySet()) {
      out.put(e.getKey(), e.getValue().tensor());
    }
    return out;
  }

  /** Where a file's bytes are: an open channel or an array. */
  interface Source {
    long size() throws IOException;

    /** Fills {@code dst} from {@code position}, or throws if the source ends first. */
    void read(long position, ByteBuffer dst) throws IOException;

    static Source of(FileChannel ch) {
      return new Source() {
        @Override
        public long size() throws IOException {
          return ch.size();
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
          long at = position;
          while (dst.hasRemaining()) {
            int n = ch.read(dst, at);
            if (n < 0) {
              throw new java.io.EOFException("the file ends at byte " + at);
            }
            at += n;
          }
        }
      };
    }

    static Source of(byte[] bytes) {
      return new Source() {
        @Override
        public long size() {
          return bytes.length;
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
          if (position + dst.remaining() > bytes.length) {
            throw new java.io.EOFException("the file ends at byte " + bytes.length);
          }
          dst.put(bytes, (int) position, dst.remaining());
        }
      };
    }
  }

  /**
   * The tensors a file's header describes, in its order: names, dtypes and shapes, nothing of their
   * data read. Where the data lies ({@code data_offsets}) is checked when the first tensor is read:
   * every tensor's bytes match its shape and dtype and the tensors tile the data exactly; then every
   * tensor's values are claimed from {@code budget} before any is allocated. Reads need {@code source}
   * open.
   */
  static Map<String, Pending> header(Source source, String name, ReadBudget budget) throws IOException {
    long size = source.size();
    if (size < 8) {
      throw new ModelFileException(name + ": " + size + " bytes, too short for a safetensors file "
          + "(8-byte header length, then the header)");
    }
    ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    source.read(0, head);
    long n = head.getLong(0);
    if (n < 2 || n > MAX_HEADER) {
      throw new ModelFileException(name + ": header length " + Long.toUnsignedString(n)
          + " is not plausible; not a safetensors file");
    }
    if (8 + n > size) {
      throw new ModelFileException(name + ": the header needs " + n + " bytes, the file has " + (size - 8)
          + " after the length: truncated");
    }
    if (n > budget.rawLimit()) {
      throw budget.tooLarge(name, "the header has " + n + " bytes");
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
    source.read(8, headerBytes);
    headerBytes.flip();
    String headerText;
    try {
      headerText = StandardCharsets.UTF_8.newDecoder().decode(headerBytes).toString();
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
    Layout layout = new Layout(source, name, budget, 8 + n, size - 8 - n);
    Map<String, Pending> out = new LinkedHashMap<>();
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
      for (int i = 0; i < shape.length; i++) {
        if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
          throw new ModelFileException(name + ": tensor " + e.getKey() + " has a bad shape " + shapeList);
        }
        shape[i] = (int) (long) d;
      }
      int width = width(dtype);
      if (width == 0) {
        throw new ModelFileException(name + ": tensor " + e.getKey() + " has dtype " + dtype
            + ", which Unroll does not read (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
      }
      Entry entry = new Entry(e.getKey(), dtype, shape, offsets);
      layout.entries.add(entry);
      out.put(e.getKey(), new Pending(shape, () -> layout.read(entry)));
    }
    return out;
  }

  private record Entry(String name, String dtype, int[] shape, List<Object> offsets) {
    long count() {
      long c = 1;
      for (int d : shape) {
        c = d != 0 && c > Long.MAX_VALUE / d ? Long.MAX_VALUE : c * d;
      }
      return c;
    }
  }

  /** Where the tensors' data lies, checked once, when the first tensor is read. */
  private static final class Layout {
    final Source source;
    final String name;
    final ReadBudget budget;
    final long dataStart;
    final long dataLength;
    final List<Entry> entries = new ArrayList<>();
    final Map<Entry, long[]> ranges = new java.util.IdentityHashMap<>();

    Layout(Source source, String name, ReadBudget budget, long dataStart, long dataLength) {
      this.source = source;
      this.name = name;
      this.budget = budget;
      this.dataStart = dataStart;
      this.dataLength = dataLength;
    }

    private void check() throws ModelFileException {
      if (!ranges.isEmpty() || entries.isEmpty()) {
        return;
      }
      record Range(Entry e, long begin, long end) {}
      List<Range> byOffset = new ArrayList<>();
      for (Entry e : entries) {
        List<Object> offsets = e.offsets();
        if (!(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end) || begin < 0
            || end < begin) {
          throw new ModelFileException(name + ": tensor " + e.name() + " has bad data_offsets " + offsets);
        }
        long count = e.count();
        if (count > Integer.MAX_VALUE - 8) {
          throw new ModelFileException(name + ": tensor " + e.name() + " of shape "
              + java.util.Arrays.toString(e.shape()) + " is too large");
        }
        int width = width(e.dtype());
        if (end - begin != count * width) {
          throw new ModelFileException(name + ": tensor " + e.name() + " of shape "
              + java.util.Arrays.toString(e.shape()) + " and dtype " + e.dtype() + " needs " + count * width + " bytes, its data_offsets " + offsets
              + " give " + (end - begin));
        }
        byOffset.add(new Range(e, begin, end));
      }
      byOffset.sort(Comparator.comparingLong(Range::begin).thenComparingLong(Range::end));
      long expected = 0;
      for (Range r : byOffset) {
        if (r.begin() != expected) {
          throw new ModelFileException(name + ": tensor " + r.e().name() + " starts at byte " + r.begin()
              + " of the data, " + (r.begin() < expected ? "overlapping the tensor before it"
              : "leaving a gap after byte " + expected));
        }
        expected = r.end();
      }
      if (expected != dataLength) {
        throw new ModelFileException(name + ": the header describes " + expected + " bytes of tensor data, the file"
            + " has " + dataLength + (dataLength < expected ? ": truncated" : ": extra bytes at the end"));
      }
      // every tensor's size, claimed before any is allocated
      for (Entry e : entries) {
        budget.claim(e.count(), name, "tensor " + e.name() + " of shape " + Tensor.format(e.shape()));
      }
      for (Range r : byOffset) {
        ranges.put(r.e(), new long[] {r.begin(), r.end()});
      }
    }

    double[] read(Entry e) throws ModelFileException {
      check();
      long[] range = ranges.get(e);
      int width = width(e.dtype());
      int count = (int) e.count();
      double[] values = new double[count];
      ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(width, (long) count * width)))
          .order(ByteOrder.LITTLE_ENDIAN);
      int perChunk = chunk.capacity() / width;
      try {
        for (int done = 0; done < count; done += perChunk) {
          int k = Math.min(perChunk, count - done);
          chunk.clear().limit(k * width);
          source.read(dataStart + range[0] + (long) done * width, chunk);
          for (int i = 0; i < k; i++) {
            values[done + i] = value(chunk, e.dtype(), i * width);
          }
        }
      } catch (IOException x) {
        throw new ModelFileException(name + ": cannot read tensor " + e.name() + " (" + x.getMessage() + ")", x);
      }
      return values;
    }
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
