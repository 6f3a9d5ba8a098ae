package dev.unroll.io;

import dev.unroll.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The containers Keras writes, as datasets and attributes: {@code .h5} files (Keras 1, 2 and 3
 * {@code model.save} and {@code save_weights}, Keras 3 {@code .weights.h5}) and Keras 3 {@code .keras}
 * zip archives ({@code config.json}, {@code metadata.json}, {@code model.weights.h5}).
 *
 * <p>It knows where a file keeps each layer's arrays, not what they mean ({@link KerasDialect}) nor
 * which layers they make ({@link KerasLayers}). In {@code .h5} files the layers are listed by the
 * {@code layer_names} attribute and each layer's arrays by its {@code weight_names} attribute, read as
 * paths inside the layer's group: the group names inside differ between releases
 * ({@code lstm_1/lstm_1/kernel:0}, {@code lstm/lstm/lstm_cell/kernel:0},
 * {@code lstm_6/lstm_6/lstm_cell_6/kernel:0}), so no path is ever built. In Keras 3 weights the arrays
 * of a layer group are in {@code vars/0, 1, ...} groups, its own and its children's (an LSTM's in
 * {@code cell/vars}).
 */
final class KerasContainer {
  private KerasContainer() {}

  /** A layer's stored arrays, with the names (or paths) the file gives them. */
  record Stored(List<String> names, List<Pending> arrays) {
    static final Stored NONE = new Stored(List.of(), List.of());

