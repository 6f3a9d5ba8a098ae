package dev.unroll.examples.interop;

import static dev.unroll.Activation.*;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/** dl4j-stacked-lstm-keras2.0.8-theano, as DeclarationPrinter prints it for the file and its JSON configuration. */
@Lstm(units = 96, timesteps = 4, features = 12, returnSequences = true, recurrentActivation = HARD_SIGMOID)
@Lstm(units = 96, recurrentActivation = HARD_SIGMOID)
@Dense(units = 1, activation = SIGMOID)
interface Dl4jStackedLstm {}
