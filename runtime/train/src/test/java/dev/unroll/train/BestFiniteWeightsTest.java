package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fit that diverges to NaN ends with the model at its best finite weights when EarlyStopping
 * restores them or a ModelCheckpoint saves, and a checkpoint never writes weights that are not finite.
 */
class BestFiniteWeightsTest {
  @TempDir
  Path dir;

  private static Tensor[] data() {
    SplittableRandom rng = new SplittableRandom(11);
    int n = 64;
    double[] x = new double[n * 3 * 2];
    double[] y = new double[n];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble(-1, 1);
    }
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextDouble(-1, 1);
    }
    return new Tensor[] {Tensor.wrap(x, n, 3, 2), Tensor.wrap(y, n, 1)};
  }

  private static boolean finite(List<Tensor> weights) {
    return weights.stream().allMatch(t -> java.util.Arrays.stream(t.data()).allMatch(Double::isFinite));
  }

  /** The weights and loss at the end of every epoch, as the callbacks after it see them. */
  private static final class Probe implements Callback {
    final List<List<Tensor>> weights = new ArrayList<>();
    final List<Double> loss = new ArrayList<>();

    @Override
    public void onEpochEnd(FitContext context, int epoch, Map<String, Double> logs) {
      weights.add(context.model().getWeights());
      loss.add(logs.get("loss"));
    }

    /** The epoch of lowest loss among those whose loss and weights are finite; -1 if none. */
    int bestFinite() {
      int best = -1;
      for (int e = 0; e < loss.size(); e++) {
        if (Double.isFinite(loss.get(e)) && finite(weights.get(e)) && (best < 0 || loss.get(e) < loss.get(best))) {
          best = e;
        }
      }
      return best;
    }

    /** The last epoch whose weights are finite; -1 if none. */
    int lastFinite() {
      for (int e = weights.size() - 1; e >= 0; e--) {
        if (finite(weights.get(e))) {
          return e;
        }
      }
      return -1;
    }
  }

  /** SGD at {@code rate} on a linear model, 8 batches per epoch. */
  private static FitConfig.Builder sgd(double rate, int epochs, Callback... callbacks) {
    return FitConfig.builder().loss(new MeanSquaredError()).optimizer(new SGD().learningRate(rate)).quiet()
        .batchSize(8).shuffle(false).epochs(epochs).callbacks(callbacks);
  }

  @Test
  void earlyStoppingLeavesADivergedModelAtItsBestFiniteEpoch() {
    Tensor[] d = data();
    LinearModel model = new LinearModel(3, 2, 1, false, 5);
    Probe probe = new Probe();
    EarlyStopping stop = new EarlyStopping().monitor("loss").patience(100).restoreBestWeights(true);
    History h = Trainer.fit(model, d[0], d[1], sgd(3, 60, probe, stop).build());
    assertNotNull(h.firstNonFinite(), "the fit must diverge");
    assertFalse(finite(probe.weights.get(probe.weights.size() - 1)), "it ends with weights that are not finite");
    int best = probe.bestFinite();
    assertTrue(best >= 0, "some epoch ended finite: " + probe.loss);
    assertEquals(best, stop.bestEpoch());
    assertEquals(probe.weights.get(best), model.getWeights());
  }

  @Test
  void earlyStoppingRestoresTheStartingWeightsWhenNoEpochEndsFinite() {
    Tensor[] d = data();
    LinearModel model = new LinearModel(3, 2, 1, false, 5);
    List<Tensor> initial = model.getWeights();
    Probe probe = new Probe();
    History h = Trainer.fit(model, d[0], d[1], sgd(1e200, 3, probe,
        new EarlyStopping().monitor("loss").patience(100).restoreBestWeights(true)).build());
    assertNotNull(h.firstNonFinite());
    assertEquals(-1, probe.lastFinite(), "every epoch ends with weights that are not finite");
    assertEquals(initial, model.getWeights());
  }

  @Test
  void bestOnlyCheckpointWritesOnlyFiniteWeightsAndLeavesTheModelAtThem() throws Exception {
    Tensor[] d = data();
    LinearModel model = new LinearModel(3, 2, 1, false, 5);
    Probe probe = new Probe();
    Path file = dir.resolve("best.npz");
    ModelCheckpoint ckpt = new ModelCheckpoint(file).monitor("loss").saveBestOnly(true);
    History h = Trainer.fit(model, d[0], d[1], sgd(3, 60, probe, ckpt).build());
    assertNotNull(h.firstNonFinite());
    int best = probe.bestFinite();
    assertTrue(best >= 0);
    assertTrue(ckpt.restored());
    assertEquals(probe.weights.get(best), model.getWeights(), "the model is left at its best finite weights");
    LinearModel saved = new LinearModel(3, 2, 1, false, 99);
    Weights.load(saved, file);
    assertEquals(probe.weights.get(best), saved.getWeights(), "the file holds the best finite weights");
  }

  @Test
  void everyEpochCheckpointNeverOverwritesTheLastFiniteWeights() throws Exception {
    Tensor[] d = data();
    LinearModel model = new LinearModel(3, 2, 1, false, 5);
    Probe probe = new Probe();
    Path file = dir.resolve("last.npz");
    ModelCheckpoint ckpt = new ModelCheckpoint(file);
    Trainer.fit(model, d[0], d[1], sgd(3, 60, probe, ckpt).build());
    int last = probe.lastFinite();
    assertTrue(last >= 0 && last < probe.weights.size() - 1, "diverges after some finite epochs: " + probe.loss);
    LinearModel saved = new LinearModel(3, 2, 1, false, 99);
    Weights.load(saved, file);
    assertEquals(probe.weights.get(last), saved.getWeights());
    assertEquals(probe.weights.get(last), model.getWeights());
    // one file per epoch: only the finite epochs are written
    Path pattern = dir.resolve("e");
    Files.createDirectories(pattern);
    LinearModel again = new LinearModel(3, 2, 1, false, 5);
    Probe probe2 = new Probe();
    Trainer.fit(again, d[0], d[1], sgd(3, 60, probe2, new ModelCheckpoint(pattern.resolve("ckpt-{epoch}.npz"))).build());
    for (int e = 0; e < probe2.weights.size(); e++) {
      assertEquals(finite(probe2.weights.get(e)), Files.exists(pattern.resolve("ckpt-" + (e + 1) + ".npz")), "epoch "
          + (e + 1));
    }
  }

  @Test
  void aFiniteFitKeepsItsLastWeightsAsKerasDoes() throws Exception {
    Tensor[] d = data();
    LinearModel model = new LinearModel(3, 2, 1, false, 5);
    Probe probe = new Probe();
    ModelCheckpoint ckpt = new ModelCheckpoint(dir.resolve("b.npz")).monitor("loss").saveBestOnly(true);
    History h = Trainer.fit(model, d[0], d[1], sgd(0.01, 4, probe, ckpt).build());
    assertNull(h.firstNonFinite());
    assertFalse(ckpt.restored());
    assertEquals(probe.weights.get(3), model.getWeights());
  }
}
