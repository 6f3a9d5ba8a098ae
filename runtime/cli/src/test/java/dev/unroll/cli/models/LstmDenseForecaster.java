package dev.unroll.cli.models;

import static dev.unroll.Activation.RELU;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/** herziox-tf2.12-lstm-dense/lstm.h5, as {@code unroll declare} prints it. */
@Lstm(units = 50, timesteps = 50, features = 1, activation = RELU)
@Dense(units = 25)
@Dense(units = 10)
@Dense(units = 1)
public interface LstmDenseForecaster {}
