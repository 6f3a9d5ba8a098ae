package dev.unroll.examples.interop;

import dev.unroll.Input;
import dev.unroll.Layer;
import dev.unroll.Lstm;
import dev.unroll.Masking;

/** keras3.8-masking-lstm/model.keras as Keras built it: Masking(0.0), then LSTM(1), over (3, 2). */
@Input(timesteps = 3, features = 2)
interface MaskedKerasLstm {
  @Masking Layer masking();

  @Lstm(units = 1) Layer lstm();
}
