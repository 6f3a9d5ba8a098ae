package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A diverging fit: the history says where the loss first became non-finite, and TerminateOnNaN stops it. */
class NonFiniteTrainingTest {
  /** x (n, t, f) uniform in [-1, 1), y uniform in [-1, 1): 8 batches of 8. */
  private static Tensor[] data(int n, int t, int f) {
    SplittableRandom rng = new SplittableRandom(11);
    double[] x = new double[n * t * f];
    double[] y = new double[n];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble(-1, 1);
    }
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextDouble(-1, 1);
    }
    return new Tensor[] {Tensor.wrap(x, n, t, f), Tensor.wrap(y, n, 1)};
  }

  private static boolean allFinite(List<Tensor> weights) {
    return weights.stream().allMatch(t -> java.util.Arrays.stream(t.data()).allMatch(Double::isFinite));
  }

  /** SGD at learning rate 1e3 on a linear model: the weights grow by orders of magnitude each batch. */
  private static FitConfig.Builder diverging() {
    return FitConfig.builder().loss(new MeanSquaredError()).optimizer(new SGD().learningRate(1e3)).quiet()
        .batchSize(8).shuffle(false);
  }

  @Test
  void withoutCallbacksFitRunsOnAndTheHistoryKeepsTheFirstNonFiniteBatch() {
    Tensor[] d = data(64, 3, 2);
    LinearModel model = new LinearModel(3, 2, 1, false, 5);
    History h = Trainer.fit(model, d[0], d[1], diverging().epochs(50).build());
    assertEquals(50, h.epochs(), "as Keras, a fit without TerminateOnNaN runs every epoch");
    History.NonFiniteStep first = h.firstNonFinite();
    assertNotNull(first);
    assertTrue(first.what().startsWith("loss ") || first.what().startsWith("gradient of weight ["), first.what());
    assertTrue(first.toString().startsWith("epoch " + (first.epoch() + 1) + " (from 1), batch "), first.toString());
    assertTrue(Double.isNaN(h.last("loss")) || Double.isInfinite(h.last("loss")), h.loss().toString());
  }

  @Test
  void terminateOnNaNStopsAfterTheFirstNonFiniteLoss() {
    Tensor[] d = data(64, 3, 2);
    LinearModel model = new LinearModel(3, 2, 1, false, 5);
    TerminateOnNaN stop = new TerminateOnNaN();
    History h = Trainer.fit(model, d[0], d[1], diverging().epochs(50).callbacks(stop).build());
    assertTrue(stop.stoppedEpoch() >= 0, "it must diverge and stop");
    assertEquals(stop.stoppedEpoch() + 1, h.epochs(), "the stopping epoch is the last one logged");
    History.NonFiniteStep first = h.firstNonFinite();
    assertNotNull(first);
    // the loss becomes non-finite at the stopping batch, or a gradient did so no later
    assertTrue(first.epoch() < stop.stoppedEpoch()
        || first.epoch() == stop.stoppedEpoch() && first.batch() <= stop.stoppedBatch(), first + " vs " + stop);
  }

  @Test
  void withEarlyStoppingRestoringBestWeightsTheModelIsLeftFinite() {
    Tensor[] d = data(64, 3, 2);
    LinearModel model = new LinearModel(3, 2, 1, false, 5);
    History h = Trainer.fit(model, d[0], d[1], diverging().epochs(50).callbacks(new TerminateOnNaN(),
        new EarlyStopping().monitor("loss").patience(100).restoreBestWeights(true)).build());
    assertNotNull(h.firstNonFinite());
    assertTrue(allFinite(model.getWeights()), "restored to the best finite weights: " + model.getWeights());
  }

  @Test
  void aConvergingFitRecordsNothing() {
    Tensor[] d = data(64, 3, 2);
    LinearModel model = new LinearModel(3, 2, 1, false, 5);
    TerminateOnNaN stop = new TerminateOnNaN();
    History h = Trainer.fit(model, d[0], d[1], FitConfig.builder().loss(new MeanSquaredError())
        .optimizer(new SGD().learningRate(0.01)).quiet().epochs(3).callbacks(stop).build());
    assertEquals(3, h.epochs());
    assertNull(h.firstNonFinite());
    assertEquals(-1, stop.stoppedEpoch());
  }
}
