package dev.unroll.examples.bench;

import dev.unroll.Tensor;
import java.util.List;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;

/**
 * The one-thread baseline: an LSTM layer (Keras semantics, gate blocks i, f, c, o, returning the
 * whole sequence) written the plain way over EJML, in float. Per timestep, {@code x_t·W} and
 * {@code h_{t-1}·U} are each one {@code CommonOps_FDRM} product over the batch, the gates are an
 * elementwise loop; BPTT mirrors it with {@code multAddTransA} for dW and dU and
 * {@code multTransB} for dh_{t-1} and dx_t. Buffers are allocated once per batch size (a careful
 * user's version; a careless one would allocate per step).
 *
 * <p>Nothing here is generated or specialised to a shape: shapes are fields. Not thread-safe.
 */
public final class EjmlLstm32 implements BaselineLstm {
  private final int units;
  private final int features;
  private final int timesteps;
  private final int gates;

  private final FMatrixRMaj kernel;
  private final FMatrixRMaj recurrent;
  private final float[] bias;
  private final FMatrixRMaj dKernel;
  private final FMatrixRMaj dRecurrent;
  private final float[] dBias;

  private int batch;
  private FMatrixRMaj[] xs; // x_t, (B, F) per step
  private FMatrixRMaj[] hs; // h_{t-1} at [t], (B, U); [0] is the zero initial state
  private FMatrixRMaj[] cs; // c_{t-1} at [t], (B, U)
  private FMatrixRMaj[] acts; // z_t, then the gate values i, f, c~, o in place: (B, 4U)
  private FMatrixRMaj[] tanhCs; // tanh(c_t), (B, U)
  private FMatrixRMaj dz; // (B, 4U)
  private FMatrixRMaj dh; // dL/dh_t carried back, (B, U)
  private FMatrixRMaj dc; // dL/dc_t carried back, (B, U)
  private FMatrixRMaj dxt; // dL/dx_t, (B, F)
  private float[] dx; // (B, T, F)

  public EjmlLstm32(int units, int features, int timesteps, List<Tensor> kerasWeights) {
    this.units = units;
    this.features = features;
    this.timesteps = timesteps;
    this.gates = 4 * units;
    kernel = new FMatrixRMaj(features, gates);
    recurrent = new FMatrixRMaj(units, gates);
    bias = new float[gates];
    toFloat(kerasWeights.get(0).data(), 0, kernel.data, 0, features * gates);
    toFloat(kerasWeights.get(1).data(), 0, recurrent.data, 0, units * gates);
    toFloat(kerasWeights.get(2).data(), 0, bias, 0, gates);
    dKernel = new FMatrixRMaj(features, gates);
    dRecurrent = new FMatrixRMaj(units, gates);
    dBias = new float[gates];
  }

  private void resize(int batch) {
    if (batch == this.batch) {
      return;
    }
    this.batch = batch;
    xs = new FMatrixRMaj[timesteps];
    hs = new FMatrixRMaj[timesteps + 1];
    cs = new FMatrixRMaj[timesteps + 1];
    acts = new FMatrixRMaj[timesteps];
    tanhCs = new FMatrixRMaj[timesteps];
    for (int t = 0; t < timesteps; t++) {
      xs[t] = new FMatrixRMaj(batch, features);
      acts[t] = new FMatrixRMaj(batch, gates);
      tanhCs[t] = new FMatrixRMaj(batch, units);
    }
    for (int t = 0; t <= timesteps; t++) {
      hs[t] = new FMatrixRMaj(batch, units);
      cs[t] = new FMatrixRMaj(batch, units);
    }
    dz = new FMatrixRMaj(batch, gates);
    dh = new FMatrixRMaj(batch, units);
    dc = new FMatrixRMaj(batch, units);
    dxt = new FMatrixRMaj(batch, features);
    dx = new float[batch * timesteps * features];
  }

  private static float sigmoid(float x) {
    return 1f / (1f + (float) Math.exp(-x));
  }

  private static void toFloat(double[] src, int srcOffset, float[] dst, int dstOffset, int n) {
    for (int k = 0; k < n; k++) {
      dst[dstOffset + k] = (float) src[srcOffset + k];
    }
  }

  private static double[] toDouble(float[] src) {
    double[] d = new double[src.length];
    for (int k = 0; k < src.length; k++) {
      d[k] = src[k];
    }
    return d;
  }

