package dev.unroll.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.train.Adam;
import dev.unroll.train.BatchTrainer;
import dev.unroll.train.FitConfig;
import dev.unroll.train.MeanSquaredError;
import dev.unroll.train.Trainer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Training a generated {@code @Masking} model through the unchanged trainer: the mask comes with the
 * input, and the loss leaves the padded steps out.
 */
class MaskedTrainingTest {

  /**
   * A running sum: at step t the target is 0.3 · (x_0 + ... + x_t) of the first feature. Each sample
   * has 3 to 8 steps, then zeros; the targets at the padded steps are {@code padTarget}.
   */
  static Tensor[] task(int n, long seed, double padTarget) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n * 8 * 2];
    double[] y = new double[n * 8];
    for (int s = 0; s < n; s++) {
      int length = 3 + rng.nextInt(6);
      double sum = 0;
      for (int t = 0; t < 8; t++) {
        if (t < length) {
          double v = rng.nextDouble(-1, 1);
          x[(s * 8 + t) * 2] = v;
          x[(s * 8 + t) * 2 + 1] = 0.5;
          sum += v;
          y[s * 8 + t] = 0.3 * sum;
        } else {
          y[s * 8 + t] = padTarget;
        }
      }
    }
    return new Tensor[] {Tensor.wrap(x, n, 8, 2), Tensor.wrap(y, n, 8, 1)};
  }

  static FitConfig config() {
    return FitConfig.builder().loss(new MeanSquaredError()).optimizer(new Adam().learningRate(0.01)).epochs(30)
        .batchSize(16).seed(3).quiet().build();
  }

  @Test
  void theTargetsOfPaddedStepsDoNotMatter() {
    Tensor[] a = task(96, 1, 0.0);
    Tensor[] b = task(96, 1, 1e3);
    SequenceModel ma = new UnrolledMaskedTagger(4);
    SequenceModel mb = new UnrolledMaskedTagger(4);
    double lossA = Trainer.fit(ma, a[0], a[1], config()).last("loss");
    double lossB = Trainer.fit(mb, b[0], b[1], config()).last("loss");
    assertEquals(ma.getWeights(), mb.getWeights(), "bit-identical weights whatever the padded steps' targets");
    assertEquals(lossA, lossB);
    // the task is learnt on the kept steps (their targets' mean square is about 0.1)
    assertTrue(lossA < 0.01, "loss " + lossA);
    double evaluated = Trainer.evaluate(ma, b[0], b[1], new MeanSquaredError());
    assertTrue(evaluated < 0.01, "evaluate leaves the padding out: " + evaluated);
    // a model without the mask's effect would see the padding: the same data unpadded (noise instead of zeros)
    Tensor[] c = task(96, 1, 1e3);
    for (int i = 0; i < c[0].size(); i++) {
      if (c[0].data()[i] == 0) {
        c[0].data()[i] = 1e-3;
      }
    }
    assertNotEquals(lossA, Trainer.evaluate(ma, c[0], c[1], new MeanSquaredError()));
  }

  @Test
  void aMaskedTrainingStepAllocatesNothing() {
    Tensor[] data = task(16, 5, 0.0);
    SequenceModel model = new UnrolledMaskedTagger(1);
    BatchTrainer trainer = new BatchTrainer(model, new MeanSquaredError(), new Adam(), 16, List.of());
    for (int i = 0; i < 300; i++) {
      trainer.trainOnBatch(data[0], data[1]);
    }
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    int batches = 1000;
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < batches; i++) {
      trainer.trainOnBatch(data[0], data[1]);
    }
    long bytes = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(bytes / batches < 16, bytes + " bytes over " + batches + " masked batches");
  }
}
