package dev.unroll;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a Keras {@code LSTM} layer; the annotation processor writes a class {@code Unrolled<Type>}
 * whose forward pass and backpropagation through time are written out for exactly these shapes.
 *
 * <pre>{@code
 * @Lstm(units = 32, timesteps = 24, features = 3)
 * public interface Forecaster {}
 *
 * SequenceModel model = new UnrolledForecaster();
 * Tensor y = model.predict(x);          // x: (batch, 24, 3) -> y: (batch, 32)
 * }</pre>
 *
 * <p>Semantics, weight layout and defaults are those of Keras: {@code z = x_t·W + h_{t-1}·U + b}
 * split into gate blocks i, f, c, o; {@code c_t = f⊙c_{t-1} + i⊙c~}; {@code h_t = o⊙act(c_t)}.
 * The layer has {@code 4·(features·units + units·units + units)} parameters.
 *
 * <p>Put it on an interface or on a non-final class with an accessible no-argument constructor,
 * top level or static nested, in a named or unnamed package; or, in the member form, on an abstract
 * method returning {@link Layer}, with {@link Input} on the type (see {@link Input}).
 *
 * <p>Repeat it to stack layers, and add {@link Dense} layers for a head. The stack is the
 * {@code @Lstm} layers in declaration order, then the {@code @Dense} layers in declaration order.
 * The first {@code @Lstm} fixes {@code timesteps} and {@code features}; later layers infer theirs
 * (features = the units of the layer before) and may state them only if they agree. An LSTM that
 * feeds another must return sequences.
 *
 * <pre>{@code
 * @Lstm(units = 32, timesteps = 24, features = 3, returnSequences = true)
 * @Lstm(units = 16)
 * @Dense(units = 1)
 * interface Forecaster {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(Lstm.List.class)
public @interface Lstm {

  /** Dimensionality of the output space (Keras {@code units}); at least 1. */
  int units();

  /** Length of each input sequence (the T in (batch, T, features)); at least 1. Not in the member form. */
  int timesteps() default 0;

  /** Number of values in each x_t (Keras {@code input_dim}); at least 1. Not in the member form. */
  int features() default 0;

  /** Activation of the cell candidate and of the output, Keras {@code activation}. */
  Activation activation() default Activation.TANH;

  /** Activation of the input, forget and output gates, Keras {@code recurrent_activation}. */
  Activation recurrentActivation() default Activation.SIGMOID;

  /** Whether the layer has the bias vector b (Keras {@code use_bias}). */
  boolean useBias() default true;

  /** Whether the forget-gate block of the bias starts at 1 (Keras {@code unit_forget_bias}). */
  boolean unitForgetBias() default true;

  /** Output the hidden state of every step, (batch, T, units), instead of the last, (batch, units). */
  boolean returnSequences() default false;

  /**
   * Also output the final states h_T and c_T (Keras {@code return_state}): the generated class gets
   * {@code predictWithState} and {@code gradientsWithState}. Only on the last layer of a model.
   */
  boolean returnState() default false;

  /**
   * Process the sequence from its last step to its first (Keras {@code go_backwards}). As in Keras,
   * a returned sequence stays in processing order, i.e. reversed.
   */
  boolean goBackwards() default false;

  /** Holds repeated {@code @Lstm} annotations; written by javac, not by users. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.TYPE)
  @interface List {
    Lstm[] value();
  }
}
