package dev.unroll;

/**
 * Runs a model one timestep at a time on one stream, keeping h and c of every LSTM layer between
 * calls: for real-time input, where a sequence arrives a step at a time. Stepping through a sequence
 * gives, at each step, what {@link SequenceModel#predict} gives for that step.
 *
 * <p>A stepper belongs to one stream and one thread at a time. Several steppers of the same model
 * may run on different threads at once; they share the model's weights, which must not be changed
 * (with {@code setWeights}) while any of them steps. Steps allocate nothing.
 */
public interface Stepper {

  /**
   * Feeds x_t and returns the model's output for this step.
   *
   * @param x the features of one timestep, length {@code features}. Not modified.
   * @return the output, an array owned by the stepper and overwritten by the next step
   * @throws IllegalArgumentException if {@code x} has the wrong length
   */
  double[] step(double[] x);

  /** As {@link #step(double[])}, writing the output into {@code out}. Modified. */
  void step(double[] x, double[] out);

  /** Forgets the stream: h and c of every layer back to zero. */
  void reset();

  /** The length of {@code x} each step takes. */
  int inputSize();

  /** The length of each step's output. */
  int outputSize();
}
