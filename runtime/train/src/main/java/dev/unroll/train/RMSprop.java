package dev.unroll.train;

/**
 * Keras {@code RMSprop}: learning rate 0.001, ρ 0.9, momentum 0, ε 1e-7, not centered.
 *
 * <pre>
 * v   = ρ · v + (1 − ρ) · g²
 * a   = ρ · a + (1 − ρ) · g                       (centered only)
 * inc = lr · g / √(v + ε)                         (centered: √(v − a² + ε))
 * w   = w − inc                                   (momentum μ &gt; 0: mom = μ · mom + inc; w = w − mom)
 * </pre>
 *
 * ε is inside the square root, as in Keras 3 and in Keras 2's {@code ApplyRMSProp}.
 */
public final class RMSprop extends Optimizer {
  private double rho = 0.9;
  private double momentum;
  private double epsilon = 1e-7;
  private boolean centered;
  private double[][] velocities;
  private double[][] momenta;
  private double[][] averages;

  /** Keras's defaults. */
  public RMSprop() {
    super(0.001);
  }

  /** Discount of the running mean of g², in [0, 1). */
  public RMSprop rho(double rho) {
    if (!(rho >= 0 && rho < 1)) {
      throw new IllegalArgumentException("RMSprop: rho must be in [0, 1), found " + rho);
    }
    this.rho = rho;
    return this;
  }

  /** Momentum in [0, 1); 0 (the default) turns it off. */
  public RMSprop momentum(double momentum) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("RMSprop: momentum must be in [0, 1), found " + momentum);
    }
    this.momentum = momentum;
    return this;
  }

  /** ε, inside the square root; positive. */
  public RMSprop epsilon(double epsilon) {
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("RMSprop: epsilon must be positive, found " + epsilon);
    }
    this.epsilon = epsilon;
    return this;
  }

  /** Normalise by the estimated variance of g instead of its second moment. */
  public RMSprop centered(boolean centered) {
    this.centered = centered;
    return this;
  }

  public double rho() {
    return rho;
  }

  public double momentum() {
    return momentum;
  }

  public double epsilon() {
    return epsilon;
  }

  public boolean centered() {
    return centered;
  }

  @Override
  public RMSprop learningRate(double learningRate) {
    super.learningRate(learningRate);
    return this;
  }

  @Override
  public RMSprop learningRate(LearningRateSchedule schedule) {
    super.learningRate(schedule);
    return this;
  }

  @Override
  public RMSprop clipnorm(double c) {
    super.clipnorm(c);
    return this;
  }

  @Override
  public RMSprop globalClipnorm(double c) {
    super.globalClipnorm(c);
    return this;
  }

  @Override
  public RMSprop clipvalue(double v) {
    super.clipvalue(v);
    return this;
  }

  @Override
  protected void createSlots(int[] sizes) {
    velocities = new double[sizes.length][];
    momenta = momentum > 0 ? new double[sizes.length][] : null;
    averages = centered ? new double[sizes.length][] : null;
    for (int i = 0; i < sizes.length; i++) {
      velocities[i] = new double[sizes[i]];
      if (momenta != null) {
        momenta[i] = new double[sizes[i]];
      }
      if (averages != null) {
        averages[i] = new double[sizes[i]];
      }
    }
  }

  @Override
  protected void resetSlots() {
    velocities = null;
    momenta = null;
    averages = null;
  }

  @Override
  protected void update(int index, double[] g, double[] w, double lr) {
    double[] vel = velocities[index];
    double[] mom = momenta == null ? null : momenta[index];
    double[] avg = averages == null ? null : averages[index];
    for (int k = 0; k < w.length; k++) {
      vel[k] = rho * vel[k] + (1 - rho) * (g[k] * g[k]);
      double denominator;
      if (avg != null) {
        avg[k] = rho * avg[k] + (1 - rho) * g[k];
        denominator = vel[k] - avg[k] * avg[k] + epsilon;
      } else {
        denominator = vel[k] + epsilon;
      }
      double increment = lr * g[k] / Math.sqrt(denominator);
      if (mom != null) {
        mom[k] = momentum * mom[k] + increment;
        w[k] -= mom[k];
      } else {
        w[k] -= increment;
      }
    }
  }

  @Override
  public String toString() {
    return "RMSprop(learningRate=" + describeRate() + ", rho=" + rho + ", momentum=" + momentum + ", epsilon="
        + epsilon + (centered ? ", centered" : "") + describeClip() + ")";
  }
}
