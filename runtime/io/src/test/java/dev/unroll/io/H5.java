package dev.unroll.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes small HDF5 files in the layouts Keras writes, with jhdf's writer: attributes first, then
 * groups and datasets, each dataset path made of groups as h5py makes them from a name with slashes.
 * jhdf 0.13.0's writer writes a file it cannot read back when a group is empty, so fixtures never have
 * one (Keras's empty {@code vars} groups and empty {@code weight_names} are left out).
 */
final class H5 {
  private final Map<String, Object> rootAttributes = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> groupAttributes = new LinkedHashMap<>();
  private final Map<String, Object> datasets = new LinkedHashMap<>();

  /** An attribute of the group at {@code path} ("" for the root): a String or String[]. */
  H5 attr(String path, String name, Object value) {
    if (path.isEmpty()) {
      rootAttributes.put(name, value);
    } else {
      groupAttributes.computeIfAbsent(path, k -> new LinkedHashMap<>()).put(name, value);
    }
    return this;
  }

  /** A dataset at {@code path}: a float[], float[][], double[] or double[][]. */
  H5 data(String path, Object value) {
    datasets.put(path, value);
    return this;
  }

  /** A Keras 2 layer group: weight_names and the datasets they name, under {@code root}. */
  H5 layer(String root, String layer, Map<String, Object> weights) {
    String group = root.isEmpty() ? layer : root + "/" + layer;
    attr(group, "weight_names", weights.keySet().toArray(new String[0]));
    weights.forEach((name, value) -> data(group + "/" + name, value));
    return this;
  }

  Path write(Path file) {
    try (WritableHdfFile h = HdfFile.write(file)) {
      rootAttributes.forEach(h::putAttribute);
      Map<String, WritableGroup> groups = new HashMap<>();
      for (String g : groupAttributes.keySet()) {
        group(h, groups, g);
      }
      for (Map.Entry<String, Object> d : datasets.entrySet()) {
        String path = d.getKey();
        int slash = path.lastIndexOf('/');
        WritableGroup parent = slash < 0 ? h : group(h, groups, path.substring(0, slash));
        parent.putDataset(path.substring(slash + 1), d.getValue());
      }
    }
    return file;
  }

  private WritableGroup group(WritableHdfFile h, Map<String, WritableGroup> groups, String path) {
    WritableGroup g = groups.get(path);
    if (g != null) {
      return g;
    }
    int slash = path.lastIndexOf('/');
    WritableGroup parent = slash < 0 ? h : group(h, groups, path.substring(0, slash));
    g = parent.putGroup(path.substring(slash + 1));
    Map<String, Object> attrs = groupAttributes.get(path);
    if (attrs != null) {
      attrs.forEach(g::putAttribute);
    }
    groups.put(path, g);
    return g;
  }

  static float[] zeros(int n) {
    return new float[n];
  }

  static float[][] zeros(int rows, int cols) {
    return new float[rows][cols];
  }

  /** A (rows, cols) matrix whose value at (r, c) is {@code base + r * cols + c}. */
  static float[][] counting(int rows, int cols, float base) {
    float[][] m = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        m[r][c] = base + r * cols + c;
      }
    }
    return m;
  }

  static float[] counting(int n, float base) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = base + i;
    }
    return v;
  }
}
