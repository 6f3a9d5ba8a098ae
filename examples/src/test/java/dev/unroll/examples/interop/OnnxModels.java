package dev.unroll.examples.interop;

import static dev.unroll.Activation.*;

import dev.unroll.Activation;
import dev.unroll.Bidirectional;
import dev.unroll.Dense;
import dev.unroll.Gru;
import dev.unroll.Input;
import dev.unroll.Layer;
import dev.unroll.Lstm;
import dev.unroll.MergeMode;

/**
 * The models of the ONNX files in {@code interop/onnx-torch1.13/} (see its {@code export_onnx.py}), as
 * Unroll declares them: what {@link OnnxFilesTest} loads the files into.
 */
final class OnnxModels {
  private OnnxModels() {}

  /** lstm_dense: nn.LSTM(3, 8, batch_first) → out[:, -1, :] → nn.Linear(8, 2) (Gemm). */
  @Lstm(units = 8, timesteps = 10, features = 3)
  @Dense(units = 2)
  interface LstmDense {}

  /**
   * lstm_stacked: nn.LSTM(3, 8, num_layers=2) → last step → Linear(8, 4), Tanh → Linear(4, 3), Softmax.
   * The declaration DeclarationPrinter prints for it (interop/expected/onnx-lstm-stacked.txt), pasted.
   */
  @Lstm(units = 8, timesteps = 10, features = 3, returnSequences = true) // rnn.l0 (LSTM)          (None, 10, 8)    384
  @Lstm(units = 8)                                                       // rnn.l1 (LSTM)          (None, 8)        544
  @Dense(units = 4, activation = TANH)                                   // head.0 (Dense)         (None, 4)        36
  @Dense(units = 3, activation = SOFTMAX)                                // head.2 (Dense)         (None, 3)        15
  interface LstmStacked {}                                               // Total params: 979

  /** lstm_hn_relu: nn.LSTM(3, 5) → h_n[-1] (Y_h) → Linear(5, 6), ReLU. */
  @Lstm(units = 5, timesteps = 10, features = 3)
  @Dense(units = 6, activation = Activation.RELU)
  interface LstmHnRelu {}

  /**
   * gru_dense: nn.GRU(3, 8) (linear_before_reset 1) → last step → Linear(8, 1). The declaration
   * DeclarationPrinter prints for it (interop/expected/onnx-gru.txt), pasted.
   */
  @Input(timesteps = 10, features = 3)
  interface GruDense {
    @Gru(units = 8) Layer rnn();    // rnn (GRU)              (None, 8)        312
    @Dense(units = 1) Layer head(); // head (Dense)           (None, 1)        9
  }                                 // Total params: 321

  /**
   * bilstm_seq: nn.LSTM(3, 6, bidirectional) → every step (B, T, 12) → Linear(12, 2), Sigmoid (MatMul +
   * Add). The declaration DeclarationPrinter prints for it (interop/expected/onnx-bilstm.txt), pasted.
   */
  @Input(timesteps = 10, features = 3)
  interface BiLstmSeq {
    @Bidirectional(mergeMode = MergeMode.CONCAT) @Lstm(units = 6, returnSequences = true) Layer rnn(); // rnn (Bidirectional)    (None, 10, 12)   480
    @Dense(units = 2, activation = SIGMOID) Layer head_0();                                            // head.0 (Dense)         (None, 10, 2)    26
  }                                                                                                    // Total params: 506

  /** lstm_seq_first: nn.LSTM(3, 4), time-major input and output → Linear(4, 2) per step. */
  @Lstm(units = 4, timesteps = 10, features = 3, returnSequences = true)
  @Dense(units = 2)
  interface LstmSeqFirst {}

  /** lstm_dense with other units, timesteps, direction and activation: a mismatch. */
  @Lstm(units = 6, timesteps = 12, features = 3, goBackwards = true)
  @Dense(units = 2, activation = Activation.SIGMOID)
  interface OtherLstmDense {}

  /** lstm_dense as a GRU: a mismatch of kind. */
  @Gru(units = 6, timesteps = 12, features = 3, goBackwards = true)
  @Dense(units = 2, activation = Activation.SIGMOID)
  interface NotLstmDense {}
}
