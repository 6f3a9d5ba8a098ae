package dev.unroll.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A factory that Spark can ship to its executors: a constructor reference such as
 * {@code UnrolledForecaster::new} or {@code MeanSquaredError::new}, or a lambda such as
 * {@code () -> new Huber(2.0)}. What travels is the reference, a few bytes; the class it names must be
 * on the executors' classpath (in the application jar), and is never serialised.
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {}
