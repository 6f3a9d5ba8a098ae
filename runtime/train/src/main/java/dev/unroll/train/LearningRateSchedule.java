package dev.unroll.train;

/**
 * The learning rate as a function of the optimizer's step count, as a Keras
 * {@code LearningRateSchedule}: before each update the optimizer asks for the rate at
 * {@link Optimizer#iterations()} (0 for the first update) and uses it for that update.
 *
 * <pre>{@code
 * new Adam().learningRate(LearningRateSchedule.exponentialDecay(1e-2, 1000, 0.9, false))
 * new SGD().learningRate(step -> step < 500 ? 0.1 : 0.01)
 * }</pre>
 */
@FunctionalInterface
public interface LearningRateSchedule {

  /**
   * The learning rate for the update that follows {@code step} earlier updates.
   *
   * @param step the optimizer's {@link Optimizer#iterations()}, from 0
   */
  double at(long step);

  /** The same rate at every step. */
  static LearningRateSchedule constant(double learningRate) {
    return step -> learningRate;
  }

  /**
   * Keras {@code ExponentialDecay}: {@code initial · decayRate^(step / decaySteps)}, with the exponent
   * floored when {@code staircase}.
   */
  static LearningRateSchedule exponentialDecay(double initial, long decaySteps, double decayRate, boolean staircase) {
    if (decaySteps <= 0) {
      throw new IllegalArgumentException("exponentialDecay: decaySteps must be positive, found " + decaySteps);
    }
    return step -> {
      double p = (double) step / decaySteps;
      return initial * Math.pow(decayRate, staircase ? Math.floor(p) : p);
    };
  }
}
