package dev.unroll.internal;

/**
 * The activation functions of {@link dev.unroll.Activation}, and their derivatives written in
 * terms of the function's <em>output</em> y, which is what backpropagation has at hand.
 * Small and static so that the JIT inlines them into the generated loops.
 */
public final class Activations {
  private Activations() {}

  /** tanh(x). */
  public static double tanh(double x) {
    return Math.tanh(x);
  }

  /** d tanh / dx = 1 − y². */
  public static double tanhGrad(double y) {
    return 1.0 - y * y;
  }

  /** σ(x) = 1 / (1 + e^−x). */
  public static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  /** dσ/dx = y·(1 − y). */
  public static double sigmoidGrad(double y) {
    return y * (1.0 - y);
  }

  /** Keras 1/2 hard sigmoid: clip(0.2·x + 0.5, 0, 1). */
  public static double hardSigmoid(double x) {
    return Math.max(0.0, Math.min(1.0, 0.2 * x + 0.5));
  }

  /** 0.2 inside the linear part, 0 where clipped. */
  public static double hardSigmoidGrad(double y) {
    return y > 0.0 && y < 1.0 ? 0.2 : 0.0;
  }

  /** Keras 3 hard sigmoid: clip(x / 6 + 0.5, 0, 1). */
  public static double hardSigmoidKeras3(double x) {
    return Math.max(0.0, Math.min(1.0, x / 6.0 + 0.5));
  }

  /** 1/6 inside the linear part, 0 where clipped. */
  public static double hardSigmoidKeras3Grad(double y) {
    return y > 0.0 && y < 1.0 ? 1.0 / 6.0 : 0.0;
  }

  /** max(0, x). */
  public static double relu(double x) {
    return Math.max(0.0, x);
  }

  /** 1 where x > 0 (equivalently y > 0), else 0. */
  public static double reluGrad(double y) {
    return y > 0.0 ? 1.0 : 0.0;
  }

  /** x. */
  public static double linear(double x) {
    return x;
  }

  /** 1. */
  public static double linearGrad(double y) {
    return 1.0;
  }
}
