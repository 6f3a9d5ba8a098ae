package dev.unroll.spark.models;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/**
 * The README's model, 32 units over 24 timesteps of 3 features, with one output (a Dense head): the
 * scaling run scores and trains it.
 */
@Lstm(units = 32, timesteps = 24, features = 3)
@Dense(units = 1)
public interface Forecaster {}
