package dev.unroll;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a model compute in {@code float} instead of {@code double}: the numerics of Keras and
 * PyTorch (float32 by default), half the memory, and twice the SIMD width. Tensors passed in and out
 * stay {@code double}; weights hold float32 values. tanh and sigmoid are computed as TensorFlow
 * computes them for float32 on CPUs (Eigen's rational approximation, within 4.2e-7 and 2.3e-7): with
 * no call in them, the gate loops vectorise, which makes float32 the fast choice from 32 units up.
 *
 * <pre>{@code
 * @Float32
 * @Lstm(units = 8, timesteps = 100, features = 1, returnSequences = true)
 * @Dense(units = 1)
 * interface Amp {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Float32 {}
