package dev.unroll.examples.interop;

import static dev.unroll.Activation.TANH;

import dev.unroll.Dense;
import dev.unroll.Input;
import dev.unroll.Layer;
import dev.unroll.Lstm;

/**
 * The PyTorch models of test resources {@code interop/torch-linear-first/} (make_torch.py there): an
 * {@code nn.Linear} applied to every step before the {@code nn.LSTM}, as Unroll declares them (the
 * declaration {@code DeclarationPrinter} prints, with the tanh that forward() applies after the embedding).
 */
final class TorchLinearFirst {
  private TorchLinearFirst() {}
}

/** nn.Linear(3, 6) and tanh on every step → nn.LSTM(6, 5) → nn.Linear(5, 2) on the last step. */
@Input(timesteps = 7, features = 3)
interface TorchLinearLstmLinear {
  @Dense(units = 6, activation = TANH) Layer embed();

  @Lstm(units = 5) Layer lstm();

  @Dense(units = 2) Layer head();
}

/** nn.Linear(4, 4) on every step → nn.LSTM(4, 4) → nn.Linear(4, 1) on the last step. */
@Input(timesteps = 7, features = 4)
interface TorchSquareLinearLstm {
  @Dense(units = 4) Layer proj();

  @Lstm(units = 4) Layer rnn();

  @Dense(units = 1) Layer out();
}
