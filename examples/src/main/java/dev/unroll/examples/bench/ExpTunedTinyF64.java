package dev.unroll.examples.bench;

import dev.unroll.Gradients;
import dev.unroll.Tensor;
import dev.unroll.internal.Activations;
import dev.unroll.internal.Layout;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * EXPERIMENT, not library code: a hand-edited copy of the LSTM layer the writer generated (before
 * commit 48e323c, which adopted the row arrays and the exp-based tanh) for
 * {@code @Lstm(units = 8, timesteps = 24, features = 3, returnSequences = true)} in float64, with
 * the candidate phase-2 changes behind levers ({@link ExpLevers}). Written by
 * {@code examples/bench/gen_experiments.py}; checked against the generated model by {@link Check},
 * timed by {@link ExpTunedBench}.
 */
public final class ExpTunedTinyF64 implements ExpModel {
  static final int UNITS = 8;
  static final int FEATURES = 3;
  static final int TIMESTEPS = 24;
  static final int GATES = 4 * UNITS;

  static final boolean ROWS = ExpLevers.ROWS;
  static final boolean ACT = ExpLevers.ACT;
  static final boolean BACK = ExpLevers.BACK;
  static final boolean GRAD = ExpLevers.GRAD;
  static final boolean PROJ = ExpLevers.PROJ;

  final DMatrixRMaj kernel = new DMatrixRMaj(FEATURES, GATES);
  final DMatrixRMaj recurrentKernel = new DMatrixRMaj(UNITS, GATES);
  /** Lever rows: U by rows, (UNITS)(GATES), and U^T by rows, (GATES)(UNITS). */
  final double[][] uRows = new double[UNITS][GATES];
  final double[][] uTRows = new double[GATES][UNITS];
  final double[] bias = new double[GATES];
  /** Lever proj: W by rows, (FEATURES)(GATES). */
  final double[][] wRows = new double[FEATURES][GATES];
  /** Lever grad: the weight gradients by rows, and the dz row of the current sample and step. */
  final double[][] dURows = new double[UNITS][GATES];
  final double[][] dWRows = new double[FEATURES][GATES];
  final double[] dB = new double[GATES];
  final double[] dzRow = new double[GATES];
  /** Levers rows and back: scratch rows of one sample and step, without offsets. */
  final double[] zRow = new double[GATES];
  final double[] gRow = new double[GATES];
  final double[] cRow = new double[UNITS];
  final double[] cNew = new double[UNITS];
  final double[] aRow = new double[UNITS];
  final double[] hRow = new double[UNITS];
  final double[] dhRow = new double[UNITS];
  final double[] dcRow = new double[UNITS];
  final double[] dhsRow = new double[UNITS];

  int batch;
  DMatrixRMaj x;
  DMatrixRMaj z;
  double[] h;
  double[] c;
  double[] actC;
  DMatrixRMaj dz;
  DMatrixRMaj dx;
  DMatrixRMaj hPrev;
  double[] dhSeq;
  double[] dh;
  double[] dc;
  final DMatrixRMaj dKernel = new DMatrixRMaj(FEATURES, GATES);
  final DMatrixRMaj dRecurrentKernel = new DMatrixRMaj(UNITS, GATES);
  final DMatrixRMaj dBias = new DMatrixRMaj(1, GATES);

  // the stepper's state
  private final double[] sx = new double[FEATURES];
  private final double[] sh = new double[UNITS];
  private final double[] sc = new double[UNITS];
  private final double[] sz = new double[GATES];

  @Override
  public void setWeights(List<Tensor> w) {
    Layout.copy(w.get(0).data(), 0, kernel.data, 0, FEATURES * GATES);
    Layout.copy(w.get(1).data(), 0, recurrentKernel.data, 0, UNITS * GATES);
    Layout.copy(w.get(2).data(), 0, bias, 0, GATES);
    for (int k = 0; k < UNITS; k++) {
      for (int j = 0; j < GATES; j++) {
        uRows[k][j] = recurrentKernel.data[k * GATES + j];
        uTRows[j][k] = recurrentKernel.data[k * GATES + j];
      }
    }
    for (int k = 0; k < FEATURES; k++) {
      System.arraycopy(kernel.data, k * GATES, wRows[k], 0, GATES);
    }
  }

