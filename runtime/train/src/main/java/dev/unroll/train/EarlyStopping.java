package dev.unroll.train;

import dev.unroll.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Keras {@code EarlyStopping}: stops training when the monitored quantity has not improved for
 * {@code patience} epochs, and with {@code restoreBestWeights} puts back the weights of the best
 * epoch when training ends.
 *
 * <p>Defaults as Keras: monitor {@code val_loss}, min delta 0, patience 0, mode auto, no baseline,
 * restore off, start from epoch 0. An improvement is a value better than the best so far by more
 * than {@code minDelta}. With a baseline, the wait restarts only on values better than it. Unlike
 * Keras, which warns, a monitor that fit does not log is an error. Reusable: each fit starts afresh.
 *
 * <p>With {@code restoreBestWeights}, the model is left at its best finite weights: an epoch whose
 * weights are not all finite is never the best (nor is a NaN monitored value), and if no epoch ended
 * with finite weights and training ends with weights that are not, the weights it started from are
 * put back.
 *
 * <pre>{@code
 * new EarlyStopping().monitor("val_loss").patience(5).restoreBestWeights(true)
 * }</pre>
 */
public final class EarlyStopping implements Callback {
  private String monitor = "val_loss";
  private double minDelta;
  private int patience;
  private Monitor mode = Monitor.AUTO;
  private Double baseline;
  private boolean restoreBestWeights;
  private int startFromEpoch;
  private boolean verbose;

  private boolean lower;
  private double best;
  private int wait;
  private int stoppedEpoch;
  private int bestEpoch;
  private List<Tensor> bestWeights;
  private List<Tensor> initialWeights;

  /** Keras's defaults. */
  public EarlyStopping() {}

  public EarlyStopping monitor(String monitor) {
    this.monitor = java.util.Objects.requireNonNull(monitor, "monitor");
    return this;
  }

  /** The least change that counts as an improvement (its absolute value is used). */
  public EarlyStopping minDelta(double minDelta) {
    this.minDelta = Math.abs(minDelta);
    return this;
  }

  /** Epochs without improvement after which training stops. */
  public EarlyStopping patience(int patience) {
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be at least 0, found " + patience);
    }
    this.patience = patience;
    return this;
  }

  public EarlyStopping mode(Monitor mode) {
    this.mode = java.util.Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** A value the monitored quantity must beat for the wait to restart. */
  public EarlyStopping baseline(double baseline) {
    this.baseline = baseline;
    return this;
  }

  /** Whether to restore the best epoch's weights when training ends. */
  public EarlyStopping restoreBestWeights(boolean restore) {
    this.restoreBestWeights = restore;
    return this;
  }

  /** Epochs to let pass before monitoring (a warm-up). */
  public EarlyStopping startFromEpoch(int epoch) {
    this.startFromEpoch = Math.max(0, epoch);
    return this;
  }

  /** Print when stopping and restoring (Keras {@code verbose=1}). */
  public EarlyStopping verbose(boolean verbose) {
    this.verbose = verbose;
    return this;
  }

  /** The epoch (from 0) at which training was stopped, or 0 if it was not. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The epoch (from 0) with the best monitored value. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The best monitored value. */
  public double best() {
    return best;
  }

  @Override
  public void onTrainBegin(FitContext context) {
    lower = mode.lowerIsBetter(monitor);
    best = lower ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    wait = 0;
    stoppedEpoch = 0;
    bestEpoch = 0;
    bestWeights = null;
    initialWeights = restoreBestWeights ? finiteOrNull(context.model().getWeights()) : null;
  }

  @Override
  public void onEpochEnd(FitContext context, int epoch, Map<String, Double> logs) {
    double current = Monitor.value(monitor, logs, "EarlyStopping");
    if (epoch < startFromEpoch) {
      return;
    }
    if (restoreBestWeights && bestWeights == null) {
      bestWeights = finiteOrNull(context.model().getWeights());
      bestEpoch = epoch;
    }
    wait++;
    List<Tensor> finite = restoreBestWeights ? finiteOrNull(context.model().getWeights()) : null;
    // with restoreBestWeights, an epoch whose weights are not all finite is never the best
    if (isImprovement(current, best) && (!restoreBestWeights || finite != null)) {
      best = current;
      bestEpoch = epoch;
      if (restoreBestWeights) {
        bestWeights = finite;
      }
      if (baseline == null || isImprovement(current, baseline)) {
        wait = 0;
      }
      return;
    }
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      context.stopTraining();
    }
  }

  @Override
  public void onTrainEnd(FitContext context) {
    boolean talk = verbose && context.out() != null;
    if (stoppedEpoch > 0 && talk) {
      context.out().println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
    }
    if (restoreBestWeights && bestWeights != null) {
      if (talk) {
        context.out().println("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
      }
      context.setWeights(bestWeights);
    } else if (restoreBestWeights && initialWeights != null
        && finiteOrNull(context.model().getWeights()) == null) {
      // no epoch ended with finite weights: the best finite weights are those training started from
      if (talk) {
        context.out().println("Restoring model weights from before training: no epoch ended with finite weights.");
      }
      context.setWeights(initialWeights);
    }
  }

  /** {@code weights} if every value is finite, else null: a diverged epoch's weights are never the best to restore. */
  private static List<Tensor> finiteOrNull(List<Tensor> weights) {
    for (Tensor t : weights) {
      for (int i = 0; i < t.size(); i++) {
        if (!Double.isFinite(t.data()[i])) {
          return null;
        }
      }
    }
    return weights;
  }

  private boolean isImprovement(double value, double reference) {
    return lower ? value + minDelta < reference : value - minDelta > reference;
  }

  @Override
  public String toString() {
    return "EarlyStopping(monitor=" + monitor + ", patience=" + patience + ", minDelta=" + minDelta
        + ", restoreBestWeights=" + restoreBestWeights + ")";
  }
}
