package dev.unroll;

import java.util.List;

/**
 * Gradients of a loss with respect to every weight of a model and to its input, as computed by
 * {@link SequenceModel#gradients(Tensor, Tensor, Gradients)}.
 *
 * <p>A {@code Gradients} can be passed back to the model to be filled again, so that training
 * allocates nothing per batch.
 */
public final class Gradients {
  private final List<Tensor> weights;
  private final Tensor input;
  private final List<Tensor> initialState;

  /** Gradients with the given tensors, without initial-state gradients. */
  public Gradients(List<Tensor> weights, Tensor input) {
    this(weights, input, List.of());
  }

  /** Gradients with the given tensors; used by generated models. */
  public Gradients(List<Tensor> weights, Tensor input, List<Tensor> initialState) {
    this.weights = List.copyOf(weights);
    this.input = input;
    this.initialState = List.copyOf(initialState);
  }

  /** d loss / d weight, aligned with {@link SequenceModel#getWeights()}: same order, same shapes. */
  public List<Tensor> weights() {
    return weights;
  }

  /** d loss / d x, shaped like the input (batch, timesteps, features). */
  public Tensor input() {
    return input;
  }

  /**
   * d loss / d h0 and d loss / d c0, each (batch, units) of the first LSTM layer: the gradients of
   * its initial state (zero unless one was given).
   */
  public List<Tensor> initialState() {
    return initialState;
  }
}
