package dev.unroll.train;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import java.io.PrintStream;
import java.util.List;

/**
 * What a {@link Callback} sees of a running {@link Trainer#fit}: the model, the optimizer, the
 * history so far, and a way to stop (Keras's {@code model.stop_training = True}).
 */
public final class FitContext {
  private final SequenceModel model;
  private final Optimizer optimizer;
  private final History history;
  private final FitConfig config;
  private final BatchTrainer trainer;
  private boolean stop;

  FitContext(SequenceModel model, Optimizer optimizer, History history, FitConfig config, BatchTrainer trainer) {
    this.model = model;
    this.optimizer = optimizer;
    this.history = history;
    this.config = config;
    this.trainer = trainer;
  }

  /** The model being trained. Use {@link #setWeights(List)}, not the model's, to change its weights. */
  public SequenceModel model() {
    return model;
  }

  /** The optimizer; a callback may change its learning rate between epochs. */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** The epochs logged so far. */
  public History history() {
    return history;
  }

  /** The configuration of this fit. */
  public FitConfig config() {
    return config;
  }

  /** Where progress and callback messages go; null when quiet. */
  public PrintStream out() {
    return config.verbose() > 0 ? config.out() : null;
  }

  /** Stops training after the current epoch. */
  public void stopTraining() {
    stop = true;
  }

  /** Whether a callback asked to stop. */
  public boolean stopRequested() {
    return stop;
  }

  /**
   * Replaces the model's weights, and the copy the optimizer updates, so that training continues
   * from them. Shape-checked and all-or-nothing, as {@link SequenceModel#setWeights(List)}.
   */
  public void setWeights(List<Tensor> weights) {
    trainer.setWeights(weights);
  }
}
