package dev.unroll.train;

/**
 * Keras {@code TerminateOnNaN}: stops training after the first batch whose loss is NaN or infinite.
 * The epoch ends there and is logged; {@link History#firstNonFinite()} says where it happened.
 * Combined with {@code EarlyStopping(restoreBestWeights)}, the model is left at its best finite weights.
 *
 * <pre>{@code
 * FitConfig.builder().loss(loss).optimizer(optimizer)
 *     .callbacks(new TerminateOnNaN(), new EarlyStopping().monitor("loss").restoreBestWeights(true)).build()
 * }</pre>
 */
public final class TerminateOnNaN implements Callback {
  private int stoppedEpoch = -1;
  private int stoppedBatch = -1;

  /** The epoch (from 0) in which training was terminated, or -1 if it was not. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The batch (from 0) after which training was terminated, or -1 if it was not. */
  public int stoppedBatch() {
    return stoppedBatch;
  }

  @Override
  public void onTrainBegin(FitContext context) {
    stoppedEpoch = -1;
    stoppedBatch = -1;
  }

  @Override
  public void onBatchEnd(FitContext context, int epoch, int batch, double loss) {
    if (!Double.isFinite(loss) && stoppedEpoch < 0) {
      stoppedEpoch = epoch;
      stoppedBatch = batch;
      if (context.out() != null) {
        context.out().println("Batch " + batch + ": Invalid loss, terminating training");
      }
      context.stopTraining();
    }
  }

  @Override
  public String toString() {
    return "TerminateOnNaN()";
  }
}
