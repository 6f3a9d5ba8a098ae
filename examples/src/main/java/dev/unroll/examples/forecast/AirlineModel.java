package dev.unroll.examples.forecast;

import dev.unroll.Dense;
import dev.unroll.Lstm;

/**
 * The forecaster of {@link AirlineForecast}: windows of 12 months of 3 features (the classic
 * question's input_dim &gt; 1), two stacked LSTM layers and a Dense head that outputs next month's
 * scaled log change. The build generates {@code UnrolledAirlineModel} (2,089 parameters).
 */
@Lstm(units = 16, timesteps = AirlineModel.TIMESTEPS, features = AirlineModel.FEATURES, returnSequences = true)
@Lstm(units = 8)
@Dense(units = 1)
public interface AirlineModel {
  /** Months per window. */
  int TIMESTEPS = 12;

  /** Values per month: the log level relative to the window's last month, sin and cos of the month. */
  int FEATURES = 3;
}