  // ---- activations: as generated (Activations.*), or the experiment's

  private static double sig(double v) {
    return ACT ? Activations.sigmoid(v) : Activations.sigmoid(v);
  }

  private static double th(double v) {
    return ACT ? ExpMath.tanhExp(v) : Activations.tanh(v);
  }

  // ---- the model's calls, as the generated ones minus the shape checks

  @Override
  public Tensor predict(Tensor xt, Tensor out) {
    int batch = run(xt);
    Layout.fromTimeMajor(h, batch * UNITS, out.data(), batch, TIMESTEPS, UNITS, false);
    return out;
  }

  @Override
  public Gradients gradients(Tensor xt, Tensor dOutput, Gradients into) {
    int batch = run(xt);
    startBackward();
    Layout.toTimeMajor(dOutput.data(), dhSeq, batch, TIMESTEPS, UNITS, false);
    backward();
    List<Tensor> w = into.weights();
    Layout.copy(dKernel.data, 0, w.get(0).data(), 0, FEATURES * GATES);
    Layout.copy(dRecurrentKernel.data, 0, w.get(1).data(), 0, UNITS * GATES);
    Layout.copy(dBias.data, 0, w.get(2).data(), 0, GATES);
    Layout.fromTimeMajor(dx.data, 0, into.input().data(), batch, TIMESTEPS, FEATURES, false);
    Layout.copy(dh, 0, into.initialState().get(0).data(), 0, batch * UNITS);
    Layout.copy(dc, 0, into.initialState().get(1).data(), 0, batch * UNITS);
    return into;
  }

  /** The generated forward(x, null, batch): x into the time-major buffer, zero state, the layer. */
  private int run(Tensor xt) {
    int batch = xt.dim(0);
    resize(batch);
    Layout.toTimeMajor(xt.data(), x.data, batch, TIMESTEPS, FEATURES, false);
    Arrays.fill(h, 0, batch * UNITS, 0.0);
    Arrays.fill(c, 0, batch * UNITS, 0.0);
    forward();
    return batch;
  }

  @Override
  public void step(double[] input, double[] result) {
    Layout.copy(input, 0, sx, 0, FEATURES);
    stepOne(sx, sh, sc, sz);
    Layout.copy(sh, 0, result, 0, UNITS);
  }

  // ---- the layer, as generated, with the levers

  void resize(int batch) {
    if (batch == this.batch) {
      return;
    }
    this.batch = batch;
    x = new DMatrixRMaj(TIMESTEPS * batch, FEATURES);
    z = new DMatrixRMaj(TIMESTEPS * batch, GATES);
    h = new double[(TIMESTEPS + 1) * batch * UNITS];
    c = new double[(TIMESTEPS + 1) * batch * UNITS];
    actC = new double[TIMESTEPS * batch * UNITS];
    dz = null;
  }

  void startBackward() {
    if (GRAD) {
      for (int k = 0; k < UNITS; k++) {
        Arrays.fill(dURows[k], 0.0);
      }
      for (int k = 0; k < FEATURES; k++) {
        Arrays.fill(dWRows[k], 0.0);
      }
      Arrays.fill(dB, 0.0);
    }
    if (dz != null) {
      Arrays.fill(dh, 0.0);
      Arrays.fill(dc, 0.0);
      return;
    }
    dz = new DMatrixRMaj(TIMESTEPS * batch, GATES);
    dx = new DMatrixRMaj(TIMESTEPS * batch, FEATURES);
    hPrev = DMatrixRMaj.wrap(TIMESTEPS * batch, UNITS, h);
    dhSeq = new double[TIMESTEPS * batch * UNITS];
    dh = new double[batch * UNITS];
    dc = new double[batch * UNITS];
  }

