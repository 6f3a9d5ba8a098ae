package dev.unroll.examples.interop;

import dev.unroll.Lstm;

/** The LSTM of keras3.8-masking-lstm/model.keras without its Masking layer: the file does not load into it. */
@Lstm(units = 1, timesteps = 3, features = 2)
interface MaskingLstm {}
