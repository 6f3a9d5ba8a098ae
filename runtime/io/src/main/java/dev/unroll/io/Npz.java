package dev.unroll.io;

import dev.unroll.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} files: a zip archive holding one {@code .npy} array per
 * entry, as {@code numpy.savez} and {@code numpy.savez_compressed} write them and
 * {@code numpy.load} reads them.
 *
 * <p>Reading accepts stored and deflated entries (including NumPy's zip64 headers) in
 * {@code .npy} format versions 1.0, 2.0 and 3.0, C order ({@code fortran_order: False}), with the
 * element types {@code <f8}, {@code >f8}, {@code <f4}, {@code >f4} (float32 is widened to double
 * exactly) and the integer types {@code <i4}, {@code >i4}, {@code <i8}, {@code >i8}, {@code |i1},
 * {@code |u1} (integers are converted to double, e.g. class labels). Names are the entry names
 * without {@code .npy}, as {@code numpy.load} gives them, in the archive's order.
 *
 * <p>Writing produces little-endian float64 ({@code <f8}) arrays in format version 1.0, each
 * header padded to a multiple of 64 bytes as NumPy does, in stored entries like
 * {@code numpy.savez} (or deflated ones with {@link #write(Path, Map, boolean)}).
 */
public final class Npz {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npz() {}

  /**
   * Reads every array of an {@code .npz} file.
   *
   * @return the arrays by name (entry name without {@code .npy}), in the archive's order
   * @throws IOException if the file cannot be read or is not a valid {@code .npz} of supported arrays;
   *     the message names the entry and the problem
   */
  public static Map<String, Tensor> read(Path path) throws IOException {
    return read(path, ReadBudget.ofLimit(ModelFiles.DEFAULT_READ_LIMIT));
  }

  /** As {@link #read(Path)}, within {@code budget}. */
  static Map<String, Tensor> read(Path path, ReadBudget budget) throws IOException {
    String file = String.valueOf(path.getFileName());
    try (ZipFile zip = open(path, file)) {
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (Map.Entry<String, Pending> e : header(zip, file, budget).entrySet()) {
        out.put(e.getKey(), e.getValue().tensor());
      }
      return out;
    }
  }

  /** Opens an archive, or says that it is not one. */
  static ZipFile open(Path path, String file) throws IOException {
    try {
      return new ZipFile(path.toFile());
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new ModelFileException(file + " is not a valid .npz (zip) file: " + e.getMessage(), e);
    }
  }

  /**
   * The arrays of an open archive from their {@code .npy} headers, in the archive's order: only each
   * entry's header is inflated. An array's values are read when {@link Pending#values()} is called,
   * claimed from {@code budget} first and inflated no further than its shape needs, while {@code zip}
   * is open.
   */
  static Map<String, Pending> header(ZipFile zip, String file, ReadBudget budget) throws ModelFileException {
    Map<String, Pending> out = new LinkedHashMap<>();
    try {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        String name = entry.getName();
        String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        if (out.containsKey(key)) {
          throw new ModelFileException(file + ": entry " + name + " appears twice");
        }
        NpyHeader h;
        try (InputStream in = zip.getInputStream(entry)) {
          h = NpyHeader.read(in);
        } catch (ModelFileException e) {
          throw e;
        } catch (IOException | RuntimeException e) {
          throw new ModelFileException(file + ": entry " + name + ": " + e.getMessage(), e);
        }
        out.put(key, new Pending(h.shape, () -> values(zip, entry, h, budget, file)));
      }
    } catch (IllegalStateException e) { // the archive was closed
      throw new ModelFileException(file + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static double[] values(ZipFile zip, ZipEntry entry, NpyHeader h, ReadBudget budget, String file)
      throws ModelFileException {
    String name = entry.getName();
    if (h.count() > Integer.MAX_VALUE - 8) {
      throw new ModelFileException(file + ": entry " + name + ": array of shape " + Tensor.format(h.shape)
          + " is too large");
    }
    budget.claim(h.count(), file, "entry " + name + " of shape " + Tensor.format(h.shape));
    try (InputStream in = zip.getInputStream(entry)) {
      in.skipNBytes(h.dataStart);
      return h.values(in);
    } catch (IOException | RuntimeException e) {
      throw new ModelFileException(file + ": entry " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the arrays as an {@code .npz} file of stored entries, as {@code numpy.savez} does,
   * replacing the file if it exists. The file is written to a temporary sibling first and then
   * moved into place, so a failed write leaves an existing file unchanged.
   *
   * @param arrays arrays by name; each is written as entry {@code name + ".npy"}, in iteration order
   * @throws IOException if the file cannot be written
   */
  public static void write(Path path, Map<String, Tensor> arrays) throws IOException {
    write(path, arrays, false);
  }

  /**
   * As {@link #write(Path, Map)}; with {@code compressed}, the entries are deflated as by
   * {@code numpy.savez_compressed}.
   */
  public static void write(Path path, Map<String, Tensor> arrays, boolean compressed) throws IOException {
    for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty()) {
        throw new IllegalArgumentException("Npz.write: an array has an empty name");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("Npz.write: array " + e.getKey() + " is null");
      }
    }
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    // a sibling with the default permissions (createTempFile would make it owner-only)
    Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + "."
        + Long.toHexString(System.nanoTime()) + ".tmp");
    try {
      try (OutputStream fileOut = Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
          ZipOutputStream zip = new ZipOutputStream(fileOut)) {
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
          byte[] npy = toNpy(e.getValue());
          ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
          entry.setTime(315532800000L + 86400000L); // a fixed time (1980-01-02), so output is reproducible
          if (compressed) {
            entry.setMethod(ZipEntry.DEFLATED);
          } else {
            CRC32 crc = new CRC32();
            crc.update(npy);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(npy.length);
            entry.setCompressedSize(npy.length);
            entry.setCrc(crc.getValue());
          }
          zip.putNextEntry(entry);
          zip.write(npy);
          zip.closeEntry();
        }
      }
      try {
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Parses one {@code .npy} array.
   *
   * @throws IOException if the bytes are not a supported {@code .npy} array
   */
  public static Tensor readNpy(byte[] bytes) throws IOException {
    return readNpy(bytes, ReadBudget.ofLimit(ModelFiles.DEFAULT_READ_LIMIT), "", "the array");
  }

  private static Tensor readNpy(byte[] bytes, ReadBudget budget, String file, String entry) throws IOException {
    java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(bytes);
    NpyHeader h = NpyHeader.read(in);
    if (h.count() > Integer.MAX_VALUE - 8) {
      throw new IOException("array of shape " + Tensor.format(h.shape) + " is too large");
    }
    budget.claim(h.count(), file, (file.isEmpty() ? entry : "entry " + entry) + " of shape " + Tensor.format(h.shape));
    return Tensor.wrap(h.values(in), h.shape);
  }

  /** The most a {@code .npy} header may hold (NumPy writes a few hundred bytes). */
  static final int MAX_NPY_HEADER = 1 << 20;

  /** A {@code .npy} header: element type, shape, and where the data starts. */
  private record NpyHeader(ElementType type, String descr, int[] shape, int dataStart) {
    long count() {
      long c = 1;
      for (int d : shape) {
        c = d != 0 && c > Long.MAX_VALUE / d ? Long.MAX_VALUE : c * d;
      }
      return c;
    }

    /** Reads the header from the start of an array's bytes. */
    static NpyHeader read(InputStream in) throws IOException {
      byte[] prefix = in.readNBytes(10);
      if (prefix.length < 10) {
        throw new IOException("too short for a .npy array (" + prefix.length + " bytes)");
      }
      for (int i = 0; i < MAGIC.length; i++) {
        if (prefix[i] != MAGIC[i]) {
          throw new IOException("not a .npy array (no \\x93NUMPY magic string)");
        }
      }
      int major = prefix[6] & 0xff;
      long headerLen;
      int headerStart;
      if (major == 1) {
        headerLen = ByteBuffer.wrap(prefix, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        headerStart = 10;
      } else if (major == 2 || major == 3) {
        byte[] more = in.readNBytes(2);
        if (more.length < 2) {
          throw new IOException("truncated .npy header");
        }
        headerLen = ByteBuffer.wrap(new byte[] {prefix[8], prefix[9], more[0], more[1]})
            .order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        headerStart = 12;
      } else {
        throw new IOException(".npy format version " + major + "." + (prefix[7] & 0xff)
            + " is not supported (1.0, 2.0, 3.0 are)");
      }
      if (headerLen > MAX_NPY_HEADER) {
        throw new IOException(".npy header of " + headerLen + " bytes, more than the " + MAX_NPY_HEADER
            + " Unroll reads; is the file corrupt?");
      }
      byte[] headerBytes = in.readNBytes((int) headerLen);
      if (headerBytes.length < headerLen) {
        throw new IOException("truncated .npy header");
      }
      String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      Matcher d = DESCR.matcher(header);
      Matcher f = FORTRAN.matcher(header);
      Matcher s = SHAPE.matcher(header);
      if (!d.find() || !f.find() || !s.find()) {
        throw new IOException("unreadable .npy header " + header.trim());
      }
      String descr = d.group(1);
      if (f.group(1).equals("True")) {
        throw new IOException("fortran_order True is not supported; save the array in C order"
            + " (np.ascontiguousarray)");
      }
      int[] shape = parseShape(s.group(1));
      return new NpyHeader(ElementType.of(descr), descr, shape, headerStart + (int) headerLen);
    }

    /** Reads the values that follow the header, as many as the shape holds. */
    double[] values(InputStream in) throws IOException {
      int count = (int) count();
      double[] values = new double[count];
      int size = type.size;
      byte[] chunk = new byte[(int) Math.min(1 << 16, Math.max(size, (long) count * size))];
      int perChunk = chunk.length / size;
      ByteBuffer buf = ByteBuffer.wrap(chunk).order(type.order);
      for (int done = 0; done < count; done += perChunk) {
        int k = Math.min(perChunk, count - done);
        int got = in.readNBytes(chunk, 0, k * size);
        if (got < k * size) {
          throw new IOException("array " + descr + " of shape " + Tensor.format(shape) + " needs "
              + count() * size + " bytes of data, found " + ((long) done * size + got));
        }
        for (int i = 0; i < k; i++) {
          values[done + i] = type.read(buf, i);
        }
      }
      return values;
    }
  }

  /** The {@code .npy} bytes of a tensor: format 1.0, {@code <f8}, C order. */
  public static byte[] toNpy(Tensor t) {
    StringBuilder h = new StringBuilder("{'descr': '<f8', 'fortran_order': False, 'shape': (");
    int[] shape = t.shape();
    for (int i = 0; i < shape.length; i++) {
      h.append(shape[i]);
      if (shape.length == 1 || i < shape.length - 1) {
        h.append(',');
      }
      if (i < shape.length - 1) {
        h.append(' ');
      }
    }
    h.append("), }");
    // magic (6) + version (2) + length (2) + header + '\n', padded with spaces to a multiple of 64
    int unpadded = 10 + h.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    h.append(" ".repeat(padding)).append('\n');
    byte[] header = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(10 + header.length + 8 * t.size());
    out.writeBytes(MAGIC);
    out.write(1);
    out.write(0);
    out.write(header.length & 0xff);
    out.write((header.length >>> 8) & 0xff);
    out.writeBytes(header);
    ByteBuffer data = ByteBuffer.allocate(8 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : t.data()) {
      data.putDouble(v);
    }
    out.writeBytes(data.array());
    return out.toByteArray();
  }

  private static int[] parseShape(String inner) throws IOException {
    List<Integer> dims = new ArrayList<>();
    for (String part : inner.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      if (p.endsWith("L")) { // Python 2 longs
        p = p.substring(0, p.length() - 1);
      }
      try {
        int dim = Integer.parseInt(p);
        if (dim < 0) {
          throw new IOException("negative dimension in shape (" + inner + ")");
        }
        dims.add(dim);
      } catch (NumberFormatException e) {
        throw new IOException("unreadable shape (" + inner + ")", e);
      }
    }
    int[] shape = new int[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i);
    }
    return shape;
  }

  /** The element types read. */
  private enum ElementType {
    F8(8, ByteOrder.LITTLE_ENDIAN) {
      @Override
      double read(ByteBuffer b, int i) {
        return b.getDouble(8 * i);
      }
    },
    F8_BIG(8, ByteOrder.BIG_ENDIAN) {
      @Override
      double read(ByteBuffer b, int i) {
        return b.getDouble(8 * i);
      }
    },
    F4(4, ByteOrder.LITTLE_ENDIAN) {
      @Override
      double read(ByteBuffer b, int i) {
        return b.getFloat(4 * i);
      }
    },
    F4_BIG(4, ByteOrder.BIG_ENDIAN) {
      @Override
      double read(ByteBuffer b, int i) {
        return b.getFloat(4 * i);
      }
    },
    I4(4, ByteOrder.LITTLE_ENDIAN) {
      @Override
      double read(ByteBuffer b, int i) {
        return b.getInt(4 * i);
      }
    },
    I4_BIG(4, ByteOrder.BIG_ENDIAN) {
      @Override
      double read(ByteBuffer b, int i) {
        return b.getInt(4 * i);
      }
    },
    I8(8, ByteOrder.LITTLE_ENDIAN) {
      @Override
      double read(ByteBuffer b, int i) {
        return b.getLong(8 * i);
      }
    },
    I8_BIG(8, ByteOrder.BIG_ENDIAN) {
      @Override
      double read(ByteBuffer b, int i) {
        return b.getLong(8 * i);
      }
    },
    I1(1, ByteOrder.LITTLE_ENDIAN) {
      @Override
      double read(ByteBuffer b, int i) {
        return b.get(i);
      }
    },
    U1(1, ByteOrder.LITTLE_ENDIAN) {
      @Override
      double read(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
      }
    };

    final int size;
    final ByteOrder order;

    ElementType(int size, ByteOrder order) {
      this.size = size;
      this.order = order;
    }

    abstract double read(ByteBuffer b, int i);

    static ElementType of(String descr) throws IOException {
      switch (descr) {
        case "<f8":
          return F8;
        case ">f8":
          return F8_BIG;
        case "<f4":
          return F4;
        case ">f4":
          return F4_BIG;
        case "<i4":
          return I4;
        case ">i4":
          return I4_BIG;
        case "<i8":
          return I8;
        case ">i8":
          return I8_BIG;
        case "|i1":
          return I1;
        case "|u1":
          return U1;
        default:
          throw new IOException("element type " + descr + " is not supported (float64 and float32 are:"
              + " <f8, >f8, <f4, >f4; also <i4, >i4, <i8, >i8, |i1, |u1)");
      }
    }
  }
}
