package dev.unroll.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The arrays of an LSTM layer that a generated class writes out in full, in float: its weights in
 * Keras layout, their gradients, and the buffers of a forward and a backward pass, with the methods
 * that size, zero and initialise them. The generated subclass adds what is the lesson: one step of
 * one sample ({@code cell}), and backpropagation through it, with the shapes as constants.
 *
 * <p>With U units, F features, T timesteps and G = 4·U columns in gate blocks i | f | c | o:
 * <pre>
 * kernel            W: (F, G), W[k][j] is kernel[G * k + j]
 * recurrentKernel   U: (U, G), U[k][j] is recurrentKernel[G * k + j]
 * bias              b: (G,); null when the layer has no bias
 * dKernel, dRecurrentKernel, dBias
 *                   dL/dW, dL/dU, dL/db, summed over the steps and samples of a backward pass
 * dz                one sample's dL/dz_t, between the two halves of a backward step: (G,)
 * batch             the number of samples the buffers are sized for; 0 before the first call
 * x                 x, time-major (row t*batch + b is sample b at step t): (T*batch, F)
 * h                 h: block 0 (batch rows) is h_{-1}, block t+1 is h_t: ((T+1)*batch, U)
 * c                 c, in blocks as h: ((T+1)*batch, U)
 * kept              the values kept for backpropagation, 5·U per sample and step (i, f, c~, o and
 *                   the activation of c_t): (T*batch, 5·U)
 * dhSeq             dL/dh_t from above, time-major, when the layer returns sequences: (T*batch, U)
 * dh, dc            dL/dh_t, dL/dc_t carried from step t+1 to step t: (batch, U); after the backward
 *                   pass, dL/dh_{-1} and dL/dc_{-1}
 * dx                dL/dx, time-major: (T*batch, F); sized on the first backward pass at a batch size
 * </pre>
 * {@link DLstmBuffers} is the same in double. The fields are public because the generated model class,
 * which is not a subclass, reads and fills them; they are not an API.
 */
public abstract class FLstmBuffers {
  public final float[] kernel;
  public final float[] recurrentKernel;
  public final float[] bias;
  public final float[] dKernel;
  public final float[] dRecurrentKernel;
  public final float[] dBias;
  public final float[] dz;
  public int batch;
  public float[] x;
  public float[] h;
  public float[] c;
  public float[] kept;
  public float[] dhSeq;
  public float[] dh;
  public float[] dc;
  public float[] dx;

  private final int units;
  private final int features;
  private final int timesteps;
  private final boolean unitForgetBias;
  private final boolean returnSequences;

  protected FLstmBuffers(int units, int features, int timesteps, boolean useBias, boolean unitForgetBias,
      boolean returnSequences) {
    int gates = 4 * units;
    this.units = units;
    this.features = features;
    this.timesteps = timesteps;
    this.unitForgetBias = unitForgetBias;
    this.returnSequences = returnSequences;
    kernel = new float[features * gates];
    recurrentKernel = new float[units * gates];
    bias = useBias ? new float[gates] : null;
    dKernel = new float[features * gates];
    dRecurrentKernel = new float[units * gates];
    dBias = useBias ? new float[gates] : null;
    dz = new float[gates];
  }

  /**
   * Keras's default initialisers, drawn from {@code rng}: kernel glorot_uniform (U(-l, l),
   * l = sqrt(6 / (fan_in + fan_out))), recurrent kernel orthogonal (orthonormal rows), bias zeros
   * with the forget block at 1 when the layer has unit_forget_bias.
   */
  public final void initialize(SplittableRandom rng) {
    Initializers.glorotUniform(rng, kernel, features, 4 * units);
    Initializers.orthogonal(rng, recurrentKernel, units, 4 * units);
    if (bias != null && unitForgetBias) {
      Arrays.fill(bias, units, 2 * units, 1f);
    }
  }

  /** Sizes the forward buffers for {@code batch} samples; allocates only when the batch size changes. */
  public final void resize(int batch) {
    if (batch == this.batch) {
      return;
    }
    this.batch = batch;
    x = new float[timesteps * batch * features];
    h = new float[(timesteps + 1) * batch * units];
    c = new float[(timesteps + 1) * batch * units];
    kept = new float[timesteps * batch * 5 * units];
    dx = null;
  }

  /**
   * Prepares a backward pass: zeroes the sums of the weights' gradients, sizes the backward buffers
   * for the current batch on the first backward pass at that size, and zeroes the carries dh and dc,
   * which the caller then seeds with the gradients from above.
   */
  public final void startBackward() {
    Arrays.fill(dKernel, 0f);
    Arrays.fill(dRecurrentKernel, 0f);
    if (dBias != null) {
      Arrays.fill(dBias, 0f);
    }
    if (dx != null) {
      Arrays.fill(dh, 0f);
      Arrays.fill(dc, 0f);
      return;
    }
    dx = new float[timesteps * batch * features];
    if (returnSequences) {
      dhSeq = new float[timesteps * batch * units];
    }
    dh = new float[batch * units];
    dc = new float[batch * units];
  }

  /** Sets h_{-1} and c_{-1}, block 0 of h and c: (batch, U) each, or zero when {@code h0} is null. */
  public final void initialState(double[] h0, double[] c0) {
    if (h0 == null) {
      Arrays.fill(h, 0, batch * units, 0f);
      Arrays.fill(c, 0, batch * units, 0f);
    } else {
      Layout.copy(h0, 0, h, 0, batch * units);
      Layout.copy(c0, 0, c, 0, batch * units);
    }
  }
}
