package dev.unroll.examples.interop;

import static dev.unroll.Activation.*;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/**
 * The dl4j model with Keras 3's hard sigmoid ({@code x/6 + 1/2}) as recurrent activation: what a Keras 3
 * file of the same model declares, and what a Keras 1/2 file must not be loaded into.
 */
@Lstm(units = 96, timesteps = 4, features = 12, returnSequences = true, recurrentActivation = HARD_SIGMOID_KERAS3)
@Lstm(units = 96, recurrentActivation = HARD_SIGMOID_KERAS3)
@Dense(units = 1, activation = SIGMOID)
interface Dl4jStackedLstmKeras3 {}
