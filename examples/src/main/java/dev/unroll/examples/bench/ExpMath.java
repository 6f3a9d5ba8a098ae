package dev.unroll.examples.bench;

/** EXPERIMENT: activation functions without {@code Math.tanh} (see {@link ExpGateMath}). */
final class ExpMath {
  private ExpMath() {}

  /**
   * tanh from the {@code Math.exp} intrinsic: (1 - e) / (1 + e), e = exp(-2|x|), and an odd series
   * below |x| < 2^-10 where 1 - e would cancel. Max relative error 2.5e-14 against Math.tanh.
   */
  static double tanhExp(double x) {
    double a = Math.abs(x);
    if (a < 0x1p-10) {
      double x2 = x * x;
      return x + x * x2 * (-1.0 / 3 + x2 * (2.0 / 15 - x2 * (17.0 / 315)));
    }
    double e = Math.exp(-2 * a);
    return Math.copySign((1 - e) / (1 + e), x);
  }

  /**
   * Eigen's float tanh (generic_fast_tanh_float): a 13/6 rational approximation on [-7.9, 7.9],
   * clamped outside; max abs error 4.2e-7 (3.5 float ulp at 1). No calls, no branches.
   */
  static float tanhRational(float x) {
    float xc = Math.max(-7.90531110763549805f, Math.min(7.90531110763549805f, x));
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

  /** sigmoid(x) = (1 + tanh(x / 2)) / 2 with {@link #tanhRational}. */
  static float sigmoidRational(float x) {
    return 0.5f + 0.5f * tanhRational(0.5f * x);
  }
}
