package dev.unroll.train;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.ShapeMismatchException;
import dev.unroll.Tensor;
import dev.unroll.internal.Checks;
import java.util.Arrays;
import java.util.List;

/**
 * One model, one loss and one optimizer, with every buffer of a training step allocated once: Keras's
 * {@code train_on_batch} and {@code test_on_batch}, and the step under {@link Trainer#fit}.
 *
 * <p>A step is: {@code predict} into a reused output tensor; the loss and d loss / d output into a
 * reused tensor; {@code backward(dOutput, into)} (through that same forward pass) into reused {@link Gradients}; the
 * optimizer's update of a float64 master copy of the weights; {@code setWeights} of that copy. After
 * the first step it allocates nothing, in the trainer, the optimizer or a generated model.
 *
 * <p>The model always sees batches of exactly {@link #batchSize()} samples, so that it never
 * reallocates its work buffers (a generated model resizes them when the batch size changes). A
 * smaller batch, such as the last of an epoch, is padded with zero samples whose output gradient is
 * 0: they add exactly nothing to the weight gradients, and the loss is the mean over the real
 * samples only, as Keras computes it for its smaller last batch. The price is the padded rows'
 * arithmetic. The forward pass runs twice per step (once for the loss, once inside
 * {@code gradients}), because the model interface computes both from {@code x}.
 *
 * <p>A model whose output carries a Keras mask ({@link SequenceModel#outputMask()}: a {@code @Masking}
 * model whose every layer keeps the time axis) has its masked steps left out, as Keras leaves them
 * out: the loss is the sum of the per-step losses over the kept steps divided by their number (plus
 * Keras's ε = 1e-7), a metric is the mean over the kept steps, and the gradient at a masked step is
 * 0. The mask comes with the input; nothing is to be configured.
 *
 * <p>Not thread-safe; one per model and thread.
 */
public final class BatchTrainer {
  private final SequenceModel model;
  private final Loss loss;
  private final Optimizer optimizer;
  private final List<Loss> metrics;
  private final int capacity;
  private final int timesteps;
  private final int features;
  private final int inPerSample;
  private final int width;
  private final int rowsPerSample;
  private final int targetsPerSample;
  private final Tensor x;
  private final Tensor y;
  private final Tensor pred;
  private final Tensor dPred;
  private final double[] metricValues;
  private Gradients gradients;
  /** For a model whose output carries a mask: the kept rows of y, of the predictions, their gradient, their index. */
  private double[] keptY;
  private double[] keptPred;
  private double[] keptD;
  private int[] keptRows;
  /** Keras's {@code backend.epsilon()}, which its masked losses add to the number of kept steps. */
  static final double KERAS_EPSILON = 1e-7;
  private List<Tensor> master;

