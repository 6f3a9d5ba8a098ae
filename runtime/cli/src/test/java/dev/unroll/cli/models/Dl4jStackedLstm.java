package dev.unroll.cli.models;

import static dev.unroll.Activation.HARD_SIGMOID;
import static dev.unroll.Activation.SIGMOID;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/** dl4j-stacked-lstm-keras2.0.8-theano, as {@code unroll declare} prints it for the file and its configuration. */
@Lstm(units = 96, timesteps = 4, features = 12, returnSequences = true, recurrentActivation = HARD_SIGMOID)
@Lstm(units = 96, recurrentActivation = HARD_SIGMOID)
@Dense(units = 1, activation = SIGMOID)
public interface Dl4jStackedLstm {}
