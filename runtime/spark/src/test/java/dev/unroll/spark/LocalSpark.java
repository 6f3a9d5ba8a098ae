package dev.unroll.spark;

import dev.unroll.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The tests' Spark: local mode with two threads, one session for the JVM; and their data. */
final class LocalSpark {
  private LocalSpark() {}

  static SparkSession session() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("unroll-spark-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  /** Uniform values in [-1, 1): (n, timesteps, features). */
  static Tensor sequences(long seed, int n, int timesteps, int features) {
    Random rnd = new Random(seed);
    Tensor x = Tensor.zeros(n, timesteps, features);
    double[] d = x.data();
    for (int i = 0; i < d.length; i++) {
      d[i] = rnd.nextDouble() * 2 - 1;
    }
    return x;
  }

  /** Rows (id long, x array<double>, y array<double>): sample i of x and of y, flat. */
  static Dataset<Row> rows(SparkSession spark, Tensor x, Tensor y, int partitions) {
    int n = x.dim(0);
    int per = x.size() / n;
    int tps = y == null ? 0 : y.size() / n;
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] xi = java.util.Arrays.copyOfRange(x.data(), i * per, (i + 1) * per);
      if (y == null) {
        rows.add(RowFactory.create((long) i, xi));
      } else {
        rows.add(RowFactory.create((long) i, xi, java.util.Arrays.copyOfRange(y.data(), i * tps, (i + 1) * tps)));
      }
    }
    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("x", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    if (y != null) {
      schema = schema.add("y", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    }
    // ranges of ids in partition order, each sorted: the rows stay in the order of x
    return spark.createDataFrame(rows, schema)
        .repartitionByRange(partitions, org.apache.spark.sql.functions.col("id"))
        .sortWithinPartitions("id");
  }
}
