package dev.unroll.train;

import dev.unroll.Tensor;

/**
 * A loss function with the formula and the default reduction of Keras ({@code sum_over_batch_size}).
 *
 * <p>The model's output is seen as rows of {@code width} values, the last axis: (batch, units) has
 * {@code batch} rows; a sequence output (batch, timesteps, units) has {@code batch · timesteps} rows.
 * Each loss computes one value per row (Keras: the mean over the last axis for MSE, MAE, Huber and
 * binary cross-entropy; the sum over the classes for the categorical cross-entropies), then returns
 * the mean over the rows. That is Keras's reduction: the per-sample losses have shape (batch,) or
 * (batch, timesteps), and {@code sum_over_batch_size} divides their sum by their number of
 * elements, so for sequences Keras averages over the timesteps too.
 *
 * <p>Implementations write {@code d loss / d yPred} into a tensor the caller owns and reuses, and
 * allocate nothing.
 *
 * @see MeanSquaredError
 * @see MeanAbsoluteError
 * @see Huber
 * @see BinaryCrossentropy
 * @see CategoricalCrossentropy
 * @see SparseCategoricalCrossentropy
 */
public interface Loss {

  /** Keras's name for this loss, e.g. {@code mean_squared_error}. */
  String name();

  /**
   * Whether the targets are class indices, one per row, instead of one value per output
   * ({@link SparseCategoricalCrossentropy}).
   */
  default boolean sparseTargets() {
    return false;
  }

  /**
   * The loss of a batch, and optionally its gradient.
   *
   * @param yTrue targets, row-major: {@code rows · width} values, or {@code rows} class indices
   *     when {@link #sparseTargets()}. Not modified.
   * @param yPred predictions, {@code rows · width} values, row-major. Not modified.
   * @param dPred where to write d loss / d yPred ({@code rows · width} values), or null. Modified.
   * @param rows the number of rows (samples, or samples · timesteps), at least 1
   * @param width the size of the last axis
   * @return the mean over the rows of the per-row loss
   */
  double compute(double[] yTrue, double[] yPred, double[] dPred, int rows, int width);

  /**
   * The loss of a batch of tensors; the last axis of {@code yPred} is the width.
   *
   * @param yTrue shaped like {@code yPred} (any shape with the same number of values, e.g. (batch,)
   *     for a (batch, 1) output), or holding one class index per row when {@link #sparseTargets()}
   * @param dPred shaped like {@code yPred}, or null
   * @throws IllegalArgumentException if the sizes do not match
   */
  default double compute(Tensor yTrue, Tensor yPred, Tensor dPred) {
    int width = yPred.rank() == 0 ? 1 : yPred.dim(yPred.rank() - 1);
    if (width == 0 || yPred.size() == 0) {
      throw new IllegalArgumentException(name() + ": yPred " + Tensor.format(yPred.shape()) + " is empty");
    }
    int rows = yPred.size() / width;
    int expected = sparseTargets() ? rows : yPred.size();
    if (yTrue.size() != expected) {
      throw new IllegalArgumentException(name() + ": yTrue " + Tensor.format(yTrue.shape()) + " has " + yTrue.size()
          + " values; yPred " + Tensor.format(yPred.shape()) + " needs " + expected
          + (sparseTargets() ? " class indices, one per row" : ""));
    }
    if (dPred != null && dPred.size() != yPred.size()) {
      throw new IllegalArgumentException(name() + ": dPred " + Tensor.format(dPred.shape())
          + " must have the shape of yPred " + Tensor.format(yPred.shape()));
    }
    return compute(yTrue.data(), yPred.data(), dPred == null ? null : dPred.data(), rows, width);
  }
}
