package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each loss against values worked out by hand (several are the examples of Keras's own docstrings)
 * and its gradient against central finite differences.
 */
class LossesTest {

  private static Tensor t(double[][] v) {
    return Tensor.of(v);
  }

  @Test
  void meanSquaredError() {
    // Keras docstring data: errors 1, 0, 1, 0 -> (1 + 0 + 1 + 0) / 4
    Tensor yTrue = t(new double[][] {{0, 1}, {0, 0}});
    Tensor yPred = t(new double[][] {{1, 1}, {1, 0}});
    Tensor d = Tensor.zeros(2, 2);
    assertEquals(0.5, new MeanSquaredError().compute(yTrue, yPred, d), 1e-15);
    // 2 (p - y) / 4
    assertArrayEquals(new double[] {0.5, 0, 0.5, 0}, d.data(), 1e-15);
    assertEquals("mean_squared_error", new MeanSquaredError().name());
  }

  @Test
  void meanAbsoluteError() {
    Tensor yTrue = t(new double[][] {{0, 1}, {0, 0}});
    Tensor yPred = t(new double[][] {{1, 1}, {-3, 0}});
    Tensor d = Tensor.zeros(2, 2);
    assertEquals((1 + 0 + 3 + 0) / 4.0, new MeanAbsoluteError().compute(yTrue, yPred, d), 1e-15);
    assertArrayEquals(new double[] {0.25, 0, -0.25, 0}, d.data(), 1e-15);
  }

  @Test
  void huber() {
    // Keras docstring: y_true [[0, 1], [0, 0]], y_pred [[0.6, 0.4], [0.4, 0.6]] -> 0.155
    Tensor yTrue = t(new double[][] {{0, 1}, {0, 0}});
    Tensor yPred = t(new double[][] {{0.6, 0.4}, {0.4, 0.6}});
    assertEquals(0.155, new Huber().compute(yTrue, yPred, null), 1e-15);
    // linear part: |e| = 3 > delta = 2: 2 * 3 - 0.5 * 4 = 4, gradient delta * sign(e) / n
    Tensor d = Tensor.zeros(1, 1);
    assertEquals(4.0, new Huber(2.0).compute(t(new double[][] {{0}}), t(new double[][] {{-3}}), d), 1e-15);
    assertEquals(-2.0, d.data()[0], 1e-15);
    assertEquals("huber_loss", new Huber().name());
  }

  @Test
  void binaryCrossentropy() {
    // Keras docstring: y_true [[0, 1], [0, 0]], y_pred [[0.6, 0.4], [0.4, 0.6]] -> 0.815
    Tensor yTrue = t(new double[][] {{0, 1}, {0, 0}});
    Tensor yPred = t(new double[][] {{0.6, 0.4}, {0.4, 0.6}});
    double expected = -(Math.log(0.4) + Math.log(0.4) + Math.log(0.6) + Math.log(0.4)) / 4;
    assertEquals(expected, new BinaryCrossentropy().compute(yTrue, yPred, null), 1e-15);
    assertEquals(0.815, expected, 5e-4);
  }

  @Test
  void binaryCrossentropyClipsAsKeras() {
    // p = 0 with y = 1 is clipped to 1e-7: loss -log(1e-7), gradient 0 where the clip is active
    Tensor d = Tensor.zeros(1, 2);
    double loss = new BinaryCrossentropy().compute(t(new double[][] {{1, 0}}), t(new double[][] {{0.0, 0.0}}), d);
    assertEquals((-Math.log(1e-7) - Math.log(1 - 1e-7)) / 2, loss, 1e-12);
    assertArrayEquals(new double[] {0, 0}, d.data(), 0.0);
  }

  @Test
  void binaryCrossentropyFromLogits() {
    // Keras docstring: y_true [0, 1, 0, 0], logits [-18.6, 0.51, 2.94, -12.8] -> 0.865
    double[] y = {0, 1, 0, 0};
    double[] x = {-18.6, 0.51, 2.94, -12.8};
    double expected = 0;
    for (int i = 0; i < 4; i++) {
      double p = 1 / (1 + Math.exp(-x[i]));
      expected -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
    }
    expected /= 4;
    double loss = new BinaryCrossentropy(true).compute(Tensor.wrap(y, 1, 4), Tensor.wrap(x, 1, 4), null);
    assertEquals(expected, loss, 1e-12);
    assertEquals(0.865, loss, 5e-4);
    // stable for large logits
    assertEquals(1000.0,
        new BinaryCrossentropy(true).compute(t(new double[][] {{1}}), t(new double[][] {{-1000}}), null), 1e-9);
  }

  @Test
  void categoricalCrossentropy() {
    // Keras docstring: y_true [[0, 1, 0], [0, 0, 1]], y_pred [[0.05, 0.95, 0], [0.1, 0.8, 0.1]] -> [0.0513, 2.303]
    Tensor yTrue = t(new double[][] {{0, 1, 0}, {0, 0, 1}});
    Tensor yPred = t(new double[][] {{0.05, 0.95, 0}, {0.1, 0.8, 0.1}});
    double expected = (-Math.log(0.95) - Math.log(0.1)) / 2;
    assertEquals(expected, new CategoricalCrossentropy().compute(yTrue, yPred, null), 1e-15);
    assertEquals(1.177, expected, 5e-4);
  }

  @Test
  void categoricalCrossentropyNormalisesRows() {
    // Keras divides by the row sum first: [2, 2] is [0.5, 0.5]
    assertEquals(Math.log(2), new CategoricalCrossentropy().compute(t(new double[][] {{1, 0}}),
        t(new double[][] {{2, 2}}), null), 1e-15);
  }

  @Test
  void categoricalCrossentropyFromLogits() {
    // -log softmax([1, 2, 3])[2] = log(e + e^2 + e^3) - 3; gradient softmax - y
    Tensor d = Tensor.zeros(1, 3);
    double loss =
        new CategoricalCrossentropy(true).compute(t(new double[][] {{0, 0, 1}}), t(new double[][] {{1, 2, 3}}), d);
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertEquals(Math.log(z) - 3, loss, 1e-14);
    assertArrayEquals(new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z - 1}, d.data(), 1e-15);
  }

  @Test
  void sparseCategoricalCrossentropy() {
    // Keras docstring: y_true [1, 2], y_pred [[0.05, 0.95, 0], [0.1, 0.8, 0.1]] -> 1.177
    Tensor labels = Tensor.of(new double[] {1, 2});
    Tensor yPred = t(new double[][] {{0.05, 0.95, 0}, {0.1, 0.8, 0.1}});
    SparseCategoricalCrossentropy loss = new SparseCategoricalCrossentropy();
    assertEquals((-Math.log(0.95) - Math.log(0.1)) / 2, loss.compute(labels, yPred, null), 1e-15);
    // same as the dense loss on one-hot targets, gradient included
    Tensor d1 = Tensor.zeros(2, 3);
    Tensor d2 = Tensor.zeros(2, 3);
    Tensor logits = t(new double[][] {{0.3, -1, 2}, {1, 1, -0.5}});
    double a = new SparseCategoricalCrossentropy(true).compute(labels, logits, d1);
    double b = new CategoricalCrossentropy(true).compute(t(new double[][] {{0, 1, 0}, {0, 0, 1}}), logits, d2);
    assertEquals(b, a, 1e-15);
    assertArrayEquals(d2.data(), d1.data(), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> loss.compute(Tensor.of(new double[] {3, 0}), yPred, null));
    assertThrows(IllegalArgumentException.class, () -> loss.compute(Tensor.of(new double[] {0.5, 0}), yPred, null));
  }

  @Test
  void sequenceOutputsAverageOverBatchAndTimesteps() {
    // (batch 2, timesteps 3, units 2): Keras's per-sample losses are (2, 3), sum_over_batch_size divides by 6
    SplittableRandom rng = new SplittableRandom(3);
    double[] p = new double[12];
    double[] y = new double[12];
    double sumSq = 0;
    for (int i = 0; i < 12; i++) {
      p[i] = rng.nextDouble();
      y[i] = rng.nextDouble();
      sumSq += (p[i] - y[i]) * (p[i] - y[i]);
    }
    assertEquals(sumSq / 12, new MeanSquaredError().compute(Tensor.wrap(y, 2, 3, 2), Tensor.wrap(p, 2, 3, 2), null),
        1e-15);
    // categorical: per row (6 rows of 2 classes) -sum y log q, then / 6
    double[] probs = {0.2, 0.8, 0.5, 0.5, 0.9, 0.1, 0.3, 0.7, 0.6, 0.4, 0.25, 0.75};
    double[] oneHot = {0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1};
    double expected =
        -(Math.log(0.8) + Math.log(0.5) + Math.log(0.9) + Math.log(0.7) + Math.log(0.6) + Math.log(0.75)) / 6;
    assertEquals(expected, new CategoricalCrossentropy().compute(Tensor.wrap(oneHot, 2, 3, 2),
        Tensor.wrap(probs, 2, 3, 2), null), 1e-15);
  }

  @Test
  void targetsMustMatch() {
    assertThrows(IllegalArgumentException.class,
        () -> new MeanSquaredError().compute(Tensor.zeros(3), Tensor.zeros(2, 2), null));
    // a (batch,) target for a (batch, 1) output is fine, as in Keras
    assertEquals(0.0, new MeanSquaredError().compute(Tensor.zeros(2), Tensor.zeros(2, 1), null));
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    SplittableRandom rng = new SplittableRandom(11);
    int rows = 4;
    int width = 3;
    for (Loss loss : List.of(new MeanSquaredError(), new MeanAbsoluteError(), new Huber(0.7), new Huber(),
        new BinaryCrossentropy(), new BinaryCrossentropy(true), new CategoricalCrossentropy(),
        new CategoricalCrossentropy(true), new SparseCategoricalCrossentropy(),
        new SparseCategoricalCrossentropy(true))) {
      double[] yTrue = new double[loss.sparseTargets() ? rows : rows * width];
      double[] yPred = new double[rows * width];
      for (int i = 0; i < yTrue.length; i++) {
        yTrue[i] = loss.sparseTargets() ? rng.nextInt(width)
            : loss instanceof CategoricalCrossentropy || loss instanceof BinaryCrossentropy
                ? rng.nextInt(2) : rng.nextDouble(-1, 1);
      }
      for (int i = 0; i < yPred.length; i++) {
        boolean probabilities = loss.name().contains("crossentropy") && !fromLogits(loss);
        if (probabilities) {
          yPred[i] = rng.nextDouble(0.05, 0.95);
        } else {
          // keep away from the kinks of MAE and Huber (e = 0, |e| = delta)
          double e;
          do {
            e = rng.nextDouble(-2, 2);
          } while (Math.abs(e) < 0.05 || Math.abs(Math.abs(e) - 0.7) < 0.05 || Math.abs(Math.abs(e) - 1) < 0.05);
          yPred[i] = loss.name().contains("crossentropy") ? e : (loss.sparseTargets() ? e : yTrue[i] + e);
        }
      }
      double[] d = new double[yPred.length];
      loss.compute(yTrue, yPred, d, rows, width);
      double h = 1e-6;
      for (int i = 0; i < yPred.length; i++) {
        double keep = yPred[i];
        yPred[i] = keep + h;
        double up = loss.compute(yTrue, yPred, null, rows, width);
        yPred[i] = keep - h;
        double down = loss.compute(yTrue, yPred, null, rows, width);
        yPred[i] = keep;
        double numeric = (up - down) / (2 * h);
        assertEquals(numeric, d[i], 1e-7 + 1e-6 * Math.abs(numeric), loss + " d/dy_pred[" + i + "]");
      }
    }
  }

  private static boolean fromLogits(Loss loss) {
    if (loss instanceof BinaryCrossentropy) {
      return ((BinaryCrossentropy) loss).fromLogits();
    }
    if (loss instanceof CategoricalCrossentropy) {
      return ((CategoricalCrossentropy) loss).fromLogits();
    }
    return loss instanceof SparseCategoricalCrossentropy && ((SparseCategoricalCrossentropy) loss).fromLogits();
  }
}
