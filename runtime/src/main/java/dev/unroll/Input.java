package dev.unroll;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The input of a model declared in the member form: one abstract method per layer, in declaration
 * order, each carrying its layer's annotation and returning a {@link Layer} view of it.
 *
 * <pre>{@code
 * @Input(timesteps = 24, features = 3)
 * public interface Forecaster {
 *   @Lstm(units = 32, returnSequences = true) Layer encoder();
 *   @Lstm(units = 16) Layer summary();
 *   @Dense(units = 1) Layer forecast();
 * }
 *
 * UnrolledForecaster model = new UnrolledForecaster();
 * Tensor w = model.encoder().kernel(Gate.F);   // (3, 32): the forget gate's block of W
 * }</pre>
 *
 * <p>Each method's name is its layer's Keras name: the summary, the weight names and the checked
 * loads of Keras and PyTorch files use it. The stack is the methods in source order; its input is
 * (batch, timesteps, features), so the layers state neither. A layer method takes no parameters.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Input {

  /** Length of each input sequence (the T in (batch, T, features)); at least 1. */
  int timesteps();

  /** Number of values in each x_t; at least 1. */
  int features();
}
