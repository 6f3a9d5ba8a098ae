package dev.unroll.cli.models;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/**
 * A model that lstm.h5 does not fit: 32 units instead of 50, 2 features instead of 1, tanh instead of
 * relu, and one Dense layer instead of three.
 */
@Lstm(units = 32, timesteps = 50, features = 2)
@Dense(units = 1)
public interface WrongForecaster {}