  /**
   * A trainer for batches of up to {@code batchSize} samples.
   *
   * @param optimizer the optimizer, or null for a trainer that only evaluates
   * @param metrics quantities computed on each batch beside the loss
   * @throws IllegalStateException if the optimizer already trains another model
   * @throws IllegalArgumentException if a metric reads targets differently from the loss (class
   *     indices or one value per output)
   */
  public BatchTrainer(SequenceModel model, Loss loss, Optimizer optimizer, int batchSize, List<Loss> metrics) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, found " + batchSize);
    }
    for (Loss m : metrics) {
      if (m.sparseTargets() != loss.sparseTargets()) {
        throw new IllegalArgumentException("metric " + m.name() + takes(m) + " but the loss " + loss.name()
            + takes(loss) + "; metrics must read the targets as the loss does");
      }
    }
    this.model = model;
    this.loss = loss;
    this.optimizer = optimizer;
    this.metrics = List.copyOf(metrics);
    this.capacity = batchSize;
    int[] in = model.inputShape();
    this.timesteps = in[0];
    this.features = in[1];
    this.inPerSample = timesteps * features;
    int[] out = model.outputShape();
    int outPerSample = 1;
    for (int d : out) {
      outPerSample *= d;
    }
    this.width = out[out.length - 1];
    this.rowsPerSample = outPerSample / width;
    this.targetsPerSample = loss.sparseTargets() ? rowsPerSample : outPerSample;
    this.x = Tensor.zeros(batchSize, timesteps, features);
    this.y = Tensor.zeros(batchSize, targetsPerSample);
    int[] predShape = new int[out.length + 1];
    predShape[0] = batchSize;
    System.arraycopy(out, 0, predShape, 1, out.length);
    this.pred = Tensor.zeros(predShape);
    this.dPred = Tensor.zeros(predShape);
    this.metricValues = new double[metrics.size()];
    if (optimizer != null) {
      optimizer.bindTo(model);
      this.master = model.getWeights();
    }
  }

  /** The model trained. */
  public SequenceModel model() {
    return model;
  }

  /** The number of samples the model sees per step. */
  public int batchSize() {
    return capacity;
  }

  /**
   * One update on a batch: Keras's {@code train_on_batch}.
   *
   * @param xb (n, timesteps, features) with 1 ≤ n ≤ {@link #batchSize()}. Not modified.
   * @param yb n samples of targets, shaped like the model's output (or with its size), or class
   *     indices for a sparse loss. Not modified.
   * @return the loss on the batch, before the update
   */
  public double trainOnBatch(Tensor xb, Tensor yb) {
    requireOptimizer();
    return step(fill(xb, yb), true);
  }

  /**
   * The loss on a batch without updating: Keras's {@code test_on_batch}.
   *
   * @see #trainOnBatch(Tensor, Tensor)
   */
  public double testOnBatch(Tensor xb, Tensor yb) {
    return step(fill(xb, yb), false);
  }

  /** The value of metric {@code i} (in the order given) on the last batch. */
  public double metric(int i) {
    return metricValues[i];
  }

  /**
   * Replaces the model's weights and the master copy the optimizer updates. Shape-checked and
   * all-or-nothing.
   */
  public void setWeights(List<Tensor> weights) {
    model.setWeights(weights);
    if (master != null) {
      for (int i = 0; i < master.size(); i++) {
        System.arraycopy(weights.get(i).data(), 0, master.get(i).data(), 0, master.get(i).size());
      }
    }
  }

  /**
   * What is not finite in the gradients of the last training step: {@code gradient of weight [i] at
   * (r, c): NaN}, or null if every value is finite.
   */
  String nonFiniteGradient() {
    if (gradients == null) {
      return null;
    }
    List<Tensor> ws = gradients.weights();
    for (int w = 0; w < ws.size(); w++) {
      double[] d = ws.get(w).data();
      for (int i = 0; i < ws.get(w).size(); i++) {
        if (!Double.isFinite(d[i])) {
          return "gradient of weight [" + w + "] at " + Tensor.format(Checks.indexOf(i, ws.get(w).shape())) + ": "
              + d[i];
        }
      }
    }
    return null;
  }

  /** Reads the master copy again from the model, after its weights were set elsewhere. */
  public void reloadWeights() {
    if (master != null) {
      master = model.getWeights();
    }
  }

  // ---- used by Trainer: fill the batch buffers row by row, then step ----

  /** Copies sample {@code index} of {@code xs} / {@code ys} into batch row {@code row}. */
  void copySample(double[] xs, double[] ys, int index, int row) {
    System.arraycopy(xs, index * inPerSample, x.data(), row * inPerSample, inPerSample);
    System.arraycopy(ys, index * targetsPerSample, y.data(), row * targetsPerSample, targetsPerSample);
  }

  int targetsPerSample() {
    return targetsPerSample;
  }

  int inPerSample() {
    return inPerSample;
  }

  /** The predictions of the last step, (batchSize, output...); rows past its n are padding. */
  Tensor predictions() {
    return pred;
  }

  Tensor inputBuffer() {
    return x;
  }

  /**
   * One step on the first {@code n} rows of the batch buffers.
   *
   * @return the mean loss over those rows
   */
  double step(int n, boolean train) {
    if (n < capacity) {
      Arrays.fill(x.data(), n * inPerSample, x.size(), 0.0);
    }
    model.predict(x, null, pred);
    int rows = n * rowsPerSample;
    Tensor mask = model.outputMask();
    double value;
    if (mask == null) {
      value = loss.compute(y.data(), pred.data(), train ? dPred.data() : null, rows, width);
      for (int i = 0; i < metricValues.length; i++) {
        metricValues[i] = metrics.get(i).compute(y.data(), pred.data(), null, rows, width);
      }
    } else {
      int valid = keep(mask.data(), rows);
      value = masked(loss, valid, rows, train ? dPred.data() : null, true);
      for (int i = 0; i < metricValues.length; i++) {
        metricValues[i] = masked(metrics.get(i), valid, rows, null, false);
      }
    }
    if (train) {
      if (n < capacity) {
        Arrays.fill(dPred.data(), rows * width, dPred.size(), 0.0);
      }
      // backpropagate through the forward pass that predict just ran, rather than running it again
      gradients = model.backward(dPred, gradients);
      optimizer.apply(gradients.weights(), master);
      // a diverging step may leave non-finite weights: training goes on as in Keras (TerminateOnNaN stops it)
      boolean before = Checks.allowNonFinite(true);
      try {
        model.setWeights(master);
      } finally {
        Checks.allowNonFinite(before);
      }
    }
    return value;
  }

  /**
   * Copies the rows of y and of the predictions whose step the output's mask keeps (Keras: mask true)
   * into the front of the kept buffers, in order, and returns their number.
   */
  private int keep(double[] mask, int rows) {
    int targetWidth = loss.sparseTargets() ? 1 : width;
    if (keptY == null) {
      keptY = new double[y.size()];
      keptPred = new double[pred.size()];
      keptD = new double[pred.size()];
      keptRows = new int[pred.size() / width];
    }
    int valid = 0;
    for (int r = 0; r < rows; r++) {
      if (mask[r] != 0) {
        System.arraycopy(y.data(), r * targetWidth, keptY, valid * targetWidth, targetWidth);
        System.arraycopy(pred.data(), r * width, keptPred, valid * width, width);
        keptRows[valid++] = r;
      }
    }
    return valid;
  }

  /**
   * A loss or metric over the kept rows only, as Keras computes it for an output that carries a mask.
   * A loss (Keras {@code apply_mask} with {@code sum_over_batch_size}) weighs each kept step by
   * total / (valid + ε), ε = 1e-7, and divides by total: the sum over the kept steps / (valid + ε). A
   * metric (Keras's {@code Mean} with the mask as sample weight) is the mean over the kept steps. The
   * gradient of a masked step is 0.
   *
   * @param dOut where d loss / d prediction goes for every row, or null
   */
  private double masked(Loss l, int valid, int rows, double[] dOut, boolean keras) {
    if (dOut != null) {
      Arrays.fill(dOut, 0, rows * width, 0.0);
    }
    if (valid == 0) {
      return 0.0;
    }
    double value = l.compute(keptY, keptPred, dOut == null ? null : keptD, valid, width);
    double scale = keras ? valid / (valid + KERAS_EPSILON) : 1.0;
    if (dOut != null) {
      for (int j = 0; j < valid; j++) {
        int to = keptRows[j] * width;
        for (int k = 0; k < width; k++) {
          dOut[to + k] = keptD[j * width + k] * scale;
        }
      }
    }
    return value * scale;
  }

  private int fill(Tensor xb, Tensor yb) {
    if (xb == null || xb.rank() != 3 || xb.dim(1) != timesteps || xb.dim(2) != features || xb.dim(0) < 1
        || xb.dim(0) > capacity) {
      throw new ShapeMismatchException("batch x", "(n, " + timesteps + ", " + features + ") with 1 <= n <= " + capacity,
          xb == null ? "null" : Tensor.format(xb.shape()));
    }
    int n = xb.dim(0);
    if (yb == null || yb.rank() < 1 || yb.dim(0) != n || yb.size() != n * targetsPerSample) {
      throw new ShapeMismatchException("batch y", n + " samples of " + targetsPerSample
          + (loss.sparseTargets() ? " class indices" : " values"), yb == null ? "null" : Tensor.format(yb.shape()));
    }
    System.arraycopy(xb.data(), 0, x.data(), 0, n * inPerSample);
    System.arraycopy(yb.data(), 0, y.data(), 0, n * targetsPerSample);
    return n;
  }

  private static String takes(Loss l) {
    return l.sparseTargets() ? " takes class indices" : " takes one target per output";
  }

  private void requireOptimizer() {
    if (optimizer == null) {
      throw new IllegalStateException("this BatchTrainer was made without an optimizer: it can only test");
    }
  }
}
