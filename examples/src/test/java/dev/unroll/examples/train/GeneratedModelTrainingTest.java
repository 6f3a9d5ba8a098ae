package dev.unroll.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.train.Adam;
import dev.unroll.train.BatchTrainer;
import dev.unroll.train.CategoricalCrossentropy;
import dev.unroll.train.EarlyStopping;
import dev.unroll.train.FitConfig;
import dev.unroll.train.History;
import dev.unroll.train.Loss;
import dev.unroll.train.MeanAbsoluteError;
import dev.unroll.train.MeanSquaredError;
import dev.unroll.train.RMSprop;
import dev.unroll.train.SGD;
import dev.unroll.train.SparseCategoricalCrossentropy;
import dev.unroll.train.Trainer;
import dev.unroll.train.Weights;
import dev.unroll.io.Npz;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training generated stacked LSTM models end to end. */
class GeneratedModelTrainingTest {
  @TempDir
  Path dir;

  /**
   * A learnable task: 10 steps of (sin(a + 0.5 t), cos(a + 0.5 t) / 2) with a random phase a; the
   * target is the next value of the sine, sin(a + 5).
   */
  static Tensor[] sineTask(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n * 10 * 2];
    double[] y = new double[n];
    for (int s = 0; s < n; s++) {
      double a = rng.nextDouble(0, 2 * Math.PI);
      for (int t = 0; t < 10; t++) {
        x[(s * 10 + t) * 2] = Math.sin(a + 0.5 * t);
        x[(s * 10 + t) * 2 + 1] = Math.cos(a + 0.5 * t) / 2;
      }
      y[s] = Math.sin(a + 5.0);
    }
    return new Tensor[] {Tensor.wrap(x, n, 10, 2), Tensor.wrap(y, n)};
  }

  @Test
  void aStackedModelLearnsTheNextValueOfASine() {
    Tensor[] train = sineTask(256, 1);
    Tensor[] test = sineTask(64, 2);
    SequenceModel model = new UnrolledTinyStack(3);
    double before = Trainer.evaluate(model, test[0], test[1], new MeanSquaredError());
    History h = Trainer.fit(model, train[0], train[1], FitConfig.builder().loss(new MeanSquaredError())
        .metrics(new MeanAbsoluteError()).optimizer(new Adam().learningRate(0.01)).epochs(40).batchSize(32)
        .validationSplit(0.125).quiet().build());
    double after = Trainer.evaluate(model, test[0], test[1], new MeanSquaredError());
    assertTrue(before > 0.2, "untrained test MSE " + before);
    assertTrue(after < 0.01, "trained test MSE " + after + " should be below 0.01 (the targets' variance is 0.5)");
    assertTrue(h.last("val_loss") < 0.01, "val_loss " + h.last("val_loss"));
  }

  @Test
  void sameSeedDataAndConfigGiveBitIdenticalWeights() {
    Tensor[] train = sineTask(96, 4);
    List<List<Tensor>> runs = new java.util.ArrayList<>();
    for (long seed : new long[] {11, 11, 12}) {
      SequenceModel model = new UnrolledTinyStack(5);
      Trainer.fit(model, train[0], train[1], FitConfig.builder().loss(new MeanSquaredError())
          .optimizer(new RMSprop()).epochs(3).batchSize(10).seed(seed).validationSplit(0.2)
          .callbacks(new EarlyStopping().patience(1).restoreBestWeights(true)).quiet().build());
      runs.add(model.getWeights());
    }
    assertEquals(runs.get(0), runs.get(1), "bit-identical weights (Tensor.equals compares every bit)");
    assertNotEquals(runs.get(0), runs.get(2));
  }

  @Test
  void aTrainingStepOfAGeneratedModelAllocatesNothing() {
    Tensor[] data = sineTask(16, 5);
    SequenceModel model = new UnrolledTinyStack(1);
    BatchTrainer trainer = new BatchTrainer(model, new MeanSquaredError(), new Adam(), 16, List.of());
    Tensor x5 = Tensor.wrap(java.util.Arrays.copyOf(data[0].data(), 5 * 20), 5, 10, 2);
    Tensor y5 = Tensor.wrap(java.util.Arrays.copyOf(data[1].data(), 5), 5);
    for (int i = 0; i < 300; i++) { // warm-up: full and padded batches
      trainer.trainOnBatch(data[0], data[1]);
      trainer.trainOnBatch(x5, y5);
    }
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    int batches = 1000;
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < batches / 2; i++) {
      trainer.trainOnBatch(data[0], data[1]);
      trainer.trainOnBatch(x5, y5);
    }
    long bytes = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(bytes / batches < 16, bytes + " bytes over " + batches + " batches of a stacked LSTM");
  }

  @Test
  void weightsSaveAndLoadWithKerasNames() throws Exception {
    SequenceModel a = new UnrolledTinyStack(1);
    Path file = dir.resolve("tiny.npz");
    Weights.save(a, file);
    assertEquals(List.of("lstm/kernel", "lstm/recurrent_kernel", "lstm/bias", "lstm_1/kernel",
        "lstm_1/recurrent_kernel", "lstm_1/bias", "dense/kernel", "dense/bias"), List.copyOf(Npz.read(file).keySet()));
    assertEquals(List.of(2, 32), toList(Npz.read(file).get("lstm/kernel").shape()));
    SequenceModel b = new UnrolledTinyStack(2);
    Weights.load(b, file);
    assertEquals(a.getWeights(), b.getWeights());
    Tensor x = sineTask(3, 9)[0];
    assertEquals(a.predict(x), b.predict(x));
  }

  private static List<Integer> toList(int[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }

  /**
   * One full-batch SGD step with learning rate 1 moves each weight by -dL/dw; that must match a
   * central finite difference of {@link Trainer#evaluate} (the loss Keras reports) for sequence
   * outputs, so the loss's reduction over batch and timesteps and its gradient agree, through the
   * generated model.
   */
  @Test
  void oneStepFollowsTheGradientOfTheReportedLoss() {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 5;
    double[] x = new double[n * 4 * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble(-1, 1);
    }
    double[] oneHot = new double[n * 4 * 3];
    double[] labels = new double[n * 4];
    double[] values = new double[n * 4 * 3];
    for (int r = 0; r < n * 4; r++) {
      int c = rng.nextInt(3);
      labels[r] = c;
      oneHot[r * 3 + c] = 1;
      for (int k = 0; k < 3; k++) {
        values[r * 3 + k] = rng.nextDouble(-1, 1);
      }
    }
    Tensor xs = Tensor.wrap(x, n, 4, 2);
    check(() -> new UnrolledSequenceHeads_Softmax(1), xs, Tensor.wrap(oneHot, n, 4, 3), new CategoricalCrossentropy());
    check(() -> new UnrolledSequenceHeads_Softmax(1), xs, Tensor.wrap(labels, n, 4),
        new SparseCategoricalCrossentropy());
    check(() -> new UnrolledSequenceHeads_Linear(1), xs, Tensor.wrap(oneHot, n, 4, 3),
        new CategoricalCrossentropy(true));
    check(() -> new UnrolledSequenceHeads_Linear(1), xs, Tensor.wrap(values, n, 4, 3), new MeanSquaredError());
  }

  private static void check(java.util.function.Supplier<SequenceModel> make, Tensor x, Tensor y, Loss loss) {
    SequenceModel model = make.get();
    List<Tensor> w0 = model.getWeights();
    Trainer.fit(model, x, y, FitConfig.builder().loss(loss).optimizer(new SGD().learningRate(1.0)).epochs(1)
        .batchSize(x.dim(0)).shuffle(false).quiet().build());
    List<Tensor> w1 = model.getWeights();
    SequenceModel probe = make.get();
    double h = 1e-5;
    for (int k = 0; k < w0.size(); k++) {
      for (int i = 0; i < w0.get(k).size(); i += 3) {
        List<Tensor> w = copy(w0);
        w.get(k).data()[i] += h;
        probe.setWeights(w);
        double up = Trainer.evaluate(probe, x, y, loss);
        w.get(k).data()[i] -= 2 * h;
        probe.setWeights(w);
        double down = Trainer.evaluate(probe, x, y, loss);
        double numeric = (up - down) / (2 * h);
        double step = w0.get(k).data()[i] - w1.get(k).data()[i];
        assertEquals(numeric, step, 1e-7 + 1e-5 * Math.abs(numeric), loss + " weight " + k + "[" + i + "]");
      }
    }
  }

  private static List<Tensor> copy(List<Tensor> ws) {
    List<Tensor> out = new java.util.ArrayList<>();
    for (Tensor t : ws) {
      out.add(t.copy());
    }
    return out;
  }
}
