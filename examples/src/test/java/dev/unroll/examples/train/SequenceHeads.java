package dev.unroll.examples.train;

import dev.unroll.Activation;
import dev.unroll.Dense;
import dev.unroll.Lstm;

/** Sequence outputs (batch, 4, 3) for the loss-through-training checks: a softmax head and a linear one. */
final class SequenceHeads {
  private SequenceHeads() {}

  @Lstm(units = 3, timesteps = 4, features = 2, returnSequences = true)
  @Dense(units = 3, activation = Activation.SOFTMAX)
  interface Softmax {}

  @Lstm(units = 3, timesteps = 4, features = 2, returnSequences = true)
  @Dense(units = 3)
  interface Linear {}
}
