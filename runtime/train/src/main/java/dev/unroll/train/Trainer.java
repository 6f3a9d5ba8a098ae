package dev.unroll.train;

import dev.unroll.SequenceModel;
import dev.unroll.ShapeMismatchException;
import dev.unroll.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains and evaluates any generated model, as Keras's {@code fit}, {@code evaluate} and
 * {@code predict} do.
 *
 * <pre>{@code
 * SequenceModel model = new UnrolledForecaster(42);
 * History history = Trainer.fit(model, x, y, FitConfig.builder()
 *     .loss(new MeanSquaredError()).optimizer(new Adam())
 *     .epochs(30).batchSize(16).validationSplit(0.1)
 *     .build());
 * double testMse = Trainer.evaluate(model, xTest, yTest, new MeanSquaredError());
 * }</pre>
 *
 * <p>Inputs are (samples, timesteps, features). Targets have one entry per sample along their first
 * axis and the values of one output each: (samples, units), or (samples,) for one unit, or
 * (samples, timesteps, units) for a sequence output; for {@link SparseCategoricalCrossentropy}, one
 * class index per output row.
 *
 * <p>Each epoch: the training samples are shuffled (seeded; Fisher-Yates on the previous order),
 * cut into batches of {@code batchSize} (the last may be smaller), and each batch is one
 * {@link BatchTrainer} step. The logged loss is the mean of the batch losses weighted by batch size
 * (Keras's running mean, over weights that change during the epoch); validation runs after the
 * epoch on the whole validation set. The same seed, data and configuration give bit-identical
 * weights.
 */
public final class Trainer {
  /** Keras's default batch size for {@code evaluate} and {@code predict}. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  private Trainer() {}

  /**
   * Trains {@code model} on {@code (x, y)}.
   *
   * @param x inputs (samples, timesteps, features). Not modified.
   * @param y targets, see the class comment. Not modified.
   * @return the loss, metrics and validation values of every epoch run
   * @throws ShapeMismatchException if the data do not fit the model
   * @throws IllegalArgumentException if the validation split leaves no training or no validation
   *     sample
   * @throws IllegalStateException if the configured optimizer already trains another model
   */
  public static History fit(SequenceModel model, Tensor x, Tensor y, FitConfig config) {
    int n = checkData(model, x, y, config.loss(), "fit: x", "fit: y");
    int trainCount = n;
    Tensor valX = config.validationX();
    Tensor valY = config.validationY();
    int valOffset = 0;
    int valCount = 0;
    if (config.validationSplit() > 0) {
      trainCount = (int) Math.floor(n * (1.0 - config.validationSplit()));
      if (trainCount == 0 || trainCount == n) {
        throw new IllegalArgumentException("fit: validationSplit " + config.validationSplit() + " of " + n
            + " samples leaves " + trainCount + " to train and " + (n - trainCount)
            + " to validate; both must be at least 1");
      }
      valX = x;
      valY = y;
      valOffset = trainCount;
      valCount = n - trainCount;
    } else if (valX != null) {
      valCount = checkData(model, valX, valY, config.loss(), "fit: validation x", "fit: validation y");
    }

    int batch = Math.min(config.batchSize(), trainCount);
    BatchTrainer trainer = new BatchTrainer(model, config.loss(), config.optimizer(), batch, config.metrics());
    History history = new History();
    FitContext context = new FitContext(model, config.optimizer(), history, config, trainer);
    Progbar progbar = new Progbar(config.out(), config.verbose());

    List<Loss> metrics = config.metrics();
    int m = metrics.size();
    String[] names = new String[m + 1];
    names[0] = "loss";
    for (int i = 0; i < m; i++) {
      names[i + 1] = metrics.get(i).name();
    }
    double[] running = new double[m + 1];
    double[] sums = new double[m + 1];
    int[] order = new int[trainCount];
    for (int i = 0; i < trainCount; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(config.seed());
    double[] xs = x.data();
    double[] ys = y.data();
    int steps = (trainCount + batch - 1) / batch;

    for (Callback c : config.callbacks()) {
      c.onTrainBegin(context);
    }
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      for (Callback c : config.callbacks()) {
        c.onEpochBegin(context, epoch);
      }
      if (config.shuffle()) {
        for (int i = trainCount - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
      }
      progbar.epochBegin(epoch, config.epochs(), steps);
      java.util.Arrays.fill(sums, 0.0);
      int seen = 0;
      for (int step = 0; step < steps; step++) {
        int first = step * batch;
        int count = Math.min(batch, trainCount - first);
        for (int r = 0; r < count; r++) {
          trainer.copySample(xs, ys, order[first + r], r);
        }
        double loss = trainer.step(count, true);
        if (history.firstNonFinite() == null) {
          String bad = Double.isFinite(loss) ? trainer.nonFiniteGradient() : "loss " + loss;
          if (bad != null) {
            history.nonFinite(new History.NonFiniteStep(epoch, step, bad));
            if (config.verbose() > 0) {
              config.out().println("Epoch " + (epoch + 1) + ", batch " + (step + 1) + ": non-finite " + bad
                  + "; training diverged (TerminateOnNaN stops it)");
            }
          }
        }
        seen += count;
        sums[0] += loss * count;
        for (int i = 0; i < m; i++) {
          sums[i + 1] += trainer.metric(i) * count;
        }
        if (config.verbose() == 1) {
          for (int i = 0; i <= m; i++) {
            running[i] = sums[i] / seen;
          }
          progbar.update(step + 1, names, running);
        }
        boolean stopBefore = context.stopRequested();
        List<Callback> callbacks = config.callbacks();
        for (int i = 0; i < callbacks.size(); i++) { // indexed: no iterator per batch
          callbacks.get(i).onBatchEnd(context, epoch, step, loss);
        }
        if (!stopBefore && context.stopRequested()) {
          break; // asked during this batch (TerminateOnNaN): end the epoch here
        }
      }
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int i = 0; i <= m; i++) {
        logs.put(names[i], sums[i] / seen);
      }
      if (valCount > 0) {
        double[] val = evaluateWith(trainer, valX.data(), valY.data(), valOffset, valCount, m);
        for (int i = 0; i <= m; i++) {
          logs.put("val_" + names[i], val[i]);
        }
      }
      history.append(logs);
      progbar.epochEnd(logs);
      Map<String, Double> view = Collections.unmodifiableMap(logs);
      for (Callback c : config.callbacks()) {
        c.onEpochEnd(context, epoch, view);
      }
      if (context.stopRequested()) {
        break;
      }
    }
    for (Callback c : config.callbacks()) {
      c.onTrainEnd(context);
    }
    return history;
  }

  /**
   * The loss of {@code model} on {@code (x, y)}, in batches of {@value #DEFAULT_BATCH_SIZE}: Keras's
   * {@code evaluate}. For the losses here it is the mean over all samples (and timesteps).
   */
  public static double evaluate(SequenceModel model, Tensor x, Tensor y, Loss loss) {
    return evaluate(model, x, y, loss, DEFAULT_BATCH_SIZE);
  }

  /** As {@link #evaluate(SequenceModel, Tensor, Tensor, Loss)}, in batches of {@code batchSize}. */
  public static double evaluate(SequenceModel model, Tensor x, Tensor y, Loss loss, int batchSize) {
    int n = checkData(model, x, y, loss, "evaluate: x", "evaluate: y");
    BatchTrainer trainer = new BatchTrainer(model, loss, null, Math.min(batchSize, n), List.of());
    return evaluateWith(trainer, x.data(), y.data(), 0, n, 0)[0];
  }

  /**
   * The model's output for every sample of {@code x}, computed in batches of {@code batchSize} (the
   * model's work buffers grow with the batch it sees): Keras's {@code predict}.
   *
   * @return a new tensor (samples, output...)
   */
  public static Tensor predict(SequenceModel model, Tensor x, int batchSize) {
    int n = checkInput(model, x, "predict: x");
    int b = Math.min(batchSize, n);
    int[] in = model.inputShape();
    int[] outShape = model.outputShape();
    int outPer = 1;
    for (int d : outShape) {
      outPer *= d;
    }
    int inPer = in[0] * in[1];
    int[] shape = new int[outShape.length + 1];
    shape[0] = n;
    System.arraycopy(outShape, 0, shape, 1, outShape.length);
    Tensor result = Tensor.zeros(shape);
    Tensor xb = Tensor.zeros(b, in[0], in[1]);
    shape[0] = b;
    Tensor ob = Tensor.zeros(shape);
    for (int first = 0; first < n; first += b) {
      int count = Math.min(b, n - first);
      System.arraycopy(x.data(), first * inPer, xb.data(), 0, count * inPer);
      java.util.Arrays.fill(xb.data(), count * inPer, xb.size(), 0.0);
      model.predict(xb, null, ob);
      System.arraycopy(ob.data(), 0, result.data(), first * outPer, count * outPer);
    }
    return result;
  }

  /** The loss and metrics over samples [offset, offset + count), in the trainer's batches. */
  private static double[] evaluateWith(BatchTrainer trainer, double[] xs, double[] ys, int offset, int count, int m) {
    double[] sums = new double[m + 1];
    int batch = trainer.batchSize();
    for (int first = 0; first < count; first += batch) {
      int c = Math.min(batch, count - first);
      for (int r = 0; r < c; r++) {
        trainer.copySample(xs, ys, offset + first + r, r);
      }
      sums[0] += trainer.step(c, false) * c;
      for (int i = 0; i < m; i++) {
        sums[i + 1] += trainer.metric(i) * c;
      }
    }
    for (int i = 0; i <= m; i++) {
      sums[i] /= count;
    }
    return sums;
  }

  private static int checkInput(SequenceModel model, Tensor x, String what) {
    int[] in = model.inputShape();
    if (x == null || x.rank() != 3 || x.dim(1) != in[0] || x.dim(2) != in[1] || x.dim(0) < 1) {
      throw new ShapeMismatchException(what, "(samples, " + in[0] + ", " + in[1] + ") with samples >= 1",
          x == null ? "null" : Tensor.format(x.shape()));
    }
    return x.dim(0);
  }

  private static int checkData(SequenceModel model, Tensor x, Tensor y, Loss loss, String xWhat, String yWhat) {
    int n = checkInput(model, x, xWhat);
    int[] out = model.outputShape();
    int outPer = 1;
    for (int d : out) {
      outPer *= d;
    }
    int per = loss.sparseTargets() ? outPer / out[out.length - 1] : outPer;
    if (y == null || y.rank() < 1 || y.dim(0) != n || y.size() != (long) n * per) {
      int[] full = new int[out.length + 1];
      full[0] = n;
      System.arraycopy(out, 0, full, 1, out.length);
      String expected = loss.sparseTargets()
          ? n + " samples of " + per + " class index(es)"
          : Tensor.format(full) + (per == 1 ? " or (" + n + ",)" : "");
      throw new ShapeMismatchException(yWhat, expected, y == null ? "null" : Tensor.format(y.shape()));
    }
    return n;
  }
}
