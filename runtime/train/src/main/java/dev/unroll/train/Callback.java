package dev.unroll.train;

import java.util.Map;

/**
 * Called by {@link Trainer#fit} at the start and end of training and of each epoch, as a Keras
 * callback. Epochs are numbered from 0, as in Keras ({@code Epoch 1/n} on the console is epoch 0).
 *
 * @see EarlyStopping
 * @see ModelCheckpoint
 * @see LearningRateScheduler
 */
public interface Callback {

  /** Before the first epoch. */
  default void onTrainBegin(FitContext context) {}

  /** Before each epoch's first batch. */
  default void onEpochBegin(FitContext context, int epoch) {}

  /**
   * After each epoch and its validation.
   *
   * @param logs {@code loss}, metrics, {@code val_loss}, ... of this epoch (read-only)
   */
  default void onEpochEnd(FitContext context, int epoch, Map<String, Double> logs) {}

  /** After the last epoch, or after training was stopped. */
  default void onTrainEnd(FitContext context) {}
}
