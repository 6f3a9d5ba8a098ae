package it.app;

import dev.unroll.Lstm;

@Lstm(units = 32, timesteps = 24, features = 3)
public interface Forecaster {}
