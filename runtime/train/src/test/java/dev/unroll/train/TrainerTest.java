package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Gradients;
import dev.unroll.ShapeMismatchException;
import dev.unroll.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Trainer} on a hand-written linear model, where every step can be worked out exactly. */
class TrainerTest {
  @TempDir
  Path dir;

  /** x (n, t, f) uniform in [-1, 1); y = x.flatten @ w + 0.3, one unit. */
  private static Tensor[] linearData(int n, int t, int f, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] w = new double[t * f];
    for (int i = 0; i < w.length; i++) {
      w[i] = rng.nextDouble(-1, 1);
    }
    double[] x = new double[n * t * f];
    double[] y = new double[n];
    for (int s = 0; s < n; s++) {
      double sum = 0.3;
      for (int i = 0; i < t * f; i++) {
        x[s * t * f + i] = rng.nextDouble(-1, 1);
        sum += x[s * t * f + i] * w[i];
      }
      y[s] = sum;
    }
    return new Tensor[] {Tensor.wrap(x, n, t, f), Tensor.wrap(y, n, 1)};
  }

  private static FitConfig.Builder quiet(Loss loss) {
    return FitConfig.builder().loss(loss).quiet();
  }

  @Test
  void fitLearnsALinearTask() {
    Tensor[] d = linearData(64, 4, 2, 1);
    LinearModel model = new LinearModel(4, 2, 1, false, 7);
    double before = Trainer.evaluate(model, d[0], d[1], new MeanSquaredError());
    History h = Trainer.fit(model, d[0], d[1],
        quiet(new MeanSquaredError()).optimizer(new Adam().learningRate(0.05)).epochs(60).batchSize(8).build());
    assertEquals(60, h.epochs());
    double after = Trainer.evaluate(model, d[0], d[1], new MeanSquaredError());
    assertTrue(before > 0.1, "untrained MSE " + before);
    assertTrue(after < 1e-4, "trained MSE " + after + " should be below 1e-4");
    assertEquals(after, h.last("loss"), 1e-3);
  }

  @Test
  void sameSeedDataAndConfigGiveBitIdenticalWeights() {
    Tensor[] d = linearData(50, 3, 2, 2);
    List<List<Tensor>> runs = new ArrayList<>();
    for (long seed : new long[] {5, 5, 6}) {
      LinearModel model = new LinearModel(3, 2, 1, false, 7);
      Trainer.fit(model, d[0], d[1], quiet(new MeanSquaredError()).optimizer(new Adam().learningRate(0.01))
          .epochs(5).batchSize(8).seed(seed).validationSplit(0.2).build());
      runs.add(model.getWeights());
    }
    assertEquals(runs.get(0), runs.get(1), "same seed: bit-identical weights (Tensor.equals compares bits)");
    assertNotEquals(runs.get(0), runs.get(2), "another shuffle seed: other weights");
  }

  @Test
  void oneFullBatchIsOneKerasStep() {
    // SGD, one batch of all 7 training samples (validationSplit 0.3 of 10 keeps the first 7):
    // w1 = w0 - lr * dL/dw with L = mean over the 7 samples of (p - y)^2, so dL/dp = 2 (p - y) / 7
    Tensor[] d = linearData(10, 2, 3, 3);
    LinearModel model = new LinearModel(2, 3, 1, false, 9);
    LinearModel reference = new LinearModel(2, 3, 1, false, 9);
    Trainer.fit(model, d[0], d[1], quiet(new MeanSquaredError()).optimizer(new SGD().learningRate(0.1))
        .epochs(1).batchSize(32).shuffle(false).validationSplit(0.3).build());

    Tensor x7 = Tensor.wrap(java.util.Arrays.copyOf(d[0].data(), 7 * 6), 7, 2, 3);
    Tensor p = reference.predict(x7);
    double[] dOut = new double[7];
    for (int i = 0; i < 7; i++) {
      dOut[i] = 2 * (p.data()[i] - d[1].data()[i]) / 7;
    }
    Gradients g = reference.gradients(x7, Tensor.wrap(dOut, 7, 1));
    List<Tensor> w = reference.getWeights();
    for (int k = 0; k < w.size(); k++) {
      double[] v = w.get(k).data();
      for (int i = 0; i < v.length; i++) {
        v[i] -= g.weights().get(k).data()[i] * 0.1;
      }
    }
    assertEquals(w, model.getWeights());
  }

  @Test
  void smallLastBatchIsTheMeanOverItsRealSamples() {
    // 5 samples in batches of 4: steps on samples 0-3, then on sample 4 alone (padded to 4 rows)
    Tensor[] d = linearData(5, 2, 1, 4);
    LinearModel model = new LinearModel(2, 1, 1, false, 3);
    LinearModel reference = new LinearModel(2, 1, 1, false, 3);
    Trainer.fit(model, d[0], d[1], quiet(new MeanSquaredError()).optimizer(new SGD().learningRate(0.2))
        .epochs(1).batchSize(4).shuffle(false).build());
    int[][] batches = {{0, 4}, {4, 5}};
    for (int[] b : batches) {
      int n = b[1] - b[0];
      Tensor xb = Tensor.wrap(java.util.Arrays.copyOfRange(d[0].data(), b[0] * 2, b[1] * 2), n, 2, 1);
      Tensor p = reference.predict(xb);
      double[] dOut = new double[n];
      for (int i = 0; i < n; i++) {
        dOut[i] = 2 * (p.data()[i] - d[1].data()[b[0] + i]) / n;
      }
      Gradients g = reference.gradients(xb, Tensor.wrap(dOut, n, 1));
      List<Tensor> w = reference.getWeights();
      for (int k = 0; k < w.size(); k++) {
        for (int i = 0; i < w.get(k).size(); i++) {
          w.get(k).data()[i] -= g.weights().get(k).data()[i] * 0.2;
        }
      }
      reference.setWeights(w);
    }
    for (int k = 0; k < 2; k++) {
      assertArrayEquals(reference.getWeights().get(k).data(), model.getWeights().get(k).data(), 0.0);
    }
  }

  @Test
  void validationSplitHoldsOutTheLastSamples() {
    Tensor[] d = linearData(10, 2, 2, 5);
    LinearModel model = new LinearModel(2, 2, 1, false, 1);
    History h = Trainer.fit(model, d[0], d[1], quiet(new MeanSquaredError()).metrics(new MeanAbsoluteError())
        .epochs(1).batchSize(4).validationSplit(0.3).build());
    Tensor xv = Tensor.wrap(java.util.Arrays.copyOfRange(d[0].data(), 7 * 4, 10 * 4), 3, 2, 2);
    Tensor yv = Tensor.wrap(java.util.Arrays.copyOfRange(d[1].data(), 7, 10), 3, 1);
    assertEquals(Trainer.evaluate(model, xv, yv, new MeanSquaredError()), h.valLoss().get(0), 1e-15);
    assertEquals(Trainer.evaluate(model, xv, yv, new MeanAbsoluteError()), h.get("val_mean_absolute_error").get(0),
        1e-15);
    assertEquals(List.of("loss", "mean_absolute_error", "val_loss", "val_mean_absolute_error"), List.copyOf(h.keys()));
  }

  @Test
  void validationDataAndSparseTargets() {
    // three classes, labels (n,): class = argmax of the three features of the last step
    SplittableRandom rng = new SplittableRandom(8);
    int n = 120;
    double[] x = new double[n * 2 * 3];
    double[] labels = new double[n];
    for (int s = 0; s < n; s++) {
      int best = 0;
      for (int f = 0; f < 3; f++) {
        x[s * 6 + 3 + f] = rng.nextDouble(-1, 1);
        x[s * 6 + f] = rng.nextDouble(-1, 1);
        if (x[s * 6 + 3 + f] > x[s * 6 + 3 + best]) {
          best = f;
        }
      }
      labels[s] = best;
    }
    Tensor xs = Tensor.wrap(x, n, 2, 3);
    Tensor ys = Tensor.wrap(labels, n);
    LinearModel model = new LinearModel(2, 3, 3, false, 2);
    Loss loss = new SparseCategoricalCrossentropy(true);
    double before = Trainer.evaluate(model, xs, ys, loss);
    History h = Trainer.fit(model, xs, ys, quiet(loss).optimizer(new Adam().learningRate(0.05)).epochs(30)
        .batchSize(16).validationData(xs, ys).build());
    assertTrue(h.last("val_loss") < before / 2, before + " -> " + h.last("val_loss"));
  }

  @Test
  void sequenceOutputsUseMeanOverSamplesAndSteps() {
    LinearModel model = new LinearModel(3, 2, 2, true, 4);
    SplittableRandom rng = new SplittableRandom(1);
    double[] x = new double[4 * 3 * 2];
    double[] y = new double[4 * 3 * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble(-1, 1);
      y[i] = rng.nextDouble(-1, 1);
    }
    Tensor xs = Tensor.wrap(x, 4, 3, 2);
    Tensor ys = Tensor.wrap(y, 4, 3, 2);
    Tensor p = model.predict(xs);
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      sum += (p.data()[i] - y[i]) * (p.data()[i] - y[i]);
    }
    assertEquals(sum / 24, Trainer.evaluate(model, xs, ys, new MeanSquaredError(), 3), 1e-15);
    History h = Trainer.fit(model, xs, ys, quiet(new MeanSquaredError()).epochs(2).batchSize(3).build());
    assertEquals(2, h.loss().size());
  }

  @Test
  void predictInBatches() {
    Tensor[] d = linearData(11, 2, 2, 6);
    LinearModel model = new LinearModel(2, 2, 1, false, 1);
    assertEquals(model.predict(d[0]), Trainer.predict(model, d[0], 4));
  }

  /** Weights after each epoch: SGD from 0 towards w = 2 on training data; validation data want w = 0.5. */
  private static final class Snapshots implements Callback {
    final List<List<Tensor>> weights = new ArrayList<>();

    @Override
    public void onEpochEnd(FitContext context, int epoch, Map<String, Double> logs) {
      weights.add(context.model().getWeights());
    }
  }

  private static Tensor[] scaled(double factor) {
    double[] x = {-1, -0.5, 0.5, 1, -0.75, 0.75, -0.25, 0.25};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = factor * x[i];
    }
    return new Tensor[] {Tensor.wrap(x, x.length, 1, 1), Tensor.wrap(y, y.length, 1)};
  }

  private static LinearModel zeroModel() {
    LinearModel model = new LinearModel(1, 1, 1, false, 0);
    model.setWeights(List.of(Tensor.zeros(1, 1), Tensor.zeros(1)));
    return model;
  }

  @Test
  void earlyStoppingRestoresTheBestWeights() {
    Tensor[] train = scaled(2.0);
    Tensor[] val = scaled(0.5);
    LinearModel model = zeroModel();
    Snapshots snapshots = new Snapshots();
    EarlyStopping stop = new EarlyStopping().patience(3).restoreBestWeights(true);
    History h = Trainer.fit(model, train[0], train[1], quiet(new MeanSquaredError())
        .optimizer(new SGD().learningRate(0.05)).epochs(200).batchSize(8).shuffle(false)
        .validationData(val[0], val[1]).callbacks(snapshots, stop).build());
    List<Double> valLoss = h.valLoss();
    int best = 0;
    for (int i = 1; i < valLoss.size(); i++) {
      if (valLoss.get(i) < valLoss.get(best)) {
        best = i;
      }
    }
    assertTrue(best > 0, "validation loss first falls");
    assertEquals(best, stop.bestEpoch());
    assertEquals(best + 1 + 3, h.epochs(), "stopped after 3 epochs without improvement");
    assertEquals(h.epochs() - 1, stop.stoppedEpoch());
    assertEquals(snapshots.weights.get(best), model.getWeights(), "the best epoch's weights are back");
    assertEquals(valLoss.get(best), Trainer.evaluate(model, val[0], val[1], new MeanSquaredError()), 1e-15);
  }

  @Test
  void earlyStoppingWithoutRestoreKeepsTheLastWeights() {
    Tensor[] train = scaled(2.0);
    Tensor[] val = scaled(0.5);
    LinearModel model = zeroModel();
    Snapshots snapshots = new Snapshots();
    History h = Trainer.fit(model, train[0], train[1], quiet(new MeanSquaredError())
        .optimizer(new SGD().learningRate(0.05)).epochs(200).batchSize(8).shuffle(false)
        .validationData(val[0], val[1]).callbacks(snapshots, new EarlyStopping().monitor("val_loss").patience(2))
        .build());
    assertTrue(h.epochs() < 200);
    assertEquals(snapshots.weights.get(h.epochs() - 1), model.getWeights());
  }

  @Test
  void earlyStoppingNamesAMissingMonitor() {
    Tensor[] train = scaled(2.0);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Trainer.fit(zeroModel(), train[0],
        train[1], quiet(new MeanSquaredError()).epochs(2).callbacks(new EarlyStopping()).build()));
    assertTrue(e.getMessage().contains("val_loss"), e.getMessage());
  }

  @Test
  void modelCheckpointSavesTheBestEpoch() throws Exception {
    Tensor[] train = scaled(2.0);
    Tensor[] val = scaled(0.5);
    LinearModel model = zeroModel();
    Snapshots snapshots = new Snapshots();
    Path best = dir.resolve("best.npz");
    History h = Trainer.fit(model, train[0], train[1], quiet(new MeanSquaredError())
        .optimizer(new SGD().learningRate(0.05)).epochs(40).batchSize(8).shuffle(false)
        .validationData(val[0], val[1])
        .callbacks(snapshots, new ModelCheckpoint(best).saveBestOnly(true),
            new ModelCheckpoint(dir.resolve("every/e{epoch:02d}-{val_loss:.3f}.npz")))
        .build());
    List<Double> valLoss = h.valLoss();
    int bestEpoch = valLoss.indexOf(valLoss.stream().min(Double::compare).orElseThrow());
    LinearModel loaded = zeroModel();
    Weights.load(loaded, best);
    assertEquals(snapshots.weights.get(bestEpoch), loaded.getWeights());
    try (var files = Files.list(dir.resolve("every"))) {
      assertEquals(40, files.count());
    }
    assertTrue(Files.exists(dir.resolve("every").resolve(
        String.format(java.util.Locale.ROOT, "e01-%.3f.npz", valLoss.get(0)))));
  }

  @Test
  void learningRateSchedulerSetsTheRateEachEpoch() {
    Tensor[] train = scaled(2.0);
    SGD sgd = new SGD().learningRate(0.1);
    List<Double> seen = new ArrayList<>();
    Callback record = new Callback() {
      @Override
      public void onEpochBegin(FitContext context, int epoch) {
        seen.add(context.optimizer().learningRate());
      }
    };
    Trainer.fit(zeroModel(), train[0], train[1], quiet(new MeanSquaredError()).optimizer(sgd).epochs(3)
        .callbacks(new LearningRateScheduler((epoch, lr) -> epoch == 0 ? lr : lr / 2), record).build());
    assertEquals(List.of(0.1, 0.05, 0.025), seen);
  }

  @Test
  void progressLooksLikeKeras() {
    Tensor[] d = linearData(16, 2, 2, 7);
    for (int verbose : new int[] {1, 2}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      Trainer.fit(new LinearModel(2, 2, 1, false, 1), d[0], d[1], FitConfig.builder().loss(new MeanSquaredError())
          .epochs(2).batchSize(4).validationSplit(0.25).verbose(verbose).out(out).build());
      String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
      assertEquals(4, lines.length, String.join("\n", lines));
      assertEquals("Epoch 1/2", lines[0]);
      assertEquals("Epoch 2/2", lines[2]);
      String number = "-?\\d+\\.\\d{4}(e[-+]\\d+)?";
      String step = "\\d+(s|ms|us)/step";
      String expected = verbose == 1
          ? "3/3 ━{20} \\d+s " + step + " - loss: " + number + " - val_loss: " + number
          : "3/3 - \\d+s - " + step + " - loss: " + number + " - val_loss: " + number;
      assertTrue(lines[1].matches(expected), lines[1]);
      assertTrue(lines[3].matches(expected), lines[3]);
    }
  }

  @Test
  void kerasNumberFormat() {
    assertEquals("0.0123", Progbar.format(0.0123));
    assertEquals("1.2300e-04", Progbar.format(0.000123));
    assertEquals("12.5000", Progbar.format(12.5));
  }

  @Test
  void badArguments() {
    Tensor[] d = linearData(4, 2, 2, 1);
    LinearModel model = new LinearModel(2, 2, 1, false, 1);
    FitConfig config = quiet(new MeanSquaredError()).build();
    assertThrows(ShapeMismatchException.class, () -> Trainer.fit(model, d[0], Tensor.zeros(3, 1), config));
    assertThrows(ShapeMismatchException.class, () -> Trainer.fit(model, Tensor.zeros(4, 3, 2), d[1], config));
    assertThrows(IllegalStateException.class, () -> FitConfig.builder().build());
    assertThrows(IllegalStateException.class,
        () -> quiet(new MeanSquaredError()).validationSplit(0.5).validationData(d[0], d[1]).build());
    assertThrows(IllegalArgumentException.class, () -> Trainer.fit(model, Tensor.zeros(1, 2, 2), Tensor.zeros(1, 1),
        quiet(new MeanSquaredError()).validationSplit(0.5).build()));
    BatchTrainer trainer = new BatchTrainer(model, new MeanSquaredError(), new SGD(), 2, List.of());
    assertThrows(ShapeMismatchException.class, () -> trainer.trainOnBatch(d[0], d[1]), "4 samples > batch size 2");
    assertThrows(IllegalArgumentException.class, () -> new BatchTrainer(model, new MeanSquaredError(), null, 2,
        List.of(new SparseCategoricalCrossentropy())), "a metric that reads class indices beside a dense loss");
  }

  /** Bytes allocated by this thread while {@code r} runs. */
  static long allocated(Runnable r) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    r.run();
    return mx.getCurrentThreadAllocatedBytes() - before;
  }

  @Test
  void aTrainingStepAllocatesNothing() {
    Tensor[] d = linearData(8, 4, 3, 2);
    LinearModel model = new LinearModel(4, 3, 1, false, 1);
    for (Optimizer opt : List.of(new Adam().amsgrad(true).clipnorm(1.0), new SGD().momentum(0.9).nesterov(true),
        new RMSprop().centered(true).momentum(0.5))) {
      opt.reset();
      BatchTrainer trainer = new BatchTrainer(model, new MeanSquaredError(), opt, 8, List.of(new MeanAbsoluteError()));
      Tensor xs = Tensor.wrap(java.util.Arrays.copyOf(d[0].data(), 5 * 12), 5, 4, 3);
      Tensor ys = Tensor.wrap(java.util.Arrays.copyOf(d[1].data(), 5), 5, 1);
      for (int i = 0; i < 200; i++) { // warm up, including the padded path
        trainer.trainOnBatch(d[0], d[1]);
        trainer.trainOnBatch(xs, ys);
      }
      int batches = 2000;
      long bytes = allocated(() -> {
        for (int i = 0; i < batches / 2; i++) {
          trainer.trainOnBatch(d[0], d[1]);
          trainer.trainOnBatch(xs, ys);
        }
      });
      assertTrue(bytes / batches < 8, opt + ": " + bytes + " bytes over " + batches + " batches");
      model.setWeights(new LinearModel(4, 3, 1, false, 1).getWeights());
    }
  }

  @Test
  void fitAllocatesPerEpochNotPerBatch() {
    // 128 batches per epoch: an epoch's allocations (its logs, the history) must stay far below one
    // small object per batch
    Tensor[] d = linearData(128 * 4 + 3, 2, 2, 3);
    LinearModel model = new LinearModel(2, 2, 1, false, 1);
    Runnable warm = () -> Trainer.fit(model, d[0], d[1], quiet(new MeanSquaredError()).optimizer(new Adam())
        .metrics(new MeanAbsoluteError()).epochs(3).batchSize(4).validationSplit(0.005).build());
    warm.run();
    long few = allocated(() -> Trainer.fit(model, d[0], d[1], quiet(new MeanSquaredError()).optimizer(new Adam())
        .metrics(new MeanAbsoluteError()).epochs(2).batchSize(4).validationSplit(0.005).build()));
    long many = allocated(() -> Trainer.fit(model, d[0], d[1], quiet(new MeanSquaredError()).optimizer(new Adam())
        .metrics(new MeanAbsoluteError()).epochs(22).batchSize(4).validationSplit(0.005).build()));
    long perEpoch = (many - few) / 20;
    assertTrue(perEpoch < 2048, perEpoch + " bytes per epoch of 129 batches");
  }
}
