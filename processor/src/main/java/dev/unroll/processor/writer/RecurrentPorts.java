package dev.unroll.processor.writer;

import com.palantir.javapoet.CodeBlock;
import java.util.List;

/**
 * The ports of a recurrent layer beyond those of every layer: its state (h for a GRU; h and c for an
 * LSTM), which the first recurrent layer takes as the model's initial state and the last may return
 * (Keras return_state), and the gradients of both.
 */
interface RecurrentPorts extends LayerWriter {

  /** The state's parts, in Keras order: {@code h}, or {@code h, c}. */
  List<String> stateNames();

  /** The width of each part of the state: the layer's units. */
  default int stateWidth() {
    return layer().outputWidth();
  }

  /** Sets the state before the first step from arrays (one per part, (batch, units)), or zeros when null. */
  CodeBlock initialState(List<String> arrays);

  /** After {@code backward()}: dL/d(part {@code which} of the initial state), (batch, units). */
  CodeBlock dInitialState(int which);

  /** Part {@code which} of the state after the last step, at {@link #lastOffset()}. */
  CodeBlock lastState(int which);

  /** After {@code startBackward()}: the array that takes dL/d(part {@code which} of the last state). */
  CodeBlock dLastState(int which);

  /** Whether the layer returns its state (Keras return_state). */
  boolean returnState();

  /** A sentence of the model's Javadoc: where the reader finds the step and its backpropagation. */
  CodeBlock whereTheStepIs();
}
