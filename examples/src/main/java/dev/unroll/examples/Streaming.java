package dev.unroll.examples;

import dev.unroll.Dense;
import dev.unroll.Float32;
import dev.unroll.Lstm;

/**
 * A real-time model in float32, the shape of RTNeural's LSTM test model: one input value per step,
 * eight units, and a Dense head applied at every timestep.
 */
@Float32
@Lstm(units = 8, timesteps = 100, features = 1, returnSequences = true)
@Dense(units = 1)
public interface Streaming {}
