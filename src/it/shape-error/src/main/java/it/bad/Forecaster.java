package it.bad;

import dev.unroll.Lstm;

@Lstm(
    units = 0,
    timesteps = 24,
    features = 3)
public interface Forecaster {}
