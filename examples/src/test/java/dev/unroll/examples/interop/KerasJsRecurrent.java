package dev.unroll.examples.interop;

import static dev.unroll.Activation.HARD_SIGMOID;
import static dev.unroll.Activation.SIGMOID;

import dev.unroll.Bidirectional;
import dev.unroll.Gru;
import dev.unroll.Input;
import dev.unroll.Layer;
import dev.unroll.Lstm;
import dev.unroll.MergeMode;

/**
 * The layers of keras-js's Keras 2.0 test cases (test resources {@code interop/kerasjs-keras2.0-recurrent/},
 * see its SOURCE.md): GRU.0 to GRU.4 (Keras 2.0's GRU computes as reset_after = false) and
 * Bidirectional.5 and .6, each as Unroll declares it (KjsGru4 and KjsBiGru as DeclarationPrinter prints them
 * for their .h5 files, pasted); and the models the mismatch tests load them into.
 */
final class KerasJsRecurrent {
  private KerasJsRecurrent() {}
}

/** GRU.0: GRU(4, tanh, hard_sigmoid) on (3, 6). */
@Input(timesteps = 3, features = 6)
interface KjsGru0 {
  @Gru(units = 4, recurrentActivation = HARD_SIGMOID, resetAfter = false) Layer gru();
}

/** GRU.1: GRU(5, sigmoid, sigmoid) on (8, 5). */
@Input(timesteps = 8, features = 5)
interface KjsGru1 {
  @Gru(units = 5, activation = SIGMOID, recurrentActivation = SIGMOID, resetAfter = false) Layer gru();
}

/** GRU.2: GRU.0 with return_sequences. */
@Input(timesteps = 3, features = 6)
interface KjsGru2 {
  @Gru(units = 4, recurrentActivation = HARD_SIGMOID, resetAfter = false, returnSequences = true) Layer gru();
}

/** GRU.3: GRU.0 with go_backwards. */
@Input(timesteps = 3, features = 6)
interface KjsGru3 {
  @Gru(units = 4, recurrentActivation = HARD_SIGMOID, resetAfter = false, goBackwards = true) Layer gru();
}

/** GRU.4: GRU.0 with return_sequences and go_backwards. */
@Input(timesteps = 3, features = 6)
interface KjsGru4 {
  @Gru(units = 4, returnSequences = true, goBackwards = true, recurrentActivation = HARD_SIGMOID, resetAfter = false) Layer gru();
}

/** Bidirectional.5: Bidirectional(GRU(4, tanh, hard_sigmoid), concat), return_sequences. */
@Input(timesteps = 3, features = 6)
interface KjsBiGru {
  @Bidirectional(mergeMode = MergeMode.CONCAT) @Gru(units = 4, returnSequences = true, recurrentActivation = HARD_SIGMOID, resetAfter = false) Layer bidirectional();
}

/** Bidirectional.6: Bidirectional(LSTM(4, tanh, hard_sigmoid), concat), return_sequences. */
@Input(timesteps = 3, features = 6)
interface KjsBiLstm {
  @Bidirectional(mergeMode = MergeMode.CONCAT)
  @Lstm(units = 4, recurrentActivation = HARD_SIGMOID, returnSequences = true) Layer bidirectional();
}

/** For the mismatch tests: GRU.0 declared with reset_after. */
@Input(timesteps = 3, features = 6)
interface KjsGru0ResetAfter {
  @Gru(units = 4, recurrentActivation = HARD_SIGMOID) Layer gru();
}

/** For the mismatch tests: an LSTM where the files have a GRU or a Bidirectional layer. */
@Input(timesteps = 3, features = 6)
interface KjsLstm {
  @Lstm(units = 4, recurrentActivation = HARD_SIGMOID, returnSequences = true) Layer lstm();
}

/** For the mismatch tests: Bidirectional.6 declared with merge mode SUM. */
@Input(timesteps = 3, features = 6)
interface KjsBiLstmSum {
  @Bidirectional(mergeMode = MergeMode.SUM)
  @Lstm(units = 4, recurrentActivation = HARD_SIGMOID, returnSequences = true) Layer bidirectional();
}
