package dev.unroll.flink.models;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/** A stack for the streaming tests: two LSTM layers (state: 2·6 + 2·3 values) and a Dense head. */
@Lstm(units = 6, timesteps = 4, features = 2, returnSequences = true)
@Lstm(units = 3)
@Dense(units = 2)
public interface Sensor {}
