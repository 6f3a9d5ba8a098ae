package dev.unroll.examples;

import dev.unroll.Lstm;

/** The classic question's first model: one unit, one timestep, x_t a single value. 12 parameters. */
@Lstm(units = 1, timesteps = 1, features = 1)
public interface OneFeature {}
