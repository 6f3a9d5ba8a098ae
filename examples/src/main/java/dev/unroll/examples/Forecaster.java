package dev.unroll.examples;

import dev.unroll.Activation;
import dev.unroll.Dense;
import dev.unroll.Lstm;

/**
 * A stacked model as a Keras {@code Sequential} would declare it: 24 steps of 3 features, two LSTM
 * layers and a Dense head. The build infers the second layer's 32 features and checks the stack.
 */
@Lstm(units = 32, timesteps = 24, features = 3, returnSequences = true)
@Lstm(units = 16)
@Dense(units = 8, activation = Activation.RELU)
@Dense(units = 1)
public interface Forecaster {}
