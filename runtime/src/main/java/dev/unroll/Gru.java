package dev.unroll;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a Keras {@code GRU} layer. Gate blocks z (update), r (reset), h (candidate), in that
 * column order: kernel W (features, 3·units), recurrent kernel U (units, 3·units), and
 * {@code h_t = z⊙h_{t-1} + (1−z)⊙ĥ}:
 * <pre>
 * z = recurrent_activation(x W_z + h U_z + b_z)        r likewise
 * resetAfter = true  (TF2/Keras 3):  ĥ = activation(x W_h + b_h + r⊙(h U_h + b'_h)),  bias (2, 3·units)
 * resetAfter = false (Keras 1/2):    ĥ = activation(x W_h + (r⊙h) U_h + b_h),        bias (3·units)
 * </pre>
 * With {@code resetAfter} the bias is two rows, the input bias then the recurrent bias b', and the
 * layer has {@code 3·(features·units + units·units + 2·units)} parameters; without, one row and
 * {@code 3·(features·units + units·units + units)}.
 *
 * <p>On a method returning {@link Layer} in the member form (see {@link Input}), or on the type as a
 * shorthand like {@link Lstm} (a stack of {@code @Gru} layers, then {@code @Dense} layers; for GRU
 * and LSTM layers in one model, use the member form).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(Gru.List.class)
public @interface Gru {

  /** Dimensionality of the output space (Keras {@code units}); at least 1. */
  int units();

  /** Length of each input sequence; the first layer on the type states it. Not in the member form. */
  int timesteps() default 0;

  /** Number of values in each x_t; the first layer on the type states it. Not in the member form. */
  int features() default 0;

  /** Activation of the candidate ĥ, Keras {@code activation}. */
  Activation activation() default Activation.TANH;

  /** Activation of the update and reset gates, Keras {@code recurrent_activation}. */
  Activation recurrentActivation() default Activation.SIGMOID;

  /** Whether the layer has biases (Keras {@code use_bias}). */
  boolean useBias() default true;

  /** Keras {@code reset_after}: apply the reset gate after the recurrent product (the TF2 default). */
  boolean resetAfter() default true;

  /** Output the hidden state of every step, (batch, T, units), instead of the last, (batch, units). */
  boolean returnSequences() default false;

  /** Also output the final state h_T (Keras {@code return_state}). Only on the last layer of a model. */
  boolean returnState() default false;

  /** Process the sequence from its last step to its first (Keras {@code go_backwards}). */
  boolean goBackwards() default false;

  /** Holds repeated {@code @Gru} annotations; written by javac, not by users. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.TYPE)
  @interface List {
    Gru[] value();
  }
}