    /** {@code [name (shape), ...]}, for messages. */
    String shapes() {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < arrays.size(); i++) {
        sb.append(i > 0 ? ", " : "").append(names.get(i)).append(' ').append(Tensor.format(arrays.get(i).shape()));
      }
      return sb.append(']').toString();
    }
  }

  /** The entries of a {@code .keras} archive that Unroll reads; null where the archive has none. */
  record Archive(byte[] config, byte[] metadata, java.nio.ByteBuffer weights) {}

  /** Reads the headers of an open HDF5 file. */
  interface Reader {
    Unread read(Hdf5 h) throws ModelFileException;
  }

  /** Whether jhdf, the HDF5 reader, is on the class path (a build may exclude it). */
  static boolean jhdfAvailable() {
    try {
      Class.forName("io.jhdf.HdfFile", false, KerasContainer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static void requireJhdf(String file) throws ModelFileException {
    if (!jhdfAvailable()) {
      throw new ModelFileException(file + ": reading HDF5 (.h5, .keras) needs io.jhdf:jhdf 0.13.0 on the class path;"
          + " unroll-io depends on it, so it was excluded from this build: add it back");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // .h5

  /**
   * Opens an {@code .h5} file, checks that it is complete, reads its headers with {@code reader}, checks
   * them with {@code gate} and only then reads the arrays; what jhdf (or the reader) throws unchecked
   * becomes a {@link ModelFileException} naming the file.
   */
  static ModelFile readHdf5(Path file, String name, ReadBudget budget, Unread.Gate gate, Reader reader)
      throws IOException {
    // mapped, not read: jhdf reads slices of the mapping (where from a channel it would allocate a buffer of
    // whatever length a damaged object header states), and only the pages it reads are touched, so the headers
    // are read, and compared with a model, whatever the size of the arrays after them
    java.nio.ByteBuffer bytes;
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 16L) {
        throw new ModelFileException(name + ": " + size + " bytes; Unroll reads HDF5 files of up to 2 GiB");
      }
      bytes = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, size);
    }
    try (Hdf5 h = Hdf5.fromBuffer(bytes, budget)) {
      return headerFirst(h, name, gate, reader);
    } catch (InternalError e) { // a mapped page that is no longer there: the file was cut while it was read
      throw new ModelFileException(name + ": the file changed while it was read (" + e.getMessage() + ")", e);
    } catch (IllegalStateException e) {
      throw new ModelFileException(name + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ModelFileException(name + ": cannot read it as HDF5 (" + describe(e) + "); is it truncated or corrupt?", e);
    }
  }

  /**
   * Reads the headers, checks them with {@code gate}, and only then checks that the file is complete and
   * reads the arrays: a truncated file whose headers survive is compared with the model first. If the
   * headers cannot be read and the file is truncated, the truncation is the error.
   */
  private static ModelFile headerFirst(Hdf5 h, String name, Unread.Gate gate, Reader reader)
      throws ModelFileException {
    Unread unread;
    try {
      unread = reader.read(h);
    } catch (ModelFileException | RuntimeException e) {
      requireComplete(h, name);
      throw e;
    }
    gate.check(unread);
    requireComplete(h, name);
    return unread.read();
  }

  private static void requireComplete(Hdf5 h, String name) throws ModelFileException {
    long declared = h.declaredSize();
    long actual = h.size();
    if (declared > actual) {
      throw new ModelFileException(name + ": " + actual + " bytes, but its HDF5 superblock says " + declared
          + ": truncated");
    }
  }

  /** The arrays of each layer that {@code layer_names} lists under {@code root}, by its {@code weight_names}. */
  static Map<String, Stored> layers(Hdf5 h, String root, List<String> layerNames, String name)
      throws ModelFileException {
    Map<String, Stored> stored = new LinkedHashMap<>();
    for (String layer : layerNames) {
      String group = join(root, layer);
      if (!h.isGroup(group)) {
        throw new ModelFileException(name + ": layer_names lists " + layer + ", but there is no group /" + group);
      }
      List<String> weightNames = h.stringsAttribute(group, "weight_names");
      List<Pending> arrays = new ArrayList<>();
      for (String w : weightNames == null ? List.<String>of() : weightNames) {
        String path = join(group, w);
        if (!h.exists(path)) {
          throw new ModelFileException(name + ": weight_names of layer " + layer + " lists " + w
              + ", but there is no dataset /" + path);
        }
        arrays.add(h.dataset(path));
      }
      stored.put(layer, new Stored(weightNames == null ? List.of() : List.copyOf(weightNames), arrays));
    }
    return stored;
  }

  private static String join(String group, String child) {
    return group.isEmpty() ? child : group + "/" + child;
  }

  // ---------------------------------------------------------------------------------------------
  // Keras 3 weights (.weights.h5, and model.weights.h5 in a .keras archive)

  /** The arrays under a Keras 3 layer group: its own vars/0, 1, ... first, then its children's, by name. */
  static Stored vars(Hdf5 h, String path) {
    List<String> names = new ArrayList<>();
    List<Pending> arrays = new ArrayList<>();
    collectVars(h, path, names, arrays, 0);
    return new Stored(names, arrays);
  }

  private static void collectVars(Hdf5 h, String path, List<String> names, List<Pending> arrays, int depth) {
    if (depth > 16 || !h.isGroup(path)) {
      return;
    }
    String own = path + "/vars";
    if (h.isGroup(own)) {
      List<String> indices = new ArrayList<>(h.children(own));
      indices.sort(Comparator.comparingLong(KerasContainer::indexOf).thenComparing(Comparator.naturalOrder()));
      for (String i : indices) {
        if (!h.isGroup(own + "/" + i)) {
          names.add(own + "/" + i);
          arrays.add(h.dataset(own + "/" + i));
        }
      }
    }
    List<String> children = new ArrayList<>(h.children(path));
    children.sort(Comparator.naturalOrder());
    for (String c : children) {
      if (!c.equals("vars")) {
        collectVars(h, path + "/" + c, names, arrays, depth + 1);
      }
    }
  }

  private static long indexOf(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // .keras (Keras 3)

  /** The entries of a {@code .keras} archive; it must hold {@code model.weights.h5}. */
  static Archive readArchive(Path file, String name, ReadBudget budget) throws IOException {
    byte[] configBytes;
    byte[] metadataBytes;
    java.nio.ByteBuffer weights;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      configBytes = entry(zip, "config.json", name, 64L << 20);
      metadataBytes = entry(zip, "metadata.json", name, 1L << 20);
      ZipEntry w = zip.getEntry("model.weights.h5");
      // stored, as Keras stores it: mapped where it lies in the archive, so that its headers are read (and
      // compared with a model) whatever the size of its arrays; deflated: inflated, at most what the budget
      // leaves for arrays plus metadata
      weights = w == null ? null : w.getMethod() == ZipEntry.STORED ? mapStored(file, w) : null;
      if (weights == null) {
        byte[] bytes = entry(zip, "model.weights.h5", name, Math.min(Integer.MAX_VALUE - 16L, budget.rawLimit()));
        weights = bytes == null ? null : java.nio.ByteBuffer.wrap(bytes);
      }
    } catch (ZipException | java.io.EOFException e) {
      throw new ModelFileException(name + ": not a readable zip archive (" + e.getMessage() + "); is it truncated?", e);
    }
    if (weights == null) {
      throw new ModelFileException(name + ": a zip archive without model.weights.h5; not a Keras 3 .keras file");
    }
    return new Archive(configBytes, metadataBytes, weights);
  }

  /**
   * The bytes of a stored (uncompressed) entry, mapped read-only where they lie in the archive; null if
   * they cannot be located with certainty (an archive with a prefix, zip64 sizes, a local header that
   * disagrees with the central directory), for the caller to inflate the entry instead.
   */
  private static java.nio.ByteBuffer mapStored(Path file, ZipEntry entry) throws IOException {
    long size = entry.getSize();
    if (size < 0 || size != entry.getCompressedSize() || size > Integer.MAX_VALUE - 16L) {
      return null;
    }
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      long local = localHeaderOffset(ch, entry.getName());
      if (local < 0 || local + 30 > ch.size()) {
        return null;
      }
      java.nio.ByteBuffer h = read(ch, local, 30);
      byte[] nameBytes = entry.getName().getBytes(StandardCharsets.UTF_8);
      if (h.getInt(0) != 0x04034b50 || (h.getShort(8) & 0xffff) != 0 || (h.getShort(26) & 0xffff) != nameBytes.length) {
        return null;
      }
      long data = local + 30 + nameBytes.length + (h.getShort(28) & 0xffff);
      if (!java.util.Arrays.equals(read(ch, local + 30, nameBytes.length).array(), nameBytes)
          || data + size > ch.size()) {
        return null;
      }
      return ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, data, size);
    }
  }

  /** The offset of an entry's local header, from the central directory; -1 if not found or zip64. */
  private static long localHeaderOffset(java.nio.channels.FileChannel ch, String name) throws IOException {
    long fileSize = ch.size();
    int tail = (int) Math.min(fileSize, 22 + 0xffff);
    java.nio.ByteBuffer end = read(ch, fileSize - tail, tail);
    int eocd = -1;
    for (int i = tail - 22; i >= 0; i--) {
      if (end.getInt(i) == 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) {
      return -1;
    }
    long cdSize = end.getInt(eocd + 12) & 0xffffffffL;
    long cdOffset = end.getInt(eocd + 16) & 0xffffffffL;
    if (cdSize == 0xffffffffL || cdOffset == 0xffffffffL || cdSize > (1 << 20) || cdOffset + cdSize > fileSize) {
      return -1;
    }
    java.nio.ByteBuffer cd = read(ch, cdOffset, (int) cdSize);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (int p = 0; p + 46 <= cdSize && cd.getInt(p) == 0x02014b50; ) {
      int nameLen = cd.getShort(p + 28) & 0xffff;
      int extraLen = cd.getShort(p + 30) & 0xffff;
      int commentLen = cd.getShort(p + 32) & 0xffff;
      if (p + 46 + nameLen > cdSize) {
        return -1;
      }
      byte[] n = new byte[nameLen];
      cd.get(p + 46, n);
      if (java.util.Arrays.equals(n, wanted)) {
        long offset = cd.getInt(p + 42) & 0xffffffffL;
        return offset == 0xffffffffL ? -1 : offset;
      }
      p += 46 + nameLen + extraLen + commentLen;
    }
    return -1;
  }

  private static java.nio.ByteBuffer read(java.nio.channels.FileChannel ch, long at, int length) throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long p = at;
    while (b.hasRemaining()) {
      int n = ch.read(b, p);
      if (n < 0) {
        throw new java.io.EOFException("the archive ends at byte " + p);
      }
      p += n;
    }
    return b;
  }

  private static byte[] entry(ZipFile zip, String entry, String name, long limit) throws IOException {
    ZipEntry e = zip.getEntry(entry);
    if (e == null) {
      return null;
    }
    if (e.getSize() > limit) {
      throw new ModelFileException(name + ": " + entry + " holds " + e.getSize() + " bytes, more than Unroll reads");
    }
    try (InputStream in = zip.getInputStream(e)) {
      byte[] bytes = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 16L) + 1);
      if (bytes.length > limit) {
        throw new ModelFileException(name + ": " + entry + " is larger than Unroll reads");
      }
      return bytes;
    } catch (ZipException | java.io.EOFException ex) {
      throw new ModelFileException(name + ": cannot unpack " + entry + " (" + ex.getMessage() + "); is it truncated?",
          ex);
    }
  }

  /** The {@code keras_version} of an archive's {@code metadata.json}; null without one. */
  static String version(Archive archive, String name) throws ModelFileException {
    if (archive.metadata() == null) {
      return null;
    }
    try {
      Map<String, Object> meta = Json.object(Json.parse(new String(archive.metadata(), StandardCharsets.UTF_8)));
      return meta != null && meta.get("keras_version") instanceof String v ? v : null;
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(name + ": metadata.json is not valid JSON (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Reads an archive's {@code model.weights.h5} (complete, or a {@link ModelFileException}) with
   * {@code reader}; what jhdf (or the reader) throws unchecked becomes a {@link ModelFileException}.
   */
  static ModelFile readWeights(Archive archive, String name, ReadBudget budget, Unread.Gate gate, Reader reader)
      throws ModelFileException {
    try (Hdf5 h = Hdf5.fromBuffer(archive.weights(), budget)) {
      return headerFirst(h, name + ": model.weights.h5", gate, reader);
    } catch (InternalError e) { // a mapped page that is no longer there: the archive was cut while it was read
      throw new ModelFileException(name + ": the file changed while it was read (" + e.getMessage() + ")", e);
    } catch (IllegalStateException e) {
      throw new ModelFileException(name + ": model.weights.h5: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ModelFileException(name + ": cannot read its model.weights.h5 as HDF5 (" + describe(e)
          + "); is it truncated or corrupt?", e);
    }
  }

  // ---------------------------------------------------------------------------------------------

  static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}
