package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.Gradients;
import dev.unroll.LayerInfo;
import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A model whose output carries a Keras mask: the trainer's loss and metrics leave the masked steps out
 * as Keras 3 does ({@code apply_mask}: sum over the kept steps / (kept + 1e-7) for the loss; the plain
 * mean over the kept steps for a metric), and the gradient at a masked step is 0. Checked against the
 * numbers worked out by hand here, and against one SGD step.
 */
class MaskedLossTest {

  /** {@link LinearModel} per step, with the Keras mask "all features of step t are 0" on its output. */
  static final class Masked implements SequenceModel {
    final LinearModel inner = new LinearModel(3, 2, 2, true, 5);
    Tensor mask;

    @Override
    public Tensor outputMask() {
      return mask;
    }

    @Override
    public Tensor predict(Tensor x, List<Tensor> initialState, Tensor out) {
      if (mask == null || mask.dim(0) != x.dim(0)) {
        mask = Tensor.zeros(x.dim(0), 3);
      }
      for (int r = 0; r < x.dim(0) * 3; r++) {
        mask.data()[r] = x.data()[2 * r] == 0 && x.data()[2 * r + 1] == 0 ? 0 : 1;
      }
      return inner.predict(x, initialState, out);
    }

    @Override
    public Gradients gradients(Tensor x, List<Tensor> s, Tensor d, Gradients into) {
      return inner.gradients(x, s, d, into);
    }

    @Override
    public Gradients backward(Tensor d, Gradients into) {
      return inner.backward(d, into);
    }

    @Override
    public int paramCount() {
      return inner.paramCount();
    }

    @Override
    public String summary() {
      return inner.summary();
    }

    @Override
    public List<LayerInfo> layers() {
      return inner.layers();
    }

    @Override
    public int[] inputShape() {
      return inner.inputShape();
    }

    @Override
    public int[] outputShape() {
      return inner.outputShape();
    }

    @Override
    public List<Tensor> getWeights() {
      return inner.getWeights();
    }

    @Override
    public void setWeights(List<Tensor> weights) {
      inner.setWeights(weights);
    }

    @Override
    public Stepper stepper() {
      throw new UnsupportedOperationException();
    }
  }

  // two samples of three steps: sample 0's last step and sample 1's first are padding
  static final double[] X = {0.5, -1, 2, 1, 0, 0, 0, 0, 1, 1, -2, 0.5};
  static final double[] Y = {1, 2, 3, 4, 100, -100, 50, 60, 0, 1, 2, -1};
  static final double[] W = {0.1, 0.2, -0.3, 0.4};
  static final double[] B = {0.5, -0.5};

  /** The per-step predictions, worked out: y_t = x_t @ W + b. */
  static double[] predictions() {
    double[] p = new double[12];
    for (int r = 0; r < 6; r++) {
      for (int u = 0; u < 2; u++) {
        p[2 * r + u] = B[u] + X[2 * r] * W[u] + X[2 * r + 1] * W[2 + u];
      }
    }
    return p;
  }

  static Masked model() {
    Masked m = new Masked();
    m.setWeights(List.of(Tensor.wrap(W.clone(), 2, 2), Tensor.wrap(B.clone(), 2)));
    return m;
  }

  static final boolean[] KEPT = {true, true, false, false, true, true};

  @Test
  void lossAndMetricOverTheKeptStepsOnly() {
    double[] p = predictions();
    double sq = 0;
    double abs = 0;
    for (int r = 0; r < 6; r++) {
      if (KEPT[r]) {
        for (int u = 0; u < 2; u++) {
          double e = p[2 * r + u] - Y[2 * r + u];
          sq += e * e / 2;
          abs += Math.abs(e) / 2;
        }
      }
    }
    double expectedLoss = sq / (4 + 1e-7);
    double expectedMae = abs / 4;
    BatchTrainer t = new BatchTrainer(model(), new MeanSquaredError(), null, 2, List.of(new MeanAbsoluteError()));
    double loss = t.testOnBatch(Tensor.wrap(X.clone(), 2, 3, 2), Tensor.wrap(Y.clone(), 2, 3, 2));
    assertEquals(expectedLoss, loss, 1e-15 * expectedLoss);
    assertEquals(expectedMae, t.metric(0), 1e-15 * expectedMae);
    // the padding's targets (100, -100, 50, 60) would dominate an unmasked mean
    assertEquals(true, loss < 10);
    // Trainer.evaluate agrees
    assertEquals(expectedLoss, Trainer.evaluate(model(), Tensor.wrap(X.clone(), 2, 3, 2),
        Tensor.wrap(Y.clone(), 2, 3, 2), new MeanSquaredError(), 2), 1e-15 * expectedLoss);
  }

  @Test
  void oneSgdStepUsesTheKeptStepsGradient() {
    double[] p = predictions();
    double lr = 0.1;
    double[] dk = new double[4];
    double[] db = new double[2];
    for (int r = 0; r < 6; r++) {
      if (!KEPT[r]) {
        continue;
      }
      for (int u = 0; u < 2; u++) {
        double d = 2 * (p[2 * r + u] - Y[2 * r + u]) / 2 / (4 + 1e-7); // d/dp of mean over the last axis, / (kept + ε)
        db[u] += d;
        dk[u] += X[2 * r] * d;
        dk[2 + u] += X[2 * r + 1] * d;
      }
    }
    Masked m = model();
    BatchTrainer t = new BatchTrainer(m, new MeanSquaredError(), new SGD().learningRate(lr), 2, List.of());
    t.trainOnBatch(Tensor.wrap(X.clone(), 2, 3, 2), Tensor.wrap(Y.clone(), 2, 3, 2));
    List<Tensor> w = m.getWeights();
    for (int i = 0; i < 4; i++) {
      assertEquals(W[i] - lr * dk[i], w.get(0).data()[i], 1e-15, "kernel " + i);
    }
    for (int u = 0; u < 2; u++) {
      assertEquals(B[u] - lr * db[u], w.get(1).data()[u], 1e-15, "bias " + u);
    }
  }
}
