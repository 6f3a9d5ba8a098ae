package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.spark.models.UnrolledSmall;
import dev.unroll.spark.models.UnrolledTagger;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Scoring on Spark gives, row by row, what {@code predict} gives on one machine (the same weights, to
 * 1e-12: only the batch in which a row is computed differs), keeps every input column, takes flat or
 * nested sequences, and refuses wrong columns and rows with messages naming what was expected.
 */
class SparkScorerTest {
  static final double TOLERANCE = 1e-12;

  /** A model with weights other than its initial ones, so that a scorer using the wrong ones fails. */
  static <M extends SequenceModel> M perturbed(M model, long seed) {
    List<Tensor> w = model.getWeights();
    java.util.Random rnd = new java.util.Random(seed);
    for (Tensor t : w) {
      double[] d = t.data();
      for (int i = 0; i < d.length; i++) {
        d[i] += 0.3 * (rnd.nextDouble() - 0.5);
      }
    }
    model.setWeights(w);
    return model;
  }

  @Test
  void scoresEqualPredictRowByRow() {
    SparkSession spark = LocalSpark.session();
    UnrolledSmall model = perturbed(new UnrolledSmall(5), 1);
    int n = 1003; // not a multiple of the batch size: every partition ends with a short batch
    Tensor x = LocalSpark.sequences(2, n, 6, 3);
    Tensor expected = model.predict(x);
    Dataset<Row> data = LocalSpark.rows(spark, x, null, 3);
    Dataset<Row> scored = SparkScorer.of(UnrolledSmall::new, model).batchSize(64).transform(data);
    assertEquals(List.of("id", "x", "prediction"), List.of(scored.schema().fieldNames()));
    List<Row> rows = scored.collectAsList();
    assertEquals(n, rows.size());
    boolean[] seen = new boolean[n];
    for (Row r : rows) {
      int id = (int) r.getLong(0);
      seen[id] = true;
      List<Object> p = r.getList(2);
      assertEquals(1, p.size());
      double diff = Math.abs((Double) p.get(0) - expected.get(id, 0));
      assertTrue(diff <= TOLERANCE, "row " + id + " differs from predict by " + diff);
      // the input column is passed through unchanged
      assertEquals(x.get(id, 5, 2), (Double) r.getList(1).get(17), 0.0);
    }
    for (int i = 0; i < n; i++) {
      assertTrue(seen[i], "row " + i + " is missing");
    }
  }

  @Test
  void nestedSequencesAndSequenceOutputs() {
    SparkSession spark = LocalSpark.session();
    UnrolledTagger model = perturbed(new UnrolledTagger(3), 4);
    int n = 40;
    Tensor x = LocalSpark.sequences(5, n, 5, 2);
    Tensor expected = model.predict(x); // (n, 5, 2)
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<List<Double>> seq = new ArrayList<>();
      for (int t = 0; t < 5; t++) {
        seq.add(List.of(x.get(i, t, 0), x.get(i, t, 1)));
      }
      rows.add(RowFactory.create("s" + i, seq));
    }
    StructType schema = new StructType()
        .add("key", DataTypes.StringType)
        .add("steps", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)));
    Dataset<Row> data = spark.createDataFrame(rows, schema);
    List<Row> scored = SparkScorer.of(UnrolledTagger::new, model).inputCol("steps").outputCol("tags").batchSize(7)
        .transform(data).collectAsList();
    assertEquals(n, scored.size());
    for (Row r : scored) {
      int i = Integer.parseInt(r.getString(0).substring(1));
      List<Object> p = r.getList(2);
      assertEquals(10, p.size(), "5 timesteps × 2 values, row-major");
      for (int t = 0; t < 5; t++) {
        for (int k = 0; k < 2; k++) {
          double diff = Math.abs((Double) p.get(t * 2 + k) - expected.get(i, t, k));
          assertTrue(diff <= TOLERANCE, "row " + i + " step " + t + " differs by " + diff);
        }
      }
    }
  }

  @Test
  void wrongColumnsAreRefusedNamingWhatWasExpected() {
    SparkSession spark = LocalSpark.session();
    UnrolledSmall model = new UnrolledSmall();
    Dataset<Row> data = LocalSpark.rows(spark, LocalSpark.sequences(1, 4, 6, 3), null, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkScorer.of(UnrolledSmall::new, model).inputCol("nope").transform(data));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("id, x"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SparkScorer.of(UnrolledSmall::new, model).inputCol("id").transform(data));
    assertTrue(e.getMessage().contains("18 values (6 timesteps × 3 features") && e.getMessage().contains("bigint"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SparkScorer.of(UnrolledSmall::new, model).outputCol("x").transform(data));
    assertTrue(e.getMessage().contains("already"), e.getMessage());
    // a row of the wrong length fails its task, naming both lengths
    Dataset<Row> short4 = LocalSpark.rows(spark, LocalSpark.sequences(1, 4, 4, 4), null, 1);
    SparkException failed = assertThrows(SparkException.class,
        () -> SparkScorer.of(UnrolledSmall::new, model).transform(short4).collectAsList());
    String text = rootMessage(failed);
    assertTrue(text.contains("expected 18 values") && text.contains("found 16 values"), text);
  }

  static String rootMessage(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getMessage()).append(" | ");
    }
    return b.toString();
  }
}
