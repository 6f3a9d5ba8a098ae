package dev.unroll.spark;

import dev.unroll.Tensor;
import dev.unroll.spark.models.UnrolledForecaster;
import dev.unroll.train.Adam;
import dev.unroll.train.FitConfig;
import dev.unroll.train.MeanSquaredError;
import dev.unroll.train.Trainer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The scaling measurement of the README (not a test; run by {@code runtime/spark/scaling.sh}), and a
 * worked example of both APIs on the README's model ({@code Forecaster}: 32 units, 24 timesteps of 3
 * features, and a Dense head of one output).
 *
 * <pre>
 * SparkScaling score MASTER N       scores N generated sequences with SparkScorer, written to Spark's noop sink
 * SparkScaling train MASTER N [B]   one epoch of SparkTrainer on N sequences (Adam, MSE, global batch B, 1024)
 * SparkScaling single - N [B]        the same epoch with Trainer.fit on one thread, without Spark
 * </pre>
 *
 * The data are generated on the executors and cached before the clock starts; the time is wall
 * time of the scoring or training alone.
 */
public final class SparkScaling {
  /** The global batch of the training runs; a fourth argument overrides it. */
  static int batch = 1024;

  public static void main(String[] args) {
    String what = args[0];
    String master = args[1];
    int n = Integer.parseInt(args[2]);
    if (args.length > 3) {
      batch = Integer.parseInt(args[3]);
    }
    if (what.equals("single")) {
      single(n);
      return;
    }
    SparkSession spark = SparkSession.builder().master(master).appName("unroll-scaling")
        .config("spark.ui.enabled", "false").config("spark.driver.memory", "4g")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int partitions = 2 * spark.sparkContext().defaultParallelism();
    Dataset<Row> data = generate(spark, n, partitions).cache();
    data.count();
    UnrolledForecaster model = new UnrolledForecaster(7);
    long t0 = System.nanoTime();
    String detail;
    if (what.equals("score")) {
      SparkScorer.of(UnrolledForecaster::new, model).batchSize(256).transform(data)
          .write().format("noop").mode("overwrite").save();
      detail = "scored";
    } else {
      SparkTrainer.Result r = new SparkTrainer(UnrolledForecaster::new).loss(MeanSquaredError::new)
          .optimizer(new Adam().learningRate(1e-3)).batchSize(batch).epochs(1).seed(1).fit(data, model);
      detail = "trained 1 epoch (batch " + batch + ", " + r.steps() + " steps, loss " + r.epochLoss()[0] + ")";
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("RESULT %s %s: %d sequences %s in %.1f s (%.0f sequences/s), %d partitions%n", what, master, n,
        detail, s, n / s, partitions);
    spark.stop();
  }

  /** The sequence and target of sample i: a seeded random walk and a smooth function of it. */
  static void sample(long i, double[] x, double[] y) {
    SplittableRandom r = new SplittableRandom(i);
    double level = 0;
    double s = 0;
    for (int t = 0; t < 24; t++) {
      level += r.nextDouble(-0.1, 0.1);
      x[t * 3] = level;
      x[t * 3 + 1] = Math.sin(t / 4.0);
      x[t * 3 + 2] = r.nextDouble(-1, 1);
      s += level * 0.1;
    }
    y[0] = Math.tanh(s);
  }

  static Dataset<Row> generate(SparkSession spark, int n, int partitions) {
    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("x", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        .add("y", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    MapPartitionsFunction<Long, Row> make = (Iterator<Long> ids) -> {
      List<Row> rows = new ArrayList<>();
      while (ids.hasNext()) {
        long i = ids.next();
        double[] x = new double[72];
        double[] y = new double[1];
        sample(i, x, y);
        rows.add(RowFactory.create(i, x, y));
      }
      return rows.iterator();
    };
    return spark.range(0, n, 1, partitions).as(Encoders.LONG()).mapPartitions(make, Encoders.row(schema));
  }

  static void single(int n) {
    Tensor x = Tensor.zeros(n, 24, 3);
    Tensor y = Tensor.zeros(n, 1);
    double[] xi = new double[72];
    double[] yi = new double[1];
    for (int i = 0; i < n; i++) {
      sample(i, xi, yi);
      System.arraycopy(xi, 0, x.data(), i * 72, 72);
      y.data()[i] = yi[0];
    }
    UnrolledForecaster model = new UnrolledForecaster(7);
    long t0 = System.nanoTime();
    double loss = Trainer.fit(model, x, y, FitConfig.builder().loss(new MeanSquaredError())
        .optimizer(new Adam().learningRate(1e-3)).batchSize(batch).epochs(1).seed(1).quiet().build()).get("loss").get(0);
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("RESULT single (Trainer.fit, one thread): %d sequences trained 1 epoch (batch %d, loss %s) in %.1f s "
        + "(%.0f sequences/s)%n", n, batch, loss, s, n / s);
  }
}
