package dev.unroll.examples.train;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/** A small stacked model for the training tests: 10 steps of 2 features, LSTM 8, LSTM 4, Dense 1. */
@Lstm(units = 8, timesteps = 10, features = 2, returnSequences = true)
@Lstm(units = 4)
@Dense(units = 1)
interface TinyStack {}
