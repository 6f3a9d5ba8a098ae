package dev.unroll.processor.writer;

import com.palantir.javapoet.CodeBlock;
import dev.unroll.processor.model.LstmLayer;

/**
 * The ports of an LSTM layer beyond those of every layer: its initial state (Keras initial_state),
 * its final cell state (return_state) and their gradients. Both forms of the layer offer them: the
 * written-out one for small layers ({@link ScalarLstmLayerWriter}) and the kernel one
 * ({@link LstmLayerWriter}).
 */
interface LstmPorts extends LayerWriter {

  @Override
  LstmLayer layer();

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
