package dev.unroll.examples.interop;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/**
 * RTNeural's PyTorch model: nn.LSTM(1, 8) → nn.LSTM(8, 8, num_layers=3) → nn.Linear(8, 1), run over one
 * sequence of 1000 steps with an output per step (so the last LSTM returns sequences too).
 */
@Lstm(units = 8, timesteps = 1000, features = 1, returnSequences = true)
@Lstm(units = 8, returnSequences = true)
@Lstm(units = 8, returnSequences = true)
@Lstm(units = 8, returnSequences = true)
@Dense(units = 1)
interface RtNeuralTorchLstm {}
