package dev.unroll.examples.interop;

import static dev.unroll.Activation.RELU;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/**
 * The model of a real tf.keras 2.12 file ({@code lstm.h5}: LSTM(50, relu) on 50 steps of one feature,
 * then Dense 25 → 10 → 1), declared as {@link dev.unroll.io.DeclarationPrinter} prints it for that file.
 */
@Lstm(units = 50, timesteps = 50, features = 1, activation = RELU)
@Dense(units = 25)
@Dense(units = 10)
@Dense(units = 1)
public interface LstmDenseForecaster {}
