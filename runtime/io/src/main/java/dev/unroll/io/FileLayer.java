package dev.unroll.io;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import dev.unroll.Tensor;
import java.util.List;

/**
 * One layer as a weight file describes it: what {@link ModelFiles#load} compares with the model's
 * {@link dev.unroll.LayerInfo}, and what {@link DeclarationPrinter} turns into an annotation.
 *
 * <p>Files say different amounts: a Keras model file or configuration states every attribute; a
 * weights-only file and a PyTorch state dict give only what the weight shapes imply. What a file does
 * not state is {@code 0} ({@code timesteps}) or {@code null}. Readers build it with {@link #builder}.
 *
 * @param name the layer's name in the file ({@code lstm_1}, {@code dense_18}; for PyTorch the module,
 *     with {@code .l<k>} for layer k of a multi-layer {@code nn.LSTM}: {@code lstm2.l1})
 * @param className the Keras class name ({@code LSTM}, {@code Dense}, {@code Masking}, ...) or the
 *     PyTorch module type ({@code nn.LSTM}, {@code nn.Linear})
 * @param kind {@code "LSTM"}, {@code "GRU"}, {@code "Bidirectional"} or {@code "Dense"}, the {@link dev.unroll.LayerInfo#kind()} Unroll would
 *     declare; null for a layer Unroll does not have
 * @param units the width of the layer's output; 0 if unknown
 * @param inputs the width of its input (features, for the first LSTM); 0 if unknown
 * @param timesteps the sequence length the file states for this layer's input; 0 if not stated
 * @param activation Keras {@code activation}; null if not stated
 * @param recurrentActivation Keras {@code recurrent_activation} of an LSTM; null for Dense or if not stated
 * @param useBias whether the layer has a bias
 * @param returnSequences Keras {@code return_sequences}; null if not stated
 * @param returnState Keras {@code return_state}; null if not stated
 * @param goBackwards Keras {@code go_backwards}; null if not stated
 * @param resetAfter GRU {@code reset_after} (false for other kinds)
 * @param wrapped for a {@code Bidirectional} layer, the kind of its two directions ({@code LSTM} or
 *     {@code GRU}); null for other kinds
 * @param mergeMode for a {@code Bidirectional} layer, how it merges its directions; null for other kinds
 * @param weights the layer's weights in Keras {@code layer.get_weights()} order and shapes (converted
 *     from Keras 1 and PyTorch layouts); for a layer Unroll does not have, the arrays as stored
 * @param problem why Unroll cannot declare this layer as the file describes it, naming the layer; null
 *     if it can
 */
