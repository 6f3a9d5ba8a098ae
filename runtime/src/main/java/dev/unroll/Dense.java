package dev.unroll;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a Keras {@code Dense} layer after the model's {@link Lstm} layers:
 * {@code y = activation(x @ kernel + bias)}, kernel (inputs, units), bias (units). Its inputs are
 * the units of the layer before. After a layer that returns sequences it applies to every timestep,
 * as in Keras, and the model outputs (batch, timesteps, units).
 *
 * <p>Repeatable; the {@code @Dense} layers follow the {@code @Lstm} layers in declaration order.
 * In the member form it goes on an abstract method returning {@link Layer} (see {@link Input}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(Dense.List.class)
public @interface Dense {

  /** Width of the output; at least 1. */
  int units();

  /** LINEAR, RELU, TANH, SIGMOID, SOFTMAX (over the units), or a hard sigmoid. */
  Activation activation() default Activation.LINEAR;

  /** Whether the layer has a bias (Keras {@code use_bias}). */
  boolean useBias() default true;

  /** Holds repeated {@code @Dense} annotations; written by javac, not by users. */
  @Documented
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.TYPE)
  @interface List {
    Dense[] value();
  }
}
