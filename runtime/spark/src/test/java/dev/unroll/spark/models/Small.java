package dev.unroll.spark.models;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/** A small stack for the tests: an LSTM of 8 units over 6 timesteps of 3 features, and one output. */
@Lstm(units = 8, timesteps = 6, features = 3)
@Dense(units = 1)
public interface Small {}
