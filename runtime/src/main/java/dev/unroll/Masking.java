package dev.unroll;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A Keras {@code Masking} layer, in the member form (see {@link Input}); it must be the model's first
 * layer:
 *
 * <pre>{@code
 * @Input(timesteps = 24, features = 3)
 * public interface Tagger {
 *   @Masking(maskValue = 0.0) Layer masking();
 *   @Lstm(units = 32, returnSequences = true) Layer encoder();
 *   @Lstm(units = 16) Layer pooled();
 *   @Dense(units = 1) Layer out();
 * }
 * }</pre>
 *
 * <p>Step t of a sample is masked when every one of its features equals {@code maskValue} (compared in
 * the model's precision). At a masked step an LSTM or GRU layer keeps h (and c) unchanged and outputs
 * the carried h (zeros before the first unmasked step); inside a {@link Bidirectional} layer that
 * returns sequences the output at a masked step is zeros (Keras's {@code zero_output_for_mask}). The
 * mask goes through the layers that keep the time axis, a Dense applied per timestep included, and is
 * dropped after a layer that returns its last step only. Backpropagation follows: at a masked step the
 * state's gradient passes through unchanged, the step adds nothing to the weights' gradients, and
 * dL/dx there is 0. The layer has no weights (0 parameters) and its output is its input.
 *
 * <p>When the model's output keeps the mask (every layer returns sequences), {@link
 * SequenceModel#outputMask()} gives it after each forward pass, and the trainer's losses leave the
 * masked steps out, as Keras does. The generated {@code predictWithLengths(x, lengths, out)} and
 * {@code gradientsWithLengths(x, lengths, dOutput, into)} take, instead of padding with the mask value, one length per sample (right padding: step t of
 * sample b is masked when t &ge; lengths[b]).
 *
 * <p>A stepper ({@link SequenceModel#stepper()}) treats a step whose features all equal
 * {@code maskValue} as {@code predict} does: the state stays as it was and the output is the carried one.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Masking {

  /** The value that marks a padded step, Keras {@code mask_value}: finite; 0.0 by default, as in Keras. */
  double maskValue() default 0.0;
}
