package dev.unroll.processor.writer;

import com.palantir.javapoet.CodeBlock;
import java.util.List;
import dev.unroll.processor.model.LstmLayer;

/**
 * The ports of an LSTM layer beyond those of every layer: its initial state (Keras initial_state),
 * its final cell state (return_state) and their gradients. Both forms of the layer offer them: the
 * written-out one for small layers ({@link ScalarLstmLayerWriter}) and the kernel one
 * ({@link LstmLayerWriter}).
 */
interface LstmPorts extends RecurrentPorts {

  @Override
  LstmLayer layer();

  /** Every step of h: block t+1 of h is h_t (block 0 holds the initial state). */
  @Override
  default CodeBlock sequence() {
    return CodeBlock.of("$N.h", field());
  }

  /** h_0 is block 1 of h: block 0 holds the initial state. */
  @Override
  default CodeBlock sequenceOffset() {
    return CodeBlock.of("batch * $L", layer().units());
  }

  @Override
  default CodeBlock last() {
    return CodeBlock.of("$N.h", field());
  }

  /** h_{T-1} is the last block of h. */
  @Override
  default CodeBlock lastOffset() {
    return CodeBlock.of("TIMESTEPS * batch * $L", layer().units());
  }

  @Override
  default CodeBlock dSequence() {
    return CodeBlock.of("$N.dhSeq", field());
  }

  @Override
  default CodeBlock dLast() {
    return CodeBlock.of("$N.dh", field());
  }

  @Override
  default List<String> stateNames() {
    return List.of("h", "c");
  }

  @Override
  default CodeBlock initialState(List<String> arrays) {
    return initialState(arrays.get(0), arrays.get(1));
  }

  @Override
  default CodeBlock lastState(int which) {
    return which == 0 ? last() : lastCell();
  }

  @Override
  default CodeBlock dLastState(int which) {
    return which == 0 ? dLast() : dLastCell();
  }

  @Override
  default boolean returnState() {
    return layer().returnState();
  }

  /** {@code layer.initialState(h0, c0);}: sets h_{-1} and c_{-1} from two arrays, or zeros when null. */
  default CodeBlock initialState(String h0, String c0) {
    return CodeBlock.of("$N.initialState($L, $L);\n", field(), h0, c0);
  }

  /** After {@code backward()}: dL/dh_{-1} ({@code which} = 0) or dL/dc_{-1} (1), (batch, units). */
  default CodeBlock dInitialState(int which) {
    return CodeBlock.of("$N.$L", field(), which == 0 ? "dh" : "dc");
  }

  /** The cell states, in blocks like h: the last step's c_{T-1} is at {@link #lastOffset()}. */
  default CodeBlock lastCell() {
    return CodeBlock.of("$N.c", field());
  }

  /** After {@code startBackward()}: the array that takes dL/dc of the last step (return_state). */
  default CodeBlock dLastCell() {
    return CodeBlock.of("$N.dc", field());
  }
}
