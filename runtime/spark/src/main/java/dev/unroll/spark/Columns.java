package dev.unroll.spark;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reading sequences and targets from Spark columns. A sequence is either {@code array<double>} of
 * timesteps · features values, row-major (x_0 first, then x_1, ...), or {@code array<array<double>>},
 * one inner array of features values per timestep. A target is a number (a model with one output
 * value) or {@code array<double>} of the output's values, row-major. Float elements are read as
 * double; any other element type is refused.
 */
final class Columns {
  private Columns() {}

  /** The index of column {@code name}, checked to hold sequences. */
  static int sequenceColumn(StructType schema, String name, int timesteps, int features) {
    StructField f = field(schema, name, "input");
    DataType t = f.dataType();
    if (isNumberArray(t)) {
      return schema.fieldIndex(name);
    }
    if (t instanceof ArrayType a && isNumberArray(a.elementType())) {
      return schema.fieldIndex(name);
    }
    throw new IllegalArgumentException("input column " + name + ": expected array<double> of " + timesteps * features
        + " values (" + timesteps + " timesteps × " + features + " features, row-major) or array<array<double>> ("
        + timesteps + " × " + features + "), found " + t.simpleString());
  }

  /** The index of column {@code name}, checked to hold targets. */
  static int targetColumn(StructType schema, String name, int perSample) {
    StructField f = field(schema, name, "label");
    DataType t = f.dataType();
    if (isNumberArray(t) || (perSample == 1 && t instanceof NumericType)) {
      return schema.fieldIndex(name);
    }
    throw new IllegalArgumentException("label column " + name + ": expected array<double> of " + perSample
        + " values per sample" + (perSample == 1 ? " or a number" : "") + ", found " + t.simpleString());
  }

  private static StructField field(StructType schema, String name, String role) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(role + " column " + name + " is not in the data; its columns are "
        + String.join(", ", schema.fieldNames()));
  }

  private static boolean isNumberArray(DataType t) {
    return t instanceof ArrayType a
        && (a.elementType().equals(DataTypes.DoubleType) || a.elementType().equals(DataTypes.FloatType));
  }

  /**
   * Copies the sequence in column {@code col} of {@code row} into {@code dst} from {@code offset}:
   * exactly {@code timesteps · features} values.
   *
   * @throws IllegalArgumentException naming the expected and the actual shape, if the row has another
   */
  static void readSequence(Row row, int col, String name, int timesteps, int features, double[] dst, int offset) {
    if (row.isNullAt(col)) {
      throw new IllegalArgumentException("input column " + name + " is null in row " + row);
    }
    List<Object> outer = row.getList(col);
    int n = timesteps * features;
    if (outer.size() == n && (n == 0 || !(isNested(outer.get(0))))) {
      for (int i = 0; i < n; i++) {
        dst[offset + i] = number(outer.get(i), name);
      }
      return;
    }
    if (outer.size() == timesteps && timesteps > 0 && isNested(outer.get(0))) {
      for (int t = 0; t < timesteps; t++) {
        List<?> inner = list(outer.get(t));
        if (inner == null || inner.size() != features) {
          throw new IllegalArgumentException("input column " + name + ": timestep " + t + " has "
              + (inner == null ? "null" : inner.size() + " values") + ", expected " + features + " features");
        }
        for (int k = 0; k < features; k++) {
          dst[offset + t * features + k] = number(inner.get(k), name);
        }
      }
      return;
    }
    throw new IllegalArgumentException("input column " + name + ": expected " + n + " values (" + timesteps
        + " timesteps × " + features + " features) or " + timesteps + " arrays of " + features + ", found "
        + outer.size() + (outer.isEmpty() || !isNested(outer.get(0)) ? " values" : " arrays"));
  }

  /** Copies the {@code perSample} targets in column {@code col} of {@code row} into {@code dst}. */
  static void readTarget(Row row, int col, String name, int perSample, double[] dst, int offset) {
    if (row.isNullAt(col)) {
      throw new IllegalArgumentException("label column " + name + " is null in row " + row);
    }
    Object v = row.get(col);
    if (v instanceof Number x) {
      dst[offset] = x.doubleValue(); // the schema check allowed a number only for one target
      return;
    }
    List<Object> values = row.getList(col);
    if (values.size() != perSample) {
      throw new IllegalArgumentException("label column " + name + ": expected " + perSample
          + " values per sample, found " + values.size());
    }
    for (int i = 0; i < perSample; i++) {
      dst[offset + i] = number(values.get(i), name);
    }
  }

  private static boolean isNested(Object o) {
    return o instanceof scala.collection.Seq<?> || o instanceof List<?>;
  }

  private static List<?> list(Object o) {
    if (o instanceof scala.collection.Seq<?> s) {
      return scala.jdk.javaapi.CollectionConverters.asJava(s);
    }
    return o instanceof List<?> l ? l : null;
  }

  private static double number(Object o, String name) {
    if (o instanceof Number x) {
      return x.doubleValue();
    }
    throw new IllegalArgumentException("column " + name + " holds " + (o == null ? "null" : o.getClass().getSimpleName())
        + " where a number is expected");
  }
}