  void forward() {
    if (!PROJ) {
      CommonOps_DDRM.mult(x, kernel, z);
    }
    for (int t = 0; t < TIMESTEPS; t++) {
      step(t);
    }
  }

  private void step(int t) {
    final double[] zs = z.data;
    final double[] us = recurrentKernel.data;
    final double[] xs = x.data;
    for (int b = 0; b < batch; b++) {
      int row = t * batch + b;
      int zo = row * GATES;
      int prev = row * UNITS;
      int next = prev + batch * UNITS;
      if (ROWS) {
        final double[] zr = zRow;
        if (PROJ) {
          // z_t = b + x_t @ W, one row of W per feature
          System.arraycopy(bias, 0, zr, 0, GATES);
          for (int k = 0; k < FEATURES; k++) {
            double xk = xs[row * FEATURES + k];
            final double[] r = wRows[k];
            for (int j = 0; j < GATES; j++) {
              zr[j] += xk * r[j];
            }
          }
        } else {
          System.arraycopy(zs, zo, zr, 0, GATES);
          for (int j = 0; j < GATES; j++) {
            zr[j] += bias[j];
          }
        }
        // z_t += h_{t-1} @ U, four rows of U per pass
        int k = 0;
        for (; k + 4 <= UNITS; k += 4) {
          double h0 = h[prev + k];
          double h1 = h[prev + k + 1];
          double h2 = h[prev + k + 2];
          double h3 = h[prev + k + 3];
          final double[] r0 = uRows[k];
          final double[] r1 = uRows[k + 1];
          final double[] r2 = uRows[k + 2];
          final double[] r3 = uRows[k + 3];
          for (int j = 0; j < GATES; j++) {
            zr[j] += h0 * r0[j] + h1 * r1[j] + h2 * r2[j] + h3 * r3[j];
          }
        }
        for (; k < UNITS; k++) {
          double hk = h[prev + k];
          final double[] r = uRows[k];
          for (int j = 0; j < GATES; j++) {
            zr[j] += hk * r[j];
          }
        }
        // the gates on scratch rows (constant offsets only), then copied out
        final double[] gr = gRow;
        final double[] cr = cRow;
        final double[] cn = cNew;
        final double[] ar = aRow;
        final double[] hr = hRow;
        System.arraycopy(c, prev, cr, 0, UNITS);
        for (int j = 0; j < UNITS; j++) {
          double i = sig(zr[j]);
          double f = sig(zr[UNITS + j]);
          double g = th(zr[2 * UNITS + j]);
          double o = sig(zr[3 * UNITS + j]);
          double ct = f * cr[j] + i * g;
          double at = th(ct);
          gr[j] = i;
          gr[UNITS + j] = f;
          gr[2 * UNITS + j] = g;
          gr[3 * UNITS + j] = o;
          cn[j] = ct;
          ar[j] = at;
          hr[j] = o * at;
        }
        System.arraycopy(gr, 0, zs, zo, GATES);
        System.arraycopy(cn, 0, c, next, UNITS);
        System.arraycopy(ar, 0, actC, prev, UNITS);
        System.arraycopy(hr, 0, h, next, UNITS);
        continue;
      }
      if (PROJ) {
        for (int j = 0; j < GATES; j++) {
          zs[zo + j] = bias[j];
        }
        for (int k = 0; k < FEATURES; k++) {
          double xk = xs[row * FEATURES + k];
          final double[] r = wRows[k];
          for (int j = 0; j < GATES; j++) {
            zs[zo + j] += xk * r[j];
          }
        }
      } else {
        for (int j = 0; j < GATES; j++) {
          zs[zo + j] += bias[j];
        }
      }
      for (int k = 0; k < UNITS; k++) {
        double hk = h[prev + k];
        int uo = k * GATES;
        for (int j = 0; j < GATES; j++) {
          zs[zo + j] += hk * us[uo + j];
        }
      }
      for (int j = 0; j < UNITS; j++) {
        double i = sig(zs[zo + j]);
        double f = sig(zs[zo + UNITS + j]);
        double g = th(zs[zo + 2 * UNITS + j]);
        double o = sig(zs[zo + 3 * UNITS + j]);
        double ct = f * c[prev + j] + i * g;
        double at = th(ct);
        zs[zo + j] = i;
        zs[zo + UNITS + j] = f;
        zs[zo + 2 * UNITS + j] = g;
        zs[zo + 3 * UNITS + j] = o;
        c[next + j] = ct;
        actC[prev + j] = at;
        h[next + j] = o * at;
      }
    }
  }

