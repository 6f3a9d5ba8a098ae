package dev.unroll.internal;

import dev.unroll.Gradients;

/**
 * One model instance's check of the {@code into} argument of {@code gradients} and {@code backward}.
 * A {@link Gradients} cannot change its shapes (its lists are copies and a tensor's shape is final),
 * so one that passed {@link ModelTable#checkGradients} at a batch size passes again: the usual
 * training loop, which hands the same {@code into} to every call, is checked on its first call only.
 * At the seeds' sizes, where a call takes 0.15-0.2 µs, running the full check (loops over the table's
 * weights and states) on every call made {@code gradients} 1.1-1.5 times slower.
 *
 * <p>Not thread-safe, like the model that holds it.
 */
public final class GradientsCheck {
  private final ModelTable table;
  private Gradients checked;
  private int checkedBatch;

  public GradientsCheck(ModelTable table) {
    this.table = table;
  }

  /**
   * {@code into} when it fits a batch of {@code batch} samples, or new zero gradients when it is null.
   *
   * @throws dev.unroll.ShapeMismatchException naming the expected and actual shapes, when it does not fit
   */
  public Gradients check(Gradients into, int batch) {
    if (into != null && into == checked && batch == checkedBatch) {
      return into;
    }
    Gradients result = table.checkGradients(into, batch);
    checked = result;
    checkedBatch = batch;
    return result;
  }
}
