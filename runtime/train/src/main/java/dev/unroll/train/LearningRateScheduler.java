package dev.unroll.train;

import java.util.Locale;

/**
 * Keras {@code LearningRateScheduler}: before each epoch, sets the optimizer's learning rate to
 * {@code schedule(epoch, currentRate)} (epochs from 0). For a rate that changes every step, give the
 * optimizer a {@link LearningRateSchedule} instead.
 *
 * <pre>{@code
 * new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1))
 * }</pre>
 */
public final class LearningRateScheduler implements Callback {
  /** The rate for an epoch, from the epoch and the current rate. */
  @FunctionalInterface
  public interface Schedule {
    double rate(int epoch, double currentRate);
  }

  private final Schedule schedule;
  private boolean verbose;

  public LearningRateScheduler(Schedule schedule) {
    this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
  }

  /** Print each change (Keras {@code verbose=1}). */
  public LearningRateScheduler verbose(boolean verbose) {
    this.verbose = verbose;
    return this;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the optimizer's rate comes from a {@link LearningRateSchedule}
   *     (Keras refuses that too)
   */
  @Override
  public void onEpochBegin(FitContext context, int epoch) {
    if (context.optimizer().hasSchedule()) {
      throw new IllegalStateException("LearningRateScheduler: " + context.optimizer()
          + " takes its rate from a LearningRateSchedule; use one or the other");
    }
    double rate = schedule.rate(epoch, context.optimizer().learningRate());
    context.optimizer().learningRate(rate);
    if (verbose && context.out() != null) {
      context.out().printf(Locale.ROOT, "%nEpoch %d: LearningRateScheduler setting learning rate to %s.%n", epoch + 1,
          rate);
    }
  }
}
