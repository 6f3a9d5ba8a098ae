package dev.unroll.examples.interop;

import dev.unroll.Bidirectional;
import dev.unroll.Dense;
import dev.unroll.Gru;
import dev.unroll.Input;
import dev.unroll.Layer;
import dev.unroll.Lstm;
import dev.unroll.MergeMode;

/**
 * The PyTorch models of test resources {@code interop/torch-gru-bidirectional/} (make_torch.py there),
 * as Unroll declares them: PyTorch's GRU is Keras's with reset_after, and a bidirectional module
 * concatenates its directions.
 */
final class TorchRecurrent {
  private TorchRecurrent() {}
}

/** nn.GRU(3, 5) → nn.Linear(5, 2) on the last step. */
@Input(timesteps = 7, features = 3)
interface TorchGruLinear {
  @Gru(units = 5) Layer gru();

  @Dense(units = 2) Layer fc();
}

/** nn.LSTM(3, 4, bidirectional=True) → nn.Linear(8, 1) on every step. */
@Input(timesteps = 7, features = 3)
interface TorchBiLstmLinear {
  @Bidirectional(mergeMode = MergeMode.CONCAT) @Lstm(units = 4, returnSequences = true) Layer lstm();

  @Dense(units = 1) Layer fc();
}

/**
 * nn.GRU(3, 4, num_layers=2, bidirectional=True) → nn.Linear(8, 2) on the top layer's two final states: the
 * declaration DeclarationPrinter prints for bigru2_linear.npz with --timesteps 7, pasted.
 */
@Input(timesteps = 7, features = 3)
interface TorchBiGru2Linear {
  @Bidirectional(mergeMode = MergeMode.CONCAT) @Gru(units = 4, returnSequences = true) Layer gru_l0();
  @Bidirectional(mergeMode = MergeMode.CONCAT) @Gru(units = 4) Layer gru_l1();
  @Dense(units = 2) Layer fc();
}