public record FileLayer(
    String name,
    String className,
    String kind,
    int units,
    int inputs,
    int timesteps,
    Activation activation,
    Activation recurrentActivation,
    boolean useBias,
    Boolean returnSequences,
    Boolean returnState,
    Boolean goBackwards,
    boolean resetAfter,
    String wrapped,
    MergeMode mergeMode,
    List<Tensor> weights,
    String problem) {

  public FileLayer {
    weights = List.copyOf(weights);
  }

  /** A layer that is neither a GRU nor a Bidirectional wrapper. */
  public FileLayer(String name, String className, String kind, int units, int inputs, int timesteps,
      Activation activation, Activation recurrentActivation, boolean useBias, Boolean returnSequences,
      Boolean returnState, Boolean goBackwards, List<Tensor> weights, String problem) {
    this(name, className, kind, units, inputs, timesteps, activation, recurrentActivation, useBias, returnSequences,
        returnState, goBackwards, false, null, null, weights, problem);
  }

  /** Whether Unroll can declare this layer: a known kind and no problem. */
  public boolean supported() {
    return kind != null && problem == null;
  }

  /** Whether this is an LSTM layer. */
  public boolean isLstm() {
    return "LSTM".equals(kind);
  }

  /** Whether this is a GRU layer. */
  public boolean isGru() {
    return "GRU".equals(kind);
  }

  /** Whether this is a Bidirectional wrapper of two LSTM or GRU layers ({@link #wrapped()}). */
  public boolean isBidirectional() {
    return "Bidirectional".equals(kind);
  }

  /** Whether this is a recurrent layer: LSTM, GRU or Bidirectional. */
  public boolean isRecurrent() {
    return isLstm() || isGru() || isBidirectional();
  }

  /** The number of weights, as Keras counts them. */
  public long paramCount() {
    long n = 0;
    for (Tensor t : weights) {
      n += t.size();
    }
    return n;
  }

  /** A copy with another activation. */
  FileLayer withActivation(Activation newActivation) {
    return toBuilder().activation(newActivation).build();
  }

  /** A copy with another input sequence length. */
  FileLayer withTimesteps(int newTimesteps) {
    return toBuilder().timesteps(newTimesteps).build();
  }

  /**
   * A builder of a layer with this name and class name; what is not set stays unstated: no kind,
   * {@code 0} units, inputs and timesteps, null activations and flags, no bias, no weights, no problem.
   */
  public static Builder builder(String name, String className) {
    return new Builder(name, className);
  }

  /** A builder that starts from this layer. */
  public Builder toBuilder() {
    Builder b = new Builder(name, className);
    b.kind = kind;
    b.units = units;
    b.inputs = inputs;
    b.timesteps = timesteps;
    b.activation = activation;
    b.recurrentActivation = recurrentActivation;
    b.useBias = useBias;
    b.returnSequences = returnSequences;
    b.returnState = returnState;
    b.goBackwards = goBackwards;
    b.resetAfter = resetAfter;
    b.wrapped = wrapped;
    b.mergeMode = mergeMode;
    b.weights = weights;
    b.problem = problem;
    return b;
  }

  /** Builds a {@link FileLayer}; each setter is named after the component it sets. */
  public static final class Builder {
    private final String name;
    private final String className;
    private String kind;
    private int units;
    private int inputs;
    private int timesteps;
    private Activation activation;
    private Activation recurrentActivation;
    private boolean useBias;
    private Boolean returnSequences;
    private Boolean returnState;
    private Boolean goBackwards;
    private boolean resetAfter;
    private String wrapped;
    private MergeMode mergeMode;
    private List<Tensor> weights = List.of();
    private String problem;

    private Builder(String name, String className) {
      this.name = name;
      this.className = className;
    }

    public Builder kind(String kind) {
      this.kind = kind;
      return this;
    }

    public Builder units(int units) {
      this.units = units;
      return this;
    }

    public Builder inputs(int inputs) {
      this.inputs = inputs;
      return this;
    }

    public Builder timesteps(int timesteps) {
      this.timesteps = timesteps;
      return this;
    }

    public Builder activation(Activation activation) {
      this.activation = activation;
      return this;
    }

    public Builder recurrentActivation(Activation recurrentActivation) {
      this.recurrentActivation = recurrentActivation;
      return this;
    }

    public Builder useBias(boolean useBias) {
      this.useBias = useBias;
      return this;
    }

    public Builder returnSequences(Boolean returnSequences) {
      this.returnSequences = returnSequences;
      return this;
    }

    public Builder returnState(Boolean returnState) {
      this.returnState = returnState;
      return this;
    }

    public Builder goBackwards(Boolean goBackwards) {
      this.goBackwards = goBackwards;
      return this;
    }

    public Builder resetAfter(boolean resetAfter) {
      this.resetAfter = resetAfter;
      return this;
    }

    public Builder wrapped(String wrapped) {
      this.wrapped = wrapped;
      return this;
    }

    public Builder mergeMode(MergeMode mergeMode) {
      this.mergeMode = mergeMode;
      return this;
    }

    public Builder weights(List<Tensor> weights) {
      this.weights = weights;
      return this;
    }

    public Builder problem(String problem) {
      this.problem = problem;
      return this;
    }

    public FileLayer build() {
      return new FileLayer(name, className, kind, units, inputs, timesteps, activation, recurrentActivation, useBias,
          returnSequences, returnState, goBackwards, resetAfter, wrapped, mergeMode, weights, problem);
    }
  }
}