  void backward() {
    for (int t = TIMESTEPS - 1; t >= 0; t--) {
      backwardStep(t);
    }
    if (GRAD) {
      for (int k = 0; k < FEATURES; k++) {
        System.arraycopy(dWRows[k], 0, dKernel.data, k * GATES, GATES);
      }
      for (int k = 0; k < UNITS; k++) {
        System.arraycopy(dURows[k], 0, dRecurrentKernel.data, k * GATES, GATES);
      }
      System.arraycopy(dB, 0, dBias.data, 0, GATES);
    } else {
      CommonOps_DDRM.multTransA(x, dz, dKernel);
      CommonOps_DDRM.multTransA(hPrev, dz, dRecurrentKernel);
      CommonOps_DDRM.sumCols(dz, dBias);
    }
    CommonOps_DDRM.multTransB(dz, kernel, dx);
  }

  private void backwardStep(int t) {
    final double[] zs = z.data;
    final double[] dzs = dz.data;
    final double[] us = recurrentKernel.data;
    for (int b = 0; b < batch; b++) {
      int row = t * batch + b;
      int zo = row * GATES;
      int prev = row * UNITS;
      int carry = b * UNITS;
      if (BACK) {
        final double[] gr = gRow;
        final double[] ar = aRow;
        final double[] cr = cRow;
        final double[] dhr = dhRow;
        final double[] dcr = dcRow;
        final double[] dsr = dhsRow;
        final double[] dzr = dzRow;
        System.arraycopy(zs, zo, gr, 0, GATES);
        System.arraycopy(actC, prev, ar, 0, UNITS);
        System.arraycopy(c, prev, cr, 0, UNITS);
        System.arraycopy(dh, carry, dhr, 0, UNITS);
        System.arraycopy(dc, carry, dcr, 0, UNITS);
        System.arraycopy(dhSeq, prev, dsr, 0, UNITS);
        for (int j = 0; j < UNITS; j++) {
          double i = gr[j];
          double f = gr[UNITS + j];
          double g = gr[2 * UNITS + j];
          double o = gr[3 * UNITS + j];
          double at = ar[j];
          double dht = dhr[j] + dsr[j];
          double dct = dcr[j] + dht * o * Activations.tanhGrad(at);
          dzr[j] = dct * g * Activations.sigmoidGrad(i);
          dzr[UNITS + j] = dct * cr[j] * Activations.sigmoidGrad(f);
          dzr[2 * UNITS + j] = dct * i * Activations.tanhGrad(g);
          dzr[3 * UNITS + j] = dht * at * Activations.sigmoidGrad(o);
          dcr[j] = dct * f;
        }
        System.arraycopy(dzr, 0, dzs, zo, GATES);
        System.arraycopy(dcr, 0, dc, carry, UNITS);
        // dL/dh_{t-1} = dz_t @ U^T in axpy form: four rows of U^T per pass
        Arrays.fill(dhr, 0.0);
        for (int j = 0; j < GATES; j += 4) {
          double d0 = dzr[j];
          double d1 = dzr[j + 1];
          double d2 = dzr[j + 2];
          double d3 = dzr[j + 3];
          final double[] r0 = uTRows[j];
          final double[] r1 = uTRows[j + 1];
          final double[] r2 = uTRows[j + 2];
          final double[] r3 = uTRows[j + 3];
          for (int k = 0; k < UNITS; k++) {
            dhr[k] += d0 * r0[k] + d1 * r1[k] + d2 * r2[k] + d3 * r3[k];
          }
        }
        System.arraycopy(dhr, 0, dh, carry, UNITS);
      } else {
        for (int j = 0; j < UNITS; j++) {
          double i = zs[zo + j];
          double f = zs[zo + UNITS + j];
          double g = zs[zo + 2 * UNITS + j];
          double o = zs[zo + 3 * UNITS + j];
          double at = actC[prev + j];
          double dht = dh[carry + j] + dhSeq[prev + j];
          double dct = dc[carry + j] + dht * o * Activations.tanhGrad(at);
          dzs[zo + j] = dct * g * Activations.sigmoidGrad(i);
          dzs[zo + UNITS + j] = dct * c[prev + j] * Activations.sigmoidGrad(f);
          dzs[zo + 2 * UNITS + j] = dct * i * Activations.tanhGrad(g);
          dzs[zo + 3 * UNITS + j] = dht * at * Activations.sigmoidGrad(o);
          dc[carry + j] = dct * f;
        }
        for (int k = 0; k < UNITS; k++) {
          double s = 0.0;
          int uo = k * GATES;
          for (int j = 0; j < GATES; j++) {
            s += dzs[zo + j] * us[uo + j];
          }
          dh[carry + k] = s;
        }
      }
      if (GRAD) {
        // dW += x_t^T dz_t, dU += h_{t-1}^T dz_t, db += dz_t: one sample, axpy form into row arrays
        if (!BACK) {
          System.arraycopy(dzs, zo, dzRow, 0, GATES);
        }
        final double[] dzr = dzRow;
        final double[] xs = x.data;
        for (int k = 0; k < FEATURES; k++) {
          double xk = xs[row * FEATURES + k];
          final double[] d = dWRows[k];
          for (int j = 0; j < GATES; j++) {
            d[j] += xk * dzr[j];
          }
        }
        for (int k = 0; k < UNITS; k++) {
          double hk = h[prev + k];
          final double[] d = dURows[k];
          for (int j = 0; j < GATES; j++) {
            d[j] += hk * dzr[j];
          }
        }
        for (int j = 0; j < GATES; j++) {
          dB[j] += dzr[j];
        }
      }
    }
  }

