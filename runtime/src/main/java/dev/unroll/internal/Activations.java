package dev.unroll.internal;

/**
 * The activation functions of {@link dev.unroll.Activation}, and their derivatives written in
 * terms of the function's <em>output</em> y, which is what backpropagation has at hand.
 * The scalar forms are small and static so that the JIT inlines them; the in-place forms over a
 * range of an array are what the generated LSTM steps call.
 */
public final class Activations {
  private Activations() {}

  /**
   * tanh(x), from the {@code Math.exp} intrinsic: (1 − e) / (1 + e) with e = exp(−2|x|), and the odd
   * series x − x³/3 + 2x⁵/15 − 17x⁷/315 below |x| &lt; 2⁻¹⁰, where 1 − e would cancel. Within 2.5e-14
   * relative of {@code Math.tanh}, which HotSpot 17 does not intrinsify and which cost a third of an
   * LSTM step's time at 32 units (measured with JMH on the benchmark shapes).
   */
  public static double tanh(double x) {
    double a = Math.abs(x);
    if (a < 0x1p-10) {
      double x2 = x * x;
      return x + x * x2 * (-1.0 / 3 + x2 * (2.0 / 15 - x2 * (17.0 / 315)));
    }
    double e = Math.exp(-2 * a);
    return Math.copySign((1 - e) / (1 + e), x);
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

  // float32 versions. tanh and sigmoid are the call-free rational approximation that TensorFlow's CPU
  // kernels compute for float (Eigen's fast tanh): a loop of them has no call in it, so C2 vectorises
  // the gate pass of a step. The others are the float64 formulas in float.

  /** The clamp of {@link #tanh(float)}: beyond it the rational's value rounds to ±1 in float. */
  private static final float TANH_CLAMP = 7.90531110763549805f;

  /**
   * tanh in float: Eigen's 13/6 rational approximation ({@code generic_fast_tanh_float}, what
   * TensorFlow computes for float32 on CPUs), clamped to ±7.905; within 4.2e-7 of tanh (about 3.5
   * float ulps at 1; the largest error over every float), |y| ≤ 1, odd, NaN for NaN. No calls and no branches.
   */
  public static float tanh(float x) {
    float xc = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
    float x2 = xc * xc;
    float p = -2.76076847742355e-16f;
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 + -8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    p = p * xc;
    float q = 1.19825839466702e-06f;
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    return p / q;
  }

  public static float tanhGrad(float y) {
    return 1f - y * y;
  }

  /**
   * σ in float: (1 + tanh(x/2)) / 2 with {@link #tanh(float)}; within 2.3e-7 of σ (absolute), 0 below
   * x = −15.8 and 1 above 15.8, where σ is within 1.4e-7 of them.
   */
  public static float sigmoid(float x) {
    return 0.5f + 0.5f * tanh(0.5f * x);
  }

  public static float sigmoidGrad(float y) {
    return y * (1f - y);
  }

  public static float hardSigmoid(float x) {
    return Math.max(0f, Math.min(1f, 0.2f * x + 0.5f));
  }

  public static float hardSigmoidGrad(float y) {
    return y > 0f && y < 1f ? 0.2f : 0f;
  }

  public static float hardSigmoidKeras3(float x) {
    return Math.max(0f, Math.min(1f, x / 6f + 0.5f));
  }

  public static float hardSigmoidKeras3Grad(float y) {
    return y > 0f && y < 1f ? 1f / 6f : 0f;
  }

  public static float relu(float x) {
    return Math.max(0f, x);
  }

  public static float reluGrad(float y) {
    return y > 0f ? 1f : 0f;
  }

  public static float linear(float x) {
    return x;
  }

  public static float linearGrad(float y) {
    return 1f;
  }

  // In place over v[from, to): the forms generated LSTM steps call, once per gate block. tanh and
  // sigmoid, the ones with arithmetic worth vectorising, are kernels: they delegate to the
  // implementation KernelProvider chose (the scalar loops of ScalarKernels, written so that C2
  // vectorises the float ones, or the Vector API's, which also vectorises the float64 exp). The others
  // have the function's arithmetic written in the loop's body, with no call left for the JIT to inline
  // or not: a loop left with a call in it is not vectorised.

  /** {@link #tanh(double)} of every value of {@code v[from, to)}, in place. */
  public static void tanh(double[] v, int from, int to) {
    Kernels.tanh(v, from, to);
  }

  /** {@link #sigmoid(double)} of every value of {@code v[from, to)}, in place. */
  public static void sigmoid(double[] v, int from, int to) {
    Kernels.sigmoid(v, from, to);
  }

  /** {@link #hardSigmoid(double)} of every value of {@code v[from, to)}, in place. */
  public static void hardSigmoid(double[] v, int from, int to) {
    for (int k = from; k < to; k++) {
      v[k] = Math.max(0.0, Math.min(1.0, 0.2 * v[k] + 0.5));
    }
  }

  /** {@link #hardSigmoidKeras3(double)} of every value of {@code v[from, to)}, in place. */
  public static void hardSigmoidKeras3(double[] v, int from, int to) {
    for (int k = from; k < to; k++) {
      v[k] = Math.max(0.0, Math.min(1.0, v[k] / 6.0 + 0.5));
    }
  }

  /** {@link #relu(double)} of every value of {@code v[from, to)}, in place. */
  public static void relu(double[] v, int from, int to) {
    for (int k = from; k < to; k++) {
      v[k] = Math.max(0.0, v[k]);
    }
  }

  /** The identity: leaves {@code v} as it is. */
  public static void linear(double[] v, int from, int to) {}

  /** {@link #tanh(float)} of every value of {@code v[from, to)}, in place. */
  public static void tanh(float[] v, int from, int to) {
    Kernels.tanh(v, from, to);
  }

  /** {@link #sigmoid(float)} of every value of {@code v[from, to)}, in place. */
  public static void sigmoid(float[] v, int from, int to) {
    Kernels.sigmoid(v, from, to);
  }

  /** {@link #hardSigmoid(float)} of every value of {@code v[from, to)}, in place. */
  public static void hardSigmoid(float[] v, int from, int to) {
    for (int k = from; k < to; k++) {
      v[k] = Math.max(0f, Math.min(1f, 0.2f * v[k] + 0.5f));
    }
  }

  /** {@link #hardSigmoidKeras3(float)} of every value of {@code v[from, to)}, in place. */
  public static void hardSigmoidKeras3(float[] v, int from, int to) {
    for (int k = from; k < to; k++) {
      v[k] = Math.max(0f, Math.min(1f, v[k] / 6f + 0.5f));
    }
  }

  /** {@link #relu(float)} of every value of {@code v[from, to)}, in place. */
  public static void relu(float[] v, int from, int to) {
    for (int k = from; k < to; k++) {
      v[k] = Math.max(0f, v[k]);
    }
  }

  /** The identity: leaves {@code v} as it is. */
  public static void linear(float[] v, int from, int to) {}

  /**
   * Softmax over {@code n} values in place, {@code v[off .. off+n)}, shifted by the maximum so that
   * the exponentials cannot overflow.
   */
  public static void softmax(double[] v, int off, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, v[off + j]);
    }
    double sum = 0.0;
    for (int j = 0; j < n; j++) {
      double e = Math.exp(v[off + j] - max);
      v[off + j] = e;
      sum += e;
    }
    for (int j = 0; j < n; j++) {
      v[off + j] /= sum;
    }
  }

  /** Softmax in float; see {@link #softmax(double[], int, int)}. */
  public static void softmax(float[] v, int off, int n) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, v[off + j]);
    }
    float sum = 0f;
    for (int j = 0; j < n; j++) {
      float e = (float) Math.exp(v[off + j] - max);
      v[off + j] = e;
      sum += e;
    }
    for (int j = 0; j < n; j++) {
      v[off + j] /= sum;
    }
  }

  /**
   * Backpropagation through softmax in place: given y = softmax(x) in {@code y} and dL/dy in
   * {@code d}, writes dL/dx = y * (dL/dy - sum_k y_k dL/dy_k) into {@code d}.
   */
  public static void softmaxBackward(double[] y, double[] d, int off, int n) {
    double dot = 0.0;
    for (int j = 0; j < n; j++) {
      dot += y[off + j] * d[off + j];
    }
    for (int j = 0; j < n; j++) {
      d[off + j] = y[off + j] * (d[off + j] - dot);
    }
  }

  /** Softmax backward in float; see {@link #softmaxBackward(double[], double[], int, int)}. */
  public static void softmaxBackward(float[] y, float[] d, int off, int n) {
    float dot = 0f;
    for (int j = 0; j < n; j++) {
      dot += y[off + j] * d[off + j];
    }
    for (int j = 0; j < n; j++) {
      d[off + j] = y[off + j] * (d[off + j] - dot);
    }
  }
}
