package dev.unroll.train;

/**
 * Keras {@code SGD}: learning rate 0.01, momentum 0, Nesterov off. With momentum m:
 *
 * <pre>
 * velocity = m · velocity − lr · g
 * w        = w + velocity                       (plain)
 * w        = w + m · velocity − lr · g          (Nesterov)
 * </pre>
 *
 * and without momentum {@code w = w − lr · g}: the rule of Keras 3 and of Keras 2's
 * {@code ResourceApplyKerasMomentum}.
 */
public final class SGD extends Optimizer {
  private double momentum;
  private boolean nesterov;
  private double[][] velocities;

  /** Keras's defaults: learning rate 0.01, momentum 0, no Nesterov. */
  public SGD() {
    super(0.01);
  }

  /** Momentum in [0, 1]; 0 (the default) is plain gradient descent. */
  public SGD momentum(double momentum) {
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("SGD: momentum must be in [0, 1], found " + momentum);
    }
    this.momentum = momentum;
    return this;
  }

  /** Nesterov momentum. */
  public SGD nesterov(boolean nesterov) {
    this.nesterov = nesterov;
    return this;
  }

  public double momentum() {
    return momentum;
  }

  public boolean nesterov() {
    return nesterov;
  }

  @Override
  public SGD learningRate(double learningRate) {
    super.learningRate(learningRate);
    return this;
  }

  @Override
  public SGD learningRate(LearningRateSchedule schedule) {
    super.learningRate(schedule);
    return this;
  }

  @Override
  public SGD clipnorm(double c) {
    super.clipnorm(c);
    return this;
  }

  @Override
  public SGD globalClipnorm(double c) {
    super.globalClipnorm(c);
    return this;
  }

  @Override
  public SGD clipvalue(double v) {
    super.clipvalue(v);
    return this;
  }

  @Override
  protected void createSlots(int[] sizes) {
    velocities = new double[sizes.length][];
    for (int i = 0; i < sizes.length; i++) {
      velocities[i] = new double[sizes[i]];
    }
  }

  @Override
  protected void resetSlots() {
    velocities = null;
  }

  @Override
  protected void update(int index, double[] g, double[] w, double lr) {
    if (momentum != 0) {
      double[] m = velocities[index];
      for (int k = 0; k < w.length; k++) {
        m[k] = m[k] * momentum - g[k] * lr;
        w[k] += nesterov ? m[k] * momentum - g[k] * lr : m[k];
      }
    } else {
      for (int k = 0; k < w.length; k++) {
        w[k] -= g[k] * lr;
      }
    }
  }

  @Override
  public String toString() {
    return "SGD(learningRate=" + describeRate() + ", momentum=" + momentum + ", nesterov=" + nesterov
        + describeClip() + ")";
  }
}
