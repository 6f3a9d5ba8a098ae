package dev.unroll.spark.models;

import dev.unroll.Lstm;

/** The README's model: 24 timesteps of 3 features, 32 units; the scaling run scores and trains it. */
@Lstm(units = 32, timesteps = 24, features = 3)
public interface Forecaster {}
