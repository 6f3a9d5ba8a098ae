package dev.unroll.train;

import dev.unroll.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras {@code ModelCheckpoint} for weights: after each epoch, saves the model's weights as an
 * {@code .npz} file ({@link Weights#save}), or with {@code saveBestOnly} only when the monitored
 * quantity (default {@code val_loss}) is the best so far.
 *
 * <p>The path may hold Keras-style placeholders: {@code {epoch}} (from 1), {@code {epoch:03d}}, and
 * any logged value such as {@code {val_loss:.4f}}.
 *
 * <p>Unlike Keras, weights that are not all finite are never written: a diverged epoch neither counts as
 * the best nor overwrites the last good file, and a monitored value that is NaN is never an
 * improvement. If training ends with weights that are not all finite (it diverged), the model is put
 * back to the weights last written in this fit (with {@code saveBestOnly}, the best), so that it is left
 * at its best finite weights; a fit that ends finite keeps its last weights, as in Keras.
 *
 * <pre>{@code
 * new ModelCheckpoint("target/best.npz").saveBestOnly(true)
 * new ModelCheckpoint("target/ckpt-{epoch:02d}-{val_loss:.4f}.npz")
 * }</pre>
 */
public final class ModelCheckpoint implements Callback {
  private static final Pattern FIELD = Pattern.compile("\\{(\\w+)(?::([^}]*))?\\}");

  private final String path;
  private String monitor = "val_loss";
  private boolean saveBestOnly;
  private Monitor mode = Monitor.AUTO;
  private boolean verbose;
  private double best;
  private boolean lower;
  private Path lastSaved;
  private List<Tensor> lastSavedWeights;
  private int lastSavedEpoch;
  private boolean restored;

  /** Saves to {@code path} after every epoch. */
  public ModelCheckpoint(String path) {
    this.path = java.util.Objects.requireNonNull(path, "path");
  }

  /** Saves to {@code path} after every epoch. */
  public ModelCheckpoint(Path path) {
    this(path.toString());
  }

  public ModelCheckpoint monitor(String monitor) {
    this.monitor = java.util.Objects.requireNonNull(monitor, "monitor");
    return this;
  }

  /** Save only when the monitored quantity improves on the best so far. */
  public ModelCheckpoint saveBestOnly(boolean saveBestOnly) {
    this.saveBestOnly = saveBestOnly;
    return this;
  }

  public ModelCheckpoint mode(Monitor mode) {
    this.mode = java.util.Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** Print each save (Keras {@code verbose=1}). */
  public ModelCheckpoint verbose(boolean verbose) {
    this.verbose = verbose;
    return this;
  }

  /** The file written last, or null. */
  public Path lastSaved() {
    return lastSaved;
  }

  /**
   * Whether the last fit ended with weights that were not all finite and the model was put back to
   * those of {@link #lastSaved()}.
   */
  public boolean restored() {
    return restored;
  }

  @Override
  public void onTrainBegin(FitContext context) {
    lower = mode.lowerIsBetter(monitor);
    best = lower ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    lastSaved = null;
    lastSavedWeights = null;
    restored = false;
  }

  @Override
  public void onEpochEnd(FitContext context, int epoch, Map<String, Double> logs) {
    Path file = Path.of(format(path, epoch, logs));
    boolean talk = verbose && context.out() != null;
    List<Tensor> weights = context.model().getWeights();
    String bad = firstNonFinite(weights);
    if (bad != null) {
      if (talk) {
        context.out().printf(Locale.ROOT, "Epoch %d: the weights are not finite (%s), not saving them%n", epoch + 1,
            bad);
      }
      return;
    }
    if (saveBestOnly) {
      double current = Monitor.value(monitor, logs, "ModelCheckpoint");
      if (!(lower ? current < best : current > best)) {
        if (talk) {
          context.out().printf(Locale.ROOT, "Epoch %d: %s did not improve from %.5f%n", epoch + 1, monitor, best);
        }
        return;
      }
      if (talk) {
        context.out().printf(Locale.ROOT, "Epoch %d: %s improved from %.5f to %.5f, saving model to %s%n", epoch + 1,
            monitor, best, current, file);
      }
      best = current;
    } else if (talk) {
      context.out().printf(Locale.ROOT, "Epoch %d: saving model to %s%n", epoch + 1, file);
    }
    try {
      Weights.save(context.model(), file);
    } catch (IOException e) {
      throw new UncheckedIOException("ModelCheckpoint: cannot write " + file, e);
    }
    lastSaved = file;
    lastSavedWeights = weights;
    lastSavedEpoch = epoch;
  }

  @Override
  public void onTrainEnd(FitContext context) {
    if (lastSavedWeights == null || firstNonFinite(context.model().getWeights()) == null) {
      return;
    }
    if (verbose && context.out() != null) {
      context.out().printf(Locale.ROOT, "The weights are not finite at the end of training: restoring those of epoch"
          + " %d, saved to %s%n", lastSavedEpoch + 1, lastSaved);
    }
    context.setWeights(lastSavedWeights);
    restored = true;
  }

  /** {@code weight [i] at (r, c): NaN} for the first value that is not finite, or null. */
  static String firstNonFinite(List<Tensor> weights) {
    for (int w = 0; w < weights.size(); w++) {
      Tensor t = weights.get(w);
      double[] d = t.data();
      for (int i = 0; i < t.size(); i++) {
        if (!Double.isFinite(d[i])) {
          int[] index = new int[t.rank()];
          int rest = i;
          for (int a = t.rank() - 1; a >= 0; a--) {
            index[a] = rest % t.dim(a);
            rest /= t.dim(a);
          }
          return "weight [" + w + "] at " + Tensor.format(index) + ": " + d[i];
        }
      }
    }
    return null;
  }

  /** The path with its placeholders filled. */
  static String format(String pattern, int epoch, Map<String, Double> logs) {
    Matcher m = FIELD.matcher(pattern);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String spec = m.group(2);
      String value;
      if (key.equals("epoch")) {
        value = spec == null ? Integer.toString(epoch + 1) : String.format(Locale.ROOT, "%" + spec, epoch + 1);
      } else if (logs.containsKey(key)) {
        double v = logs.get(key);
        value = spec == null ? Double.toString(v) : String.format(Locale.ROOT, "%" + spec, v);
      } else {
        throw new IllegalArgumentException("ModelCheckpoint: path " + pattern + " names {" + key
            + "}, which is neither epoch nor a logged value " + logs.keySet());
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  @Override
  public String toString() {
    return "ModelCheckpoint(" + path + (saveBestOnly ? ", saveBestOnly on " + monitor : "") + ")";
  }
}
