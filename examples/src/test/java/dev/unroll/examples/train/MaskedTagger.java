package dev.unroll.examples.train;

import dev.unroll.Dense;
import dev.unroll.Input;
import dev.unroll.Layer;
import dev.unroll.Lstm;
import dev.unroll.Masking;

/** Sequences of up to 8 steps of 2 features, right-padded with zeros, and a value per step: the mask reaches the output. */
@Input(timesteps = 8, features = 2)
interface MaskedTagger {
  @Masking Layer masking();

  @Lstm(units = 6, returnSequences = true) Layer lstm();

  @Dense(units = 1) Layer dense();
}
