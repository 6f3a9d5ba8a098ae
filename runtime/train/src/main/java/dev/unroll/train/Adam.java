package dev.unroll.train;

/**
 * Keras {@code Adam}: learning rate 0.001, β1 0.9, β2 0.999, ε 1e-7, in Keras's form, with the bias
 * correction folded into the step size and ε outside it (t = iterations + 1):
 *
 * <pre>
 * α = lr · √(1 − β2^t) / (1 − β1^t)
 * m = m + (g − m) · (1 − β1)
 * v = v + (g² − v) · (1 − β2)
 * w = w − α · m / (√v + ε)          (AMSGrad: √v̂ with v̂ = max(v̂, v))
 * </pre>
 */
public final class Adam extends Optimizer {
  private double beta1 = 0.9;
  private double beta2 = 0.999;
  private double epsilon = 1e-7;
  private boolean amsgrad;
  private double[][] m;
  private double[][] v;
  private double[][] vHat;

  /** Keras's defaults. */
  public Adam() {
    super(0.001);
  }

  /** Decay of the first-moment estimate, in [0, 1). */
  public Adam beta1(double beta1) {
    this.beta1 = checkBeta("beta1", beta1);
    return this;
  }

  /** Decay of the second-moment estimate, in [0, 1). */
  public Adam beta2(double beta2) {
    this.beta2 = checkBeta("beta2", beta2);
    return this;
  }

  /** ε, Kingma and Ba's "epsilon hat"; positive. */
  public Adam epsilon(double epsilon) {
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("Adam: epsilon must be positive, found " + epsilon);
    }
    this.epsilon = epsilon;
    return this;
  }

  /** The AMSGrad variant. */
  public Adam amsgrad(boolean amsgrad) {
    this.amsgrad = amsgrad;
    return this;
  }

  public double beta1() {
    return beta1;
  }

  public double beta2() {
    return beta2;
  }

  public double epsilon() {
    return epsilon;
  }

  public boolean amsgrad() {
    return amsgrad;
  }

  @Override
  public Adam learningRate(double learningRate) {
    super.learningRate(learningRate);
    return this;
  }

  @Override
  public Adam learningRate(LearningRateSchedule schedule) {
    super.learningRate(schedule);
    return this;
  }

  @Override
  public Adam clipnorm(double c) {
    super.clipnorm(c);
    return this;
  }

  @Override
  public Adam globalClipnorm(double c) {
    super.globalClipnorm(c);
    return this;
  }

  @Override
  public Adam clipvalue(double v) {
    super.clipvalue(v);
    return this;
  }

  @Override
  protected void createSlots(int[] sizes) {
    m = new double[sizes.length][];
    v = new double[sizes.length][];
    vHat = amsgrad ? new double[sizes.length][] : null;
    for (int i = 0; i < sizes.length; i++) {
      m[i] = new double[sizes[i]];
      v[i] = new double[sizes[i]];
      if (amsgrad) {
        vHat[i] = new double[sizes[i]];
      }
    }
  }

  @Override
  protected void resetSlots() {
    m = null;
    v = null;
    vHat = null;
  }

  @Override
  protected void update(int index, double[] g, double[] w, double lr) {
    double t = iterations() + 1;
    double alpha = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    double[] mi = m[index];
    double[] vi = v[index];
    double[] hi = vHat == null ? null : vHat[index];
    for (int k = 0; k < w.length; k++) {
      mi[k] += (g[k] - mi[k]) * (1 - beta1);
      vi[k] += (g[k] * g[k] - vi[k]) * (1 - beta2);
      double vk = vi[k];
      if (hi != null) {
        hi[k] = Math.max(hi[k], vk);
        vk = hi[k];
      }
      w[k] -= mi[k] * alpha / (Math.sqrt(vk) + epsilon);
    }
  }

  private static double checkBeta(String what, double b) {
    if (!(b >= 0 && b < 1)) {
      throw new IllegalArgumentException("Adam: " + what + " must be in [0, 1), found " + b);
    }
    return b;
  }

  @Override
  public String toString() {
    return "Adam(learningRate=" + describeRate() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon
        + (amsgrad ? ", amsgrad" : "") + describeClip() + ")";
  }
}
