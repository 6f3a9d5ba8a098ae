package dev.unroll;

import java.util.List;

/**
 * A view of one layer of a generated model: its name, kind and output shape, and copies of its
 * weights in Keras order. The member form's layer methods return it
 * ({@code model.encoder().kernel(Gate.F)}); {@link SequenceModel#layer(String)} gives it for any
 * layer of any model. A view reads the model's current weights on every call; it holds no copy.
 */
public interface Layer {

  /** The Keras layer name: the method's name in the member form, {@code lstm}, {@code dense_1}, ... otherwise. */
  String name();

  /** The Keras class name: {@code LSTM}, {@code GRU}, {@code Bidirectional} or {@code Dense}. */
  String kind();

  /** The output shape of one sample, as Keras prints it without the batch axis: (units) or (timesteps, units). */
  int[] outputShape();

  /** Weights as Keras counts them. */
  long paramCount();

  /** The layer as declared and inferred at compile time. */
  LayerInfo info();

  /** The Keras names of its weights, in {@code layer.get_weights()} order: kernel, recurrent_kernel, bias (or kernel, bias). */
  List<String> weightNames();

  /** Copies of its weights, in {@code layer.get_weights()} order, shaped as Keras shapes them. */
  List<Tensor> weights();

  /**
   * A copy of one gate's block of the kernel W: (inputs, units).
   *
   * @throws UnsupportedOperationException if the layer has no gates (Dense)
   */
  Tensor kernel(Gate gate);

  /**
   * A copy of one gate's block of the recurrent kernel U: (units, units).
   *
   * @throws UnsupportedOperationException if the layer has no gates (Dense)
   */
  Tensor recurrentKernel(Gate gate);

  /**
   * A copy of one gate's block of the bias b: (units).
   *
   * @throws UnsupportedOperationException if the layer has no gates (Dense), or no bias
   */
  Tensor bias(Gate gate);

  /**
   * A copy of one GRU gate's block of the kernel W: (inputs, units).
   *
   * @throws UnsupportedOperationException if the layer is not a GRU
   */
  Tensor kernel(GruGate gate);

  /**
   * A copy of one GRU gate's block of the recurrent kernel U: (units, units).
   *
   * @throws UnsupportedOperationException if the layer is not a GRU
   */
  Tensor recurrentKernel(GruGate gate);

  /**
   * A copy of one GRU gate's block of the input bias b: (units). With {@code resetAfter}, row 0 of
   * the (2, 3·units) bias; see {@link #recurrentBias(GruGate)} for row 1.
   *
   * @throws UnsupportedOperationException if the layer is not a GRU, or has no bias
   */
  Tensor bias(GruGate gate);

  /**
   * A copy of one GRU gate's block of the recurrent bias b' (row 1 of the bias): (units).
   *
   * @throws UnsupportedOperationException if the layer is not a GRU with {@code resetAfter} and a bias
   */
  Tensor recurrentBias(GruGate gate);

  /**
   * The forward direction of a Bidirectional layer, as a layer of its own ({@code forward_lstm}):
   * its weights and gate views.
   *
   * @throws UnsupportedOperationException if the layer is not Bidirectional
   */
  Layer forwardLayer();

  /**
   * The backward direction of a Bidirectional layer ({@code backward_lstm}), which reads each
   * sequence from its last step.
   *
   * @throws UnsupportedOperationException if the layer is not Bidirectional
   */
  Layer backwardLayer();
}
