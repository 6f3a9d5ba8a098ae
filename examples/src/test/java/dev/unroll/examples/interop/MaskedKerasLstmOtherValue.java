package dev.unroll.examples.interop;

import dev.unroll.Input;
import dev.unroll.Layer;
import dev.unroll.Lstm;
import dev.unroll.Masking;

/** {@link MaskedKerasLstm} with another mask value than the file's: a checked load must refuse it. */
@Input(timesteps = 3, features = 2)
interface MaskedKerasLstmOtherValue {
  @Masking(maskValue = -1) Layer masking();

  @Lstm(units = 1) Layer lstm();
}
