package dev.unroll.io;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The only class that touches jhdf (a dependency of {@code unroll-io}): HDF5 groups, string
 * attributes and numeric datasets by path. Callers check {@link KerasContainer#jhdfAvailable} first,
 * from a class that does not link against jhdf, so that a build that leaves jhdf out gets a clear
 * message instead of a {@link NoClassDefFoundError}. jhdf reports broken files with unchecked
 * exceptions; callers turn those into {@link ModelFileException}s.
 */
final class Hdf5 implements AutoCloseable {
  private final HdfFile file;
  private final ReadBudget budget;

  private Hdf5(HdfFile file, ReadBudget budget) {
    this.file = file;
    this.budget = budget;
  }

  /** A file's bytes; every dataset read claims its values from {@code budget} before they are read. */
  static Hdf5 fromBytes(byte[] bytes, ReadBudget budget) {
    return new Hdf5(HdfFile.fromBytes(bytes), budget);
  }

  /**
   * A file's bytes as a buffer (a file mapped read-only: only the pages read are touched, and jhdf's
   * reads are slices of it, so a damaged header's length cannot make it allocate).
   */
  static Hdf5 fromBuffer(java.nio.ByteBuffer bytes, ReadBudget budget) {
    return new Hdf5(HdfFile.fromByteBuffer(bytes), budget);
  }

  /** The bytes the file holds. */
  long size() {
    return file.getHdfBackingStorage().size();
  }

  /**
   * The bytes the superblock says the file holds (base address + end-of-file address): more than
   * {@link #size()} means the file was truncated, even where the objects read lie before the cut.
   */
  long declaredSize() {
    Superblock sb = file.getHdfBackingStorage().getSuperblock();
    return sb.getBaseAddressByte() + sb.getEndOfFileAddress();
  }

  /** Whether a group or dataset exists at {@code path} ("" is the root). */
  boolean exists(String path) {
    return node(path) != null;
  }

  /** Whether {@code path} is a group. */
  boolean isGroup(String path) {
    Node n = node(path);
    return n != null && n.isGroup();
  }

  /** The names of the children of the group at {@code path}, or an empty list if there is none. */
  List<String> children(String path) {
    Node n = node(path);
    if (!(n instanceof Group)) {
      return List.of();
    }
    return new ArrayList<>(((Group) n).getChildren().keySet());
  }

  /**
   * A string attribute of the node at {@code path}: a scalar, or the first element of a
   * one-element array. Null if the node or the attribute does not exist or holds no string.
   */
  String stringAttribute(String path, String name) {
    Node n = node(path);
    if (n == null) {
      return null;
    }
    Attribute a = n.getAttribute(name);
    if (a == null || a.isEmpty()) {
      return null;
    }
    requireSmall(a, path, name);
    Object v = a.getData();
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof String[] arr && arr.length == 1) {
      return arr[0];
    }
    return null;
  }

  /**
   * A list-of-strings attribute (Keras {@code layer_names}, {@code weight_names}), fixed- or
   * variable-length, or split by Keras into {@code name0}, {@code name1}, ... when it was too large
   * for one HDF5 object header. Null if the attribute does not exist; empty if it is empty (Keras
   * writes an empty list as a float64 array of shape (0,), which jhdf reads as null).
   *
   * @throws IllegalStateException if the attribute holds something else than strings
   */
  List<String> stringsAttribute(String path, String name) {
    Node n = node(path);
    if (n == null) {
      return null;
    }
    Attribute a = n.getAttribute(name);
    if (a != null) {
      return strings(a, path, name);
    }
    List<String> out = null;
    for (int chunk = 0; (a = n.getAttribute(name + chunk)) != null; chunk++) {
      if (out == null) {
        out = new ArrayList<>();
      }
      out.addAll(strings(a, path, name + chunk));
    }
    return out;
  }

  private static List<String> strings(Attribute a, String path, String name) {
    if (a.isEmpty()) {
      return List.of();
    }
    requireSmall(a, path, name);
    Object v = a.getData();
    if (v == null) {
      return List.of();
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    if (v instanceof String[] arr) {
      return Arrays.asList(arr.clone());
    }
    throw new IllegalStateException("attribute " + name + " of " + display(path) + " holds "
        + a.getJavaType().getSimpleName() + " values, not strings");
  }

  /** The most an attribute may hold: that of a JSON configuration ({@link KerasReader#MAX_CONFIG_BYTES}). */
  static final long MAX_ATTRIBUTE_BYTES = KerasReader.MAX_CONFIG_BYTES;

  private static void requireSmall(Attribute a, String path, String name) {
    long bytes = a.getSizeInBytes();
    if (bytes < 0 || bytes > MAX_ATTRIBUTE_BYTES) {
      throw new IllegalStateException("attribute " + name + " of " + display(path) + " claims " + bytes
          + " bytes, more than the " + MAX_ATTRIBUTE_BYTES + " Unroll reads; is the file corrupt?");
    }
  }

  /**
   * The numeric dataset at {@code path}, from its header: its shape now, its values when
   * {@link Pending#values()} reads them (claiming them from the budget first), while this file is open.
   *
   * @throws IllegalStateException if there is none, or its header says it does not hold floats or integers
   */
  Pending dataset(String path) {
    Node n = node(path);
    if (!(n instanceof Dataset)) {
      throw new IllegalStateException(n == null ? "no dataset " + display(path) : display(path) + " is not a dataset");
    }
    Dataset d = (Dataset) n;
    Class<?> type = d.getJavaType();
    if (!NUMERIC.contains(type)) {
      throw new IllegalStateException("dataset " + display(path) + " holds "
          + (type == null ? "no" : type.getSimpleName()) + " values, not numbers");
    }
    int[] shape = d.isScalar() ? new int[0] : d.getDimensions();
    for (int dim : shape) {
      if (dim < 0) {
        throw new IllegalStateException("dataset " + display(path) + " has a negative dimension "
            + Arrays.toString(shape) + "; is the file corrupt?");
      }
    }
    return new Pending(shape, () -> read(d, path));
  }

  private static final java.util.Set<Class<?>> NUMERIC = java.util.Set.of(float.class, double.class, int.class,
      long.class, short.class, byte.class, Float.class, Double.class, Integer.class, Long.class, Short.class,
      Byte.class);

  private double[] read(Dataset d, String path) throws ModelFileException {
    try {
      long size = d.getSize();
      if (size > Integer.MAX_VALUE - 8) {
        throw new ModelFileException("dataset " + display(path) + " claims " + size
            + " values, more than Unroll reads; is the file corrupt?");
      }
      // the header's size, claimed before jhdf allocates the data (a compressed dataset may claim far more than the file)
      budget.claim(size, "", "dataset " + display(path));
      if (d.isEmpty() || size == 0) {
        return new double[0];
      }
      Object flat = d.isScalar() ? d.getData() : d.getDataFlat();
      return toDoubles(flat, path, d);
    } catch (ModelFileException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static double[] toDoubles(Object flat, String path, Dataset d) {
    if (flat instanceof float[] f) {
      double[] out = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        out[i] = f[i];
      }
      return out;
    }
    if (flat instanceof double[] x) {
      return x;
    }
    if (flat instanceof Float f) {
      return new double[] {f};
    }
    if (flat instanceof Double x) {
      return new double[] {x};
    }
    if (flat instanceof Number x) {
      return new double[] {x.doubleValue()};
    }
    if (flat instanceof int[] x) {
      return Arrays.stream(x).asDoubleStream().toArray();
    }
    if (flat instanceof long[] x) {
      return Arrays.stream(x).asDoubleStream().toArray();
    }
    if (flat instanceof short[] x) {
      double[] out = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        out[i] = x[i];
      }
      return out;
    }
    if (flat instanceof byte[] x) {
      double[] out = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        out[i] = x[i];
      }
      return out;
    }
    throw new IllegalStateException("dataset " + display(path) + " holds " + d.getJavaType().getSimpleName()
        + " values, not numbers");
  }

  /**
   * The node at {@code path}, or null. Walks the groups' children rather than calling
   * {@code getByPath}, whose exception for a missing path fails on in-memory files (jhdf 0.13.0 builds
   * its message from the backing file, which a {@code .keras} archive's weights do not have).
   */
  private Node node(String path) {
    Node n = file;
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (!(n instanceof Group)) {
        return null;
      }
      n = ((Group) n).getChildren().get(part);
      if (n == null) {
        return null;
      }
    }
    return n;
  }

  private static String display(String path) {
    return path.isEmpty() ? "/" : "/" + (path.startsWith("/") ? path.substring(1) : path);
  }

  @Override
  public void close() {
    file.close();
  }
}
