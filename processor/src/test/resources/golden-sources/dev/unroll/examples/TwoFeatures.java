package dev.unroll.examples;

import dev.unroll.Lstm;

/**
 * The classic question's second model: one unit, one timestep, x_t a vector of two values. The
 * kernel becomes (2, 4) and the layer has 16 parameters.
 */
@Lstm(units = 1, timesteps = 1, features = 2)
public interface TwoFeatures {}
