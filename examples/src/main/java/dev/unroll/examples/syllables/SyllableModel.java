package dev.unroll.examples.syllables;

import static dev.unroll.Activation.SOFTMAX;

import dev.unroll.Bidirectional;
import dev.unroll.Dense;
import dev.unroll.Gru;
import dev.unroll.Input;
import dev.unroll.Layer;
import dev.unroll.Masking;
import dev.unroll.MergeMode;

/**
 * The classifier of {@link SyllableCount}: a word of up to 12 letters, one-hot over a..z and
 * right-padded with all-zero steps, read in both directions by a GRU whose two final states go to a
 * softmax over the classes 1, 2, 3, 4 and 5+ syllables. The padding is masked, so a word's prediction
 * does not depend on how many steps of padding follow it. The build generates
 * {@code UnrolledSyllableModel} (4,389 parameters).
 */
@Input(timesteps = SyllableModel.TIMESTEPS, features = SyllableModel.FEATURES)
public interface SyllableModel {
  /** Letters per word, at most. */
  int TIMESTEPS = 12;

  /** One value per letter a..z; a step of padding is 26 zeros. */
  int FEATURES = 26;

  /** 1, 2, 3, 4, 5 or more syllables. */
  int CLASSES = 5;

  @Masking(maskValue = 0.0) Layer masking();

  @Bidirectional(mergeMode = MergeMode.CONCAT) @Gru(units = 16) Layer letters();

  @Dense(units = CLASSES, activation = SOFTMAX) Layer syllables();

  /**
   * The same layers without the Masking layer (and so the same weights): it reads the padding as
   * letters, which shows what the mask is for.
   */
  @Input(timesteps = SyllableModel.TIMESTEPS, features = SyllableModel.FEATURES)
  interface Unmasked {
    @Bidirectional(mergeMode = MergeMode.CONCAT) @Gru(units = 16) Layer letters();

    @Dense(units = CLASSES, activation = SOFTMAX) Layer syllables();
  }
}
