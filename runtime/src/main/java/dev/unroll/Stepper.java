package dev.unroll;

/**
 * Runs a model one timestep at a time on one stream, keeping h and c of every LSTM layer between
 * calls: for real-time input, where a sequence arrives a step at a time. Stepping through a sequence
 * gives, at each step, what {@link SequenceModel#predict} gives for that step.
 *
 * <p>A stepper belongs to one stream and one thread at a time. Several steppers of the same model
 * may run on different threads at once; they share the model's weights, which must not be changed
 * (with {@code setWeights}) while any of them steps. Steps allocate nothing.
 *
 * <p>The state of a stream, h and c of every LSTM layer, can be saved with {@link #state()} and put
 * back with {@link #restore(double[])}, into this stepper or another of the same model, in this JVM or
 * after a restart: a server or a stream processor keeps one array per stream (per key) and steps any
 * stream with one stepper. Saving, restoring and stepping on gives the outputs that stepping on
 * without stopping gives, bit for bit.
 *
 * <pre>{@code
 * double[] saved = stepper.state();   // after some steps of stream A
 * stepper.reset();                    // ... stream B ...
 * stepper.restore(saved);             // stream A again, from where it was
 * }</pre>
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

  /**
   * The number of values in a saved state: for each LSTM layer in declaration order, h (units
   * values) then c (units values).
   */
  int stateSize();

  /** Which values of a saved state hold what, e.g. {@code lstm: h [0, 32), c [32, 64)}. */
  String stateLayout();

  /**
   * Copies the state of the stream into {@code into}, laid out as {@link #stateLayout()} says. A
   * float32 model's values are widened to double, exactly.
   *
   * @param into an array of length {@link #stateSize()}. Modified.
   * @throws IllegalArgumentException if {@code into} has another length (naming both lengths)
   */
  void state(double[] into);

  /** A new array holding the state of the stream: see {@link #state(double[])}. */
  default double[] state() {
    double[] s = new double[stateSize()];
    state(s);
    return s;
  }

  /**
   * Puts back a state saved with {@link #state()} by a stepper of the same model; the next step goes
   * on from it. Everything is checked before anything is written: on error the stepper is unchanged.
   * A float32 model rounds the values to float, which gives back exactly what it saved.
   *
   * @param state {@link #stateSize()} values laid out as {@link #stateLayout()} says. Not modified.
   * @throws IllegalArgumentException if {@code state} has another length (naming both lengths), or
   *     a value is NaN or infinite (naming the layer, h or c, and the index)
   * @throws NullPointerException if {@code state} is null
   */
  void restore(double[] state);
}
