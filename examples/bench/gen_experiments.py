#!/usr/bin/env python3
"""Writes the phase-2 experiment classes ExpTuned<Config>F<32|64>.java into the bench package.

Each is a hand-edited copy of the LSTM layer that the Unroll writer generates today (see
UnrolledBenchModels_MidF64 under examples/target/generated-sources), with its shapes as constants,
plus the candidate phase-2 changes, each behind a lever (a static final flag that C2 folds away):

  rows  the step works on scratch rows without offsets (z_t of the sample copied in, gates, c, h
        written to scratch and copied out with System.arraycopy), the recurrent kernel U is kept as
        one array per row, and h_{t-1}@U is in axpy form over four rows at a time: no array index in
        an inner loop carries a loop-invariant offset, so C2's SuperWord vectorises the loops (it
        does not vectorise zs[zo + j] += hk * us[uo + j], the generated form)
  act   activations without Math.tanh (a JNI call into fdlibm on JDK 17): tanh from the exp
        intrinsic in float64; call-free rational approximations in float32 (vectorisable)
  back  the backward step on scratch rows likewise (gates, tanh(c_t), c_{t-1}, dh, dc copied in;
        dz, dc, dh copied out), and dL/dh_{t-1} = dz_t U^T in axpy form over four rows of U^T at a
        time (the generated code computes dot products, FP reductions C2 does not vectorise)
  grad  dW, dU and db accumulated per sample and step in axpy form into row arrays, from a copy of
        the dz row without offset, instead of EJML's multTransA and sumCols after the loop (scalar)
  proj  the input projection x_t W + b per sample in axpy form over the rows of W inside the step,
        instead of one EJML product over all steps before the loop (scalar) and a bias pass

With no lever on, the code is the layer as the writer generated it before commit 48e323c (flat U,
z_t updated in place); it calls the runtime's Activations, so since 48e323c "none" has the exp-based
tanh too (the figures in the phase-1 report for "none" were measured before, with Math.tanh). The levers are read from the system property
exp.levers (e.g. "rows,act"; "all"; "none") when the class is initialised: ExpTunedBench sets it
per JMH fork. Run:  python3 examples/bench/gen_experiments.py  (then rebuild); the output is
committed so that the build needs no Python.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_DIR = os.path.join(HERE, "..", "src", "main", "java", "dev", "unroll", "examples", "bench")

SHAPES = {"Tiny": (8, 3, 24), "Mid": (32, 8, 50), "Big": (128, 32, 100), "Large": (256, 64, 64)}

TEMPLATE = r'''package dev.unroll.examples.bench;

import dev.unroll.Gradients;
import dev.unroll.Tensor;
import dev.unroll.internal.Activations;
import dev.unroll.internal.Layout;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.@M@;
import org.ejml.dense.row.@OPS@;

/**
 * EXPERIMENT, not library code: a hand-edited copy of the LSTM layer the writer generated (before
 * commit 48e323c, which adopted the row arrays and the exp-based tanh) for
 * {@code @Lstm(units = @U@, timesteps = @T@, features = @F@, returnSequences = true)}@F32DOC@, with
 * the candidate phase-2 changes behind levers ({@link ExpLevers}). Written by
 * {@code examples/bench/gen_experiments.py}; checked against the generated model by {@link Check},
 * timed by {@link ExpTunedBench}.
 */
public final class @NAME@ implements ExpModel {
  static final int UNITS = @U@;
  static final int FEATURES = @F@;
  static final int TIMESTEPS = @T@;
  static final int GATES = 4 * UNITS;

  static final boolean ROWS = ExpLevers.ROWS;
  static final boolean ACT = ExpLevers.ACT;
  static final boolean BACK = ExpLevers.BACK;
  static final boolean GRAD = ExpLevers.GRAD;
  static final boolean PROJ = ExpLevers.PROJ;

  final @M@ kernel = new @M@(FEATURES, GATES);
  final @M@ recurrentKernel = new @M@(UNITS, GATES);
  /** Lever rows: U by rows, (UNITS)(GATES), and U^T by rows, (GATES)(UNITS). */
  final @S@[][] uRows = new @S@[UNITS][GATES];
  final @S@[][] uTRows = new @S@[GATES][UNITS];
  final @S@[] bias = new @S@[GATES];
  /** Lever proj: W by rows, (FEATURES)(GATES). */
  final @S@[][] wRows = new @S@[FEATURES][GATES];
  /** Lever grad: the weight gradients by rows, and the dz row of the current sample and step. */
  final @S@[][] dURows = new @S@[UNITS][GATES];
  final @S@[][] dWRows = new @S@[FEATURES][GATES];
  final @S@[] dB = new @S@[GATES];
  final @S@[] dzRow = new @S@[GATES];
  /** Levers rows and back: scratch rows of one sample and step, without offsets. */
  final @S@[] zRow = new @S@[GATES];
  final @S@[] gRow = new @S@[GATES];
  final @S@[] cRow = new @S@[UNITS];
  final @S@[] cNew = new @S@[UNITS];
  final @S@[] aRow = new @S@[UNITS];
  final @S@[] hRow = new @S@[UNITS];
  final @S@[] dhRow = new @S@[UNITS];
  final @S@[] dcRow = new @S@[UNITS];
  final @S@[] dhsRow = new @S@[UNITS];

  int batch;
  @M@ x;
  @M@ z;
  @S@[] h;
  @S@[] c;
  @S@[] actC;
  @M@ dz;
  @M@ dx;
  @M@ hPrev;
  @S@[] dhSeq;
  @S@[] dh;
  @S@[] dc;
  final @M@ dKernel = new @M@(FEATURES, GATES);
  final @M@ dRecurrentKernel = new @M@(UNITS, GATES);
  final @M@ dBias = new @M@(1, GATES);

  // the stepper's state
  private final @S@[] sx = new @S@[FEATURES];
  private final @S@[] sh = new @S@[UNITS];
  private final @S@[] sc = new @S@[UNITS];
  private final @S@[] sz = new @S@[GATES];

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

  private static @S@ sig(@S@ v) {
    return ACT ? @SIGFAST@ : Activations.sigmoid(v);
  }

  private static @S@ th(@S@ v) {
    return ACT ? @TANHFAST@ : Activations.tanh(v);
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
    Arrays.fill(h, 0, batch * UNITS, @ZERO@);
    Arrays.fill(c, 0, batch * UNITS, @ZERO@);
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
    x = new @M@(TIMESTEPS * batch, FEATURES);
    z = new @M@(TIMESTEPS * batch, GATES);
    h = new @S@[(TIMESTEPS + 1) * batch * UNITS];
    c = new @S@[(TIMESTEPS + 1) * batch * UNITS];
    actC = new @S@[TIMESTEPS * batch * UNITS];
    dz = null;
  }

  void startBackward() {
    if (GRAD) {
      for (int k = 0; k < UNITS; k++) {
        Arrays.fill(dURows[k], @ZERO@);
      }
      for (int k = 0; k < FEATURES; k++) {
        Arrays.fill(dWRows[k], @ZERO@);
      }
      Arrays.fill(dB, @ZERO@);
    }
    if (dz != null) {
      Arrays.fill(dh, @ZERO@);
      Arrays.fill(dc, @ZERO@);
      return;
    }
    dz = new @M@(TIMESTEPS * batch, GATES);
    dx = new @M@(TIMESTEPS * batch, FEATURES);
    hPrev = @M@.wrap(TIMESTEPS * batch, UNITS, h);
    dhSeq = new @S@[TIMESTEPS * batch * UNITS];
    dh = new @S@[batch * UNITS];
    dc = new @S@[batch * UNITS];
  }

  void forward() {
    if (!PROJ) {
      @OPS@.mult(x, kernel, z);
    }
    for (int t = 0; t < TIMESTEPS; t++) {
      step(t);
    }
  }

  private void step(int t) {
    final @S@[] zs = z.data;
    final @S@[] us = recurrentKernel.data;
    final @S@[] xs = x.data;
    for (int b = 0; b < batch; b++) {
      int row = t * batch + b;
      int zo = row * GATES;
      int prev = row * UNITS;
      int next = prev + batch * UNITS;
      if (ROWS) {
        final @S@[] zr = zRow;
        if (PROJ) {
          // z_t = b + x_t @ W, one row of W per feature
          System.arraycopy(bias, 0, zr, 0, GATES);
          for (int k = 0; k < FEATURES; k++) {
            @S@ xk = xs[row * FEATURES + k];
            final @S@[] r = wRows[k];
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
          @S@ h0 = h[prev + k];
          @S@ h1 = h[prev + k + 1];
          @S@ h2 = h[prev + k + 2];
          @S@ h3 = h[prev + k + 3];
          final @S@[] r0 = uRows[k];
          final @S@[] r1 = uRows[k + 1];
          final @S@[] r2 = uRows[k + 2];
          final @S@[] r3 = uRows[k + 3];
          for (int j = 0; j < GATES; j++) {
            zr[j] += h0 * r0[j] + h1 * r1[j] + h2 * r2[j] + h3 * r3[j];
          }
        }
        for (; k < UNITS; k++) {
          @S@ hk = h[prev + k];
          final @S@[] r = uRows[k];
          for (int j = 0; j < GATES; j++) {
            zr[j] += hk * r[j];
          }
        }
        // the gates on scratch rows (constant offsets only), then copied out
        final @S@[] gr = gRow;
        final @S@[] cr = cRow;
        final @S@[] cn = cNew;
        final @S@[] ar = aRow;
        final @S@[] hr = hRow;
        System.arraycopy(c, prev, cr, 0, UNITS);
        for (int j = 0; j < UNITS; j++) {
          @S@ i = sig(zr[j]);
          @S@ f = sig(zr[UNITS + j]);
          @S@ g = th(zr[2 * UNITS + j]);
          @S@ o = sig(zr[3 * UNITS + j]);
          @S@ ct = f * cr[j] + i * g;
          @S@ at = th(ct);
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
          @S@ xk = xs[row * FEATURES + k];
          final @S@[] r = wRows[k];
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
        @S@ hk = h[prev + k];
        int uo = k * GATES;
        for (int j = 0; j < GATES; j++) {
          zs[zo + j] += hk * us[uo + j];
        }
      }
      for (int j = 0; j < UNITS; j++) {
        @S@ i = sig(zs[zo + j]);
        @S@ f = sig(zs[zo + UNITS + j]);
        @S@ g = th(zs[zo + 2 * UNITS + j]);
        @S@ o = sig(zs[zo + 3 * UNITS + j]);
        @S@ ct = f * c[prev + j] + i * g;
        @S@ at = th(ct);
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
      @OPS@.multTransA(x, dz, dKernel);
      @OPS@.multTransA(hPrev, dz, dRecurrentKernel);
      @OPS@.sumCols(dz, dBias);
    }
    @OPS@.multTransB(dz, kernel, dx);
  }

  private void backwardStep(int t) {
    final @S@[] zs = z.data;
    final @S@[] dzs = dz.data;
    final @S@[] us = recurrentKernel.data;
    for (int b = 0; b < batch; b++) {
      int row = t * batch + b;
      int zo = row * GATES;
      int prev = row * UNITS;
      int carry = b * UNITS;
      if (BACK) {
        final @S@[] gr = gRow;
        final @S@[] ar = aRow;
        final @S@[] cr = cRow;
        final @S@[] dhr = dhRow;
        final @S@[] dcr = dcRow;
        final @S@[] dsr = dhsRow;
        final @S@[] dzr = dzRow;
        System.arraycopy(zs, zo, gr, 0, GATES);
        System.arraycopy(actC, prev, ar, 0, UNITS);
        System.arraycopy(c, prev, cr, 0, UNITS);
        System.arraycopy(dh, carry, dhr, 0, UNITS);
        System.arraycopy(dc, carry, dcr, 0, UNITS);
        System.arraycopy(dhSeq, prev, dsr, 0, UNITS);
        for (int j = 0; j < UNITS; j++) {
          @S@ i = gr[j];
          @S@ f = gr[UNITS + j];
          @S@ g = gr[2 * UNITS + j];
          @S@ o = gr[3 * UNITS + j];
          @S@ at = ar[j];
          @S@ dht = dhr[j] + dsr[j];
          @S@ dct = dcr[j] + dht * o * Activations.tanhGrad(at);
          dzr[j] = dct * g * Activations.sigmoidGrad(i);
          dzr[UNITS + j] = dct * cr[j] * Activations.sigmoidGrad(f);
          dzr[2 * UNITS + j] = dct * i * Activations.tanhGrad(g);
          dzr[3 * UNITS + j] = dht * at * Activations.sigmoidGrad(o);
          dcr[j] = dct * f;
        }
        System.arraycopy(dzr, 0, dzs, zo, GATES);
        System.arraycopy(dcr, 0, dc, carry, UNITS);
        // dL/dh_{t-1} = dz_t @ U^T in axpy form: four rows of U^T per pass
        Arrays.fill(dhr, @ZERO@);
        for (int j = 0; j < GATES; j += 4) {
          @S@ d0 = dzr[j];
          @S@ d1 = dzr[j + 1];
          @S@ d2 = dzr[j + 2];
          @S@ d3 = dzr[j + 3];
          final @S@[] r0 = uTRows[j];
          final @S@[] r1 = uTRows[j + 1];
          final @S@[] r2 = uTRows[j + 2];
          final @S@[] r3 = uTRows[j + 3];
          for (int k = 0; k < UNITS; k++) {
            dhr[k] += d0 * r0[k] + d1 * r1[k] + d2 * r2[k] + d3 * r3[k];
          }
        }
        System.arraycopy(dhr, 0, dh, carry, UNITS);
      } else {
        for (int j = 0; j < UNITS; j++) {
          @S@ i = zs[zo + j];
          @S@ f = zs[zo + UNITS + j];
          @S@ g = zs[zo + 2 * UNITS + j];
          @S@ o = zs[zo + 3 * UNITS + j];
          @S@ at = actC[prev + j];
          @S@ dht = dh[carry + j] + dhSeq[prev + j];
          @S@ dct = dc[carry + j] + dht * o * Activations.tanhGrad(at);
          dzs[zo + j] = dct * g * Activations.sigmoidGrad(i);
          dzs[zo + UNITS + j] = dct * c[prev + j] * Activations.sigmoidGrad(f);
          dzs[zo + 2 * UNITS + j] = dct * i * Activations.tanhGrad(g);
          dzs[zo + 3 * UNITS + j] = dht * at * Activations.sigmoidGrad(o);
          dc[carry + j] = dct * f;
        }
        for (int k = 0; k < UNITS; k++) {
          @S@ s = @ZERO@;
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
        final @S@[] dzr = dzRow;
        final @S@[] xs = x.data;
        for (int k = 0; k < FEATURES; k++) {
          @S@ xk = xs[row * FEATURES + k];
          final @S@[] d = dWRows[k];
          for (int j = 0; j < GATES; j++) {
            d[j] += xk * dzr[j];
          }
        }
        for (int k = 0; k < UNITS; k++) {
          @S@ hk = h[prev + k];
          final @S@[] d = dURows[k];
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

  void stepOne(@S@[] x, @S@[] h, @S@[] c, @S@[] z) {
    final @S@[] ws = kernel.data;
    final @S@[] us = recurrentKernel.data;
    System.arraycopy(bias, 0, z, 0, GATES);
    for (int k = 0; k < FEATURES; k++) {
      @S@ xk = x[k];
      if (PROJ) {
        final @S@[] r = wRows[k];
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
        @S@ hk = h[k];
        final @S@[] r = uRows[k];
        for (int j = 0; j < GATES; j++) {
          z[j] += hk * r[j];
        }
      }
    } else {
      for (int k = 0; k < UNITS; k++) {
        @S@ hk = h[k];
        int uo = k * GATES;
        for (int j = 0; j < GATES; j++) {
          z[j] += hk * us[uo + j];
        }
      }
    }
    for (int j = 0; j < UNITS; j++) {
      @S@ i = sig(z[j]);
      @S@ f = sig(z[UNITS + j]);
      @S@ g = th(z[2 * UNITS + j]);
      @S@ o = sig(z[3 * UNITS + j]);
      c[j] = f * c[j] + i * g;
      h[j] = o * th(c[j]);
    }
  }
}
'''


def main():
    for shape, (u, f, t) in SHAPES.items():
        for bits in (32, 64):
            name = f"ExpTuned{shape}F{bits}"
            f32 = bits == 32
            rep = {
                "@NAME@": name, "@U@": str(u), "@F@": str(f), "@T@": str(t),
                "@S@": "float" if f32 else "double",
                "@M@": "FMatrixRMaj" if f32 else "DMatrixRMaj",
                "@OPS@": "CommonOps_FDRM" if f32 else "CommonOps_DDRM",
                "@ZERO@": "0f" if f32 else "0.0",
                "@F32DOC@": " in float32 ({@code @Float32})" if f32 else " in float64",
                "@SIGFAST@": "ExpMath.sigmoidRational(v)" if f32 else "Activations.sigmoid(v)",
                "@TANHFAST@": "ExpMath.tanhRational(v)" if f32 else "ExpMath.tanhExp(v)",
            }
            src = TEMPLATE
            for k, v in rep.items():
                src = src.replace(k, v)
            with open(os.path.join(PKG_DIR, name + ".java"), "w") as fh:
                fh.write(src)
            print("wrote", name + ".java")


if __name__ == "__main__":
    main()
