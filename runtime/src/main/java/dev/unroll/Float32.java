package dev.unroll;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a model compute in {@code float} (EJML's {@code FMatrixRMaj}) instead of {@code double}:
 * the numerics of Keras and PyTorch (float32 by default), half the memory, and twice the SIMD
 * width. Tensors passed in and out stay {@code double}; weights hold float32 values.
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
