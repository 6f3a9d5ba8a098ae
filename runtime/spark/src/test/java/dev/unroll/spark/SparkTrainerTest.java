package dev.unroll.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.spark.models.UnrolledSmall;
import dev.unroll.spark.models.UnrolledTagger;
import dev.unroll.train.Adam;
import dev.unroll.train.FitConfig;
import dev.unroll.train.History;
import dev.unroll.train.Loss;
import dev.unroll.train.MeanSquaredError;
import dev.unroll.train.Optimizer;
import dev.unroll.train.SGD;
import dev.unroll.train.Trainer;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel training on Spark equals {@code Trainer.fit} on one machine with the same seed, data,
 * loss, optimiser and global batch: every weight and every epoch's loss to 1e-12 (float64), while the
 * weights move far more than that (so the comparison can fail).
 */
class SparkTrainerTest {
  static final double TOLERANCE = 1e-12;

  /** Targets that a model can learn: a smooth function of the inputs. */
  static Tensor targets(Tensor x, int perSample) {
    int n = x.dim(0);
    int per = x.size() / n;
    Tensor y = Tensor.zeros(n, perSample);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < perSample; k++) {
        double s = 0;
        for (int j = k; j < per; j += perSample) {
          s += x.data()[i * per + j] * (j % 3 == 0 ? 0.5 : -0.25);
        }
        y.data()[i * perSample + k] = Math.tanh(s);
      }
    }
    return y;
  }

  static void compare(String what, SequenceModel single, SequenceModel spark, List<Tensor> before) {
    List<Tensor> a = single.getWeights();
    List<Tensor> b = spark.getWeights();
    double moved = 0;
    for (int w = 0; w < a.size(); w++) {
      double[] da = a.get(w).data();
      double[] db = b.get(w).data();
      double[] d0 = before.get(w).data();
      for (int i = 0; i < da.length; i++) {
        double diff = Math.abs(da[i] - db[i]);
        assertTrue(diff <= TOLERANCE, what + ": weight " + w + " index " + i + " differs by " + diff);
        moved = Math.max(moved, Math.abs(da[i] - d0[i]));
      }
    }
    assertTrue(moved > 1e-3, what + ": the weights barely moved (" + moved + "): the comparison shows nothing");
  }

  static void compareLosses(String what, History h, SparkTrainer.Result r) {
    List<Double> single = h.get("loss");
    double[] spark = r.epochLoss();
    assertEquals(single.size(), spark.length, what + ": epochs");
    for (int e = 0; e < spark.length; e++) {
      assertEquals(single.get(e), spark[e], TOLERANCE, what + ": loss of epoch " + e);
    }
  }

  void run(String what, Supplier<? extends SequenceModel> make, SerializableSupplier<? extends SequenceModel> factory,
      SerializableSupplier<? extends Loss> loss, Supplier<Optimizer> optimizer, int n, int batch, int epochs,
      boolean shuffle, int partitions) {
    SparkSession spark = LocalSpark.session();
    SequenceModel single = make.get();
    SequenceModel distributed = make.get();
    List<Tensor> before = single.getWeights();
    int[] in = single.inputShape();
    int out = 1;
    for (int d : single.outputShape()) {
      out *= d;
    }
    Tensor x = LocalSpark.sequences(11, n, in[0], in[1]);
    Tensor y = targets(x, out);
    History h = Trainer.fit(single, x, y, FitConfig.builder().loss(loss.get()).optimizer(optimizer.get())
        .batchSize(batch).epochs(epochs).seed(42).shuffle(shuffle).quiet().build());
    Dataset<Row> data = LocalSpark.rows(spark, x, y, partitions);
    SparkTrainer.Result r = new SparkTrainer(factory).loss(loss).optimizer(optimizer.get())
        .batchSize(batch).epochs(epochs).seed(42).shuffle(shuffle).fit(data, distributed);
    assertNull(r.nonFinite());
    assertEquals((long) epochs * ((n + batch - 1) / batch), r.steps());
    compare(what, single, distributed, before);
    compareLosses(what, h, r);
  }

  @Test
  void adamOnThreePartitionsEqualsTrainerFit() {
    run("Adam, shuffled", () -> new UnrolledSmall(3), UnrolledSmall::new, MeanSquaredError::new,
        () -> new Adam().learningRate(0.01), 300, 64, 3, true, 3);
  }

  @Test
  void sgdWithSequenceOutputsAndPartitionsWithoutRowsInAStep() {
    // unshuffled, batches of 16 over 5 partitions of about 20 rows: most steps touch one or two
    run("SGD, sequence output, in order", () -> new UnrolledTagger(9), UnrolledTagger::new, MeanSquaredError::new,
        () -> new SGD().learningRate(0.1).momentum(0.9), 100, 16, 2, false, 5);
  }

  @Test
  void aNonFiniteStepStopsTrainingAndLeavesTheModelAsItWas() {
    // one label is NaN: unshuffled batches of 16, so row 20 is in step 2 of epoch 1, and nothing after it runs
    SparkSession spark = LocalSpark.session();
    UnrolledSmall model = new UnrolledSmall(5);
    List<Tensor> before = model.getWeights();
    int[] in = model.inputShape();
    Tensor x = LocalSpark.sequences(3, 64, in[0], in[1]);
    Tensor y = targets(x, 1);
    y.data()[20] = Double.NaN;
    SparkTrainer.Result r = new SparkTrainer(UnrolledSmall::new).loss(MeanSquaredError::new)
        .optimizer(new SGD().learningRate(0.1)).batchSize(16).epochs(3).shuffle(false)
        .fit(LocalSpark.rows(spark, x, y, 2), model);
    assertEquals("epoch 1, step 2: loss NaN", r.nonFinite());
    assertEquals(2, r.steps());
    assertEquals(1, r.epochLoss().length);
    List<Tensor> after = model.getWeights();
    for (int w = 0; w < before.size(); w++) {
      assertArrayEquals(before.get(w).data(), after.get(w).data(), "weight " + w + " changed although training stopped");
    }
  }

  @Test
  void wrongLabelsAreRefusedNamingWhatWasExpected() {
    SparkSession spark = LocalSpark.session();
    Tensor x = LocalSpark.sequences(1, 8, 6, 3);
    Dataset<Row> data = LocalSpark.rows(spark, x, Tensor.zeros(8, 2), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SparkTrainer(UnrolledSmall::new)
        .loss(MeanSquaredError::new).optimizer(new Adam()).labelCol("label").fit(data, new UnrolledSmall()));
    assertTrue(e.getMessage().contains("label") && e.getMessage().contains("id, x, y"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> new SparkTrainer(UnrolledSmall::new).fit(data, new UnrolledSmall()));
  }
}