  private void forward(double[] x, int batch) {
    resize(batch);
    hs[0].zero();
    cs[0].zero();
    for (int t = 0; t < timesteps; t++) {
      FMatrixRMaj xt = xs[t];
      for (int b = 0; b < batch; b++) {
        toFloat(x, (b * timesteps + t) * features, xt.data, b * features, features);
      }
      FMatrixRMaj a = acts[t];
      CommonOps_FDRM.mult(xt, kernel, a); // z = x_t W
      CommonOps_FDRM.multAdd(hs[t], recurrent, a); // z += h_{t-1} U
      float[] z = a.data;
      float[] cPrev = cs[t].data;
      float[] cNext = cs[t + 1].data;
      float[] hNext = hs[t + 1].data;
      float[] th = tanhCs[t].data;
      for (int b = 0; b < batch; b++) {
        int zo = b * gates;
        int so = b * units;
        for (int j = 0; j < units; j++) {
          float i = sigmoid(z[zo + j] + bias[j]);
          float f = sigmoid(z[zo + units + j] + bias[units + j]);
          float g = (float) Math.tanh(z[zo + 2 * units + j] + bias[2 * units + j]);
          float o = sigmoid(z[zo + 3 * units + j] + bias[3 * units + j]);
          float c = f * cPrev[so + j] + i * g;
          float tc = (float) Math.tanh(c);
          z[zo + j] = i;
          z[zo + units + j] = f;
          z[zo + 2 * units + j] = g;
          z[zo + 3 * units + j] = o;
          cNext[so + j] = c;
          th[so + j] = tc;
          hNext[so + j] = o * tc;
        }
      }
    }
  }

  @Override
  public void predict(Tensor x, Tensor out) {
    int batch = x.dim(0);
    forward(x.data(), batch);
    double[] y = out.data();
    for (int t = 0; t < timesteps; t++) {
      float[] h = hs[t + 1].data;
      for (int b = 0; b < batch; b++) {
        int yo = (b * timesteps + t) * units;
        for (int j = 0; j < units; j++) {
          y[yo + j] = h[b * units + j];
        }
      }
    }
  }

  @Override
  public void gradients(Tensor x, Tensor dOutput) {
    int batch = x.dim(0);
    forward(x.data(), batch);
    double[] dy = dOutput.data();
    dKernel.zero();
    dRecurrent.zero();
    java.util.Arrays.fill(dBias, 0f);
    dh.zero();
    dc.zero();
    float[] dzs = dz.data;
    float[] dhs = dh.data;
    float[] dcs = dc.data;
    for (int t = timesteps - 1; t >= 0; t--) {
      float[] a = acts[t].data;
      float[] th = tanhCs[t].data;
      float[] cPrev = cs[t].data;
      for (int b = 0; b < batch; b++) {
        int zo = b * gates;
        int so = b * units;
        int yo = (b * timesteps + t) * units;
        for (int j = 0; j < units; j++) {
          float i = a[zo + j];
          float f = a[zo + units + j];
          float g = a[zo + 2 * units + j];
          float o = a[zo + 3 * units + j];
          float tc = th[so + j];
          float dht = dhs[so + j] + (float) dy[yo + j];
          float dct = dcs[so + j] + dht * o * (1f - tc * tc);
          dzs[zo + j] = dct * g * i * (1f - i);
          dzs[zo + units + j] = dct * cPrev[so + j] * f * (1f - f);
          dzs[zo + 2 * units + j] = dct * i * (1f - g * g);
          dzs[zo + 3 * units + j] = dht * tc * o * (1f - o);
          dcs[so + j] = dct * f;
        }
      }
      CommonOps_FDRM.multAddTransA(xs[t], dz, dKernel); // dW += x_t^T dz_t
      CommonOps_FDRM.multAddTransA(hs[t], dz, dRecurrent); // dU += h_{t-1}^T dz_t
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < gates; j++) {
          dBias[j] += dzs[b * gates + j];
        }
      }
      CommonOps_FDRM.multTransB(dz, recurrent, dh); // dh_{t-1} = dz_t U^T
      CommonOps_FDRM.multTransB(dz, kernel, dxt); // dx_t = dz_t W^T
      for (int b = 0; b < batch; b++) {
        System.arraycopy(dxt.data, b * features, dx, (b * timesteps + t) * features, features);
      }
    }
  }

  @Override
  public List<double[]> weightGradients() {
    return List.of(toDouble(dKernel.data), toDouble(dRecurrent.data), toDouble(dBias));
  }

  @Override
  public double[] inputGradient() {
    return toDouble(dx);
  }
}
