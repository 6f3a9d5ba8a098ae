package dev.unroll.examples.interop;

import dev.unroll.Bidirectional;
import dev.unroll.Dense;
import dev.unroll.Gru;
import dev.unroll.Input;
import dev.unroll.Layer;
import dev.unroll.Masking;
import dev.unroll.MergeMode;

/**
 * The Keras 2 files of test resources {@code interop/keras2-masking-gru/} (make_h5.py there), declared as
 * {@code DeclarationPrinter} prints them.
 */
final class KerasMaskingGru {
  private KerasMaskingGru() {}
}

/** Masking(0.0) → GRU(5, reset_after=True) → Dense(2). */
@Input(timesteps = 6, features = 3)
interface MaskingGru {
  @Masking(maskValue = 0.0) Layer masking();

  @Gru(units = 5) Layer gru();

  @Dense(units = 2) Layer dense();
}

/** Masking(0.0) → Bidirectional(GRU(3, reset_after=False, return_sequences=True), concat) → TimeDistributed(Dense(1)). */
@Input(timesteps = 6, features = 3)
interface MaskingBiGru {
  @Masking(maskValue = 0.0) Layer masking();

  @Bidirectional(mergeMode = MergeMode.CONCAT) @Gru(units = 3, returnSequences = true, resetAfter = false)
  Layer bidirectional();

  @Dense(units = 1) Layer time_distributed();
}

/** MaskingGru without its Masking layer: the file does not load into it. */
@Input(timesteps = 6, features = 3)
interface UnmaskedGru {
  @Gru(units = 5) Layer gru();

  @Dense(units = 2) Layer dense();
}