  void stepOne(double[] x, double[] h, double[] c, double[] z) {
    final double[] ws = kernel.data;
    final double[] us = recurrentKernel.data;
    System.arraycopy(bias, 0, z, 0, GATES);
    for (int k = 0; k < FEATURES; k++) {
      double xk = x[k];
      if (PROJ) {
        final double[] r = wRows[k];
        for (int j = 0; j < GATES; j++) {
          z[j] += xk * r[j];
        }
      } else {
        int wo = k * GATES;
        for (int j = 0; j < GATES; j++) {
          z[j] += xk * ws[wo + j];
        }
      }
    }
    if (ROWS) {
      for (int k = 0; k < UNITS; k++) {
        double hk = h[k];
        final double[] r = uRows[k];
        for (int j = 0; j < GATES; j++) {
          z[j] += hk * r[j];
        }
      }
    } else {
      for (int k = 0; k < UNITS; k++) {
        double hk = h[k];
        int uo = k * GATES;
        for (int j = 0; j < GATES; j++) {
          z[j] += hk * us[uo + j];
        }
      }
    }
    for (int j = 0; j < UNITS; j++) {
      double i = sig(z[j]);
      double f = sig(z[UNITS + j]);
      double g = th(z[2 * UNITS + j]);
      double o = sig(z[3 * UNITS + j]);
      c[j] = f * c[j] + i * g;
      h[j] = o * th(c[j]);
    }
  }
}
