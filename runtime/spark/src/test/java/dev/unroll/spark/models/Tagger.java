package dev.unroll.spark.models;

import dev.unroll.Activation;
import dev.unroll.Dense;
import dev.unroll.Lstm;

/** A model with a sequence output: two values per timestep (5 timesteps of 2 features). */
@Lstm(units = 4, timesteps = 5, features = 2, returnSequences = true)
@Dense(units = 2, activation = Activation.TANH)
public interface Tagger {}
