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

  /**
   * After each training batch, with its loss (Keras's {@code on_train_batch_end}). A callback that
   * calls {@link FitContext#stopTraining()} here stops training after this batch: the epoch ends
   * early, is logged and ends as usual ({@code onEpochEnd}), and no further epoch runs.
   *
   * @param epoch the epoch, from 0
   * @param batch the batch within the epoch, from 0
   * @param loss the batch's mean loss, before its update
   */
  default void onBatchEnd(FitContext context, int epoch, int batch, double loss) {}

  /** After the last epoch, or after training was stopped. */
  default void onTrainEnd(FitContext context) {}
}
