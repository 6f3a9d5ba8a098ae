package dev.unroll.examples.bench;

import dev.unroll.Tensor;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The one-thread baseline: an LSTM layer (Keras semantics, gate blocks i, f, c, o, returning the
 * whole sequence) written the plain way over EJML, in double. Per timestep, {@code x_t·W} and
 * {@code h_{t-1}·U} are each one {@code CommonOps_DDRM} product over the batch, the gates are an
 * elementwise loop; BPTT mirrors it with {@code multAddTransA} for dW and dU and
 * {@code multTransB} for dh_{t-1} and dx_t. Buffers are allocated once per batch size (a careful
 * user's version; a careless one would allocate per step).
 *
 * <p>Nothing here is generated or specialised to a shape: shapes are fields. Not thread-safe.
 */
public final class EjmlLstm64 implements BaselineLstm {
  private final int units;
  private final int features;
  private final int timesteps;
  private final int gates;

  private final DMatrixRMaj kernel;
  private final DMatrixRMaj recurrent;
  private final double[] bias;
  private final DMatrixRMaj dKernel;
  private final DMatrixRMaj dRecurrent;
  private final double[] dBias;

  private int batch;
  private DMatrixRMaj[] xs; // x_t, (B, F) per step
  private DMatrixRMaj[] hs; // h_{t-1} at [t], (B, U); [0] is the zero initial state
  private DMatrixRMaj[] cs; // c_{t-1} at [t], (B, U)
  private DMatrixRMaj[] acts; // z_t, then the gate values i, f, c~, o in place: (B, 4U)
  private DMatrixRMaj[] tanhCs; // tanh(c_t), (B, U)
  private DMatrixRMaj dz; // (B, 4U)
  private DMatrixRMaj dh; // dL/dh_t carried back, (B, U)
  private DMatrixRMaj dc; // dL/dc_t carried back, (B, U)
  private DMatrixRMaj dxt; // dL/dx_t, (B, F)
  private double[] dx; // (B, T, F)

  public EjmlLstm64(int units, int features, int timesteps, List<Tensor> kerasWeights) {
    this.units = units;
    this.features = features;
    this.timesteps = timesteps;
    this.gates = 4 * units;
    kernel = new DMatrixRMaj(features, gates);
    recurrent = new DMatrixRMaj(units, gates);
    bias = new double[gates];
    System.arraycopy(kerasWeights.get(0).data(), 0, kernel.data, 0, features * gates);
    System.arraycopy(kerasWeights.get(1).data(), 0, recurrent.data, 0, units * gates);
    System.arraycopy(kerasWeights.get(2).data(), 0, bias, 0, gates);
    dKernel = new DMatrixRMaj(features, gates);
    dRecurrent = new DMatrixRMaj(units, gates);
    dBias = new double[gates];
  }

  private void resize(int batch) {
    if (batch == this.batch) {
      return;
    }
    this.batch = batch;
    xs = new DMatrixRMaj[timesteps];
    hs = new DMatrixRMaj[timesteps + 1];
    cs = new DMatrixRMaj[timesteps + 1];
    acts = new DMatrixRMaj[timesteps];
    tanhCs = new DMatrixRMaj[timesteps];
    for (int t = 0; t < timesteps; t++) {
      xs[t] = new DMatrixRMaj(batch, features);
      acts[t] = new DMatrixRMaj(batch, gates);
      tanhCs[t] = new DMatrixRMaj(batch, units);
    }
    for (int t = 0; t <= timesteps; t++) {
      hs[t] = new DMatrixRMaj(batch, units);
      cs[t] = new DMatrixRMaj(batch, units);
    }
    dz = new DMatrixRMaj(batch, gates);
    dh = new DMatrixRMaj(batch, units);
    dc = new DMatrixRMaj(batch, units);
    dxt = new DMatrixRMaj(batch, features);
    dx = new double[batch * timesteps * features];
  }

  private static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  private void forward(double[] x, int batch) {
    resize(batch);
    hs[0].zero();
    cs[0].zero();
    for (int t = 0; t < timesteps; t++) {
      DMatrixRMaj xt = xs[t];
      for (int b = 0; b < batch; b++) {
        System.arraycopy(x, (b * timesteps + t) * features, xt.data, b * features, features);
      }
      DMatrixRMaj a = acts[t];
      CommonOps_DDRM.mult(xt, kernel, a); // z = x_t W
      CommonOps_DDRM.multAdd(hs[t], recurrent, a); // z += h_{t-1} U
      double[] z = a.data;
      double[] cPrev = cs[t].data;
      double[] cNext = cs[t + 1].data;
      double[] hNext = hs[t + 1].data;
      double[] th = tanhCs[t].data;
      for (int b = 0; b < batch; b++) {
        int zo = b * gates;
        int so = b * units;
        for (int j = 0; j < units; j++) {
          double i = sigmoid(z[zo + j] + bias[j]);
          double f = sigmoid(z[zo + units + j] + bias[units + j]);
          double g = Math.tanh(z[zo + 2 * units + j] + bias[2 * units + j]);
          double o = sigmoid(z[zo + 3 * units + j] + bias[3 * units + j]);
          double c = f * cPrev[so + j] + i * g;
          double tc = Math.tanh(c);
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
      double[] h = hs[t + 1].data;
      for (int b = 0; b < batch; b++) {
        System.arraycopy(h, b * units, y, (b * timesteps + t) * units, units);
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
    java.util.Arrays.fill(dBias, 0.0);
    dh.zero();
    dc.zero();
    double[] dzs = dz.data;
    double[] dhs = dh.data;
    double[] dcs = dc.data;
    for (int t = timesteps - 1; t >= 0; t--) {
      double[] a = acts[t].data;
      double[] th = tanhCs[t].data;
      double[] cPrev = cs[t].data;
      for (int b = 0; b < batch; b++) {
        int zo = b * gates;
        int so = b * units;
        int yo = (b * timesteps + t) * units;
        for (int j = 0; j < units; j++) {
          double i = a[zo + j];
          double f = a[zo + units + j];
          double g = a[zo + 2 * units + j];
          double o = a[zo + 3 * units + j];
          double tc = th[so + j];
          double dht = dhs[so + j] + dy[yo + j];
          double dct = dcs[so + j] + dht * o * (1.0 - tc * tc);
          dzs[zo + j] = dct * g * i * (1.0 - i);
          dzs[zo + units + j] = dct * cPrev[so + j] * f * (1.0 - f);
          dzs[zo + 2 * units + j] = dct * i * (1.0 - g * g);
          dzs[zo + 3 * units + j] = dht * tc * o * (1.0 - o);
          dcs[so + j] = dct * f;
        }
      }
      CommonOps_DDRM.multAddTransA(xs[t], dz, dKernel); // dW += x_t^T dz_t
      CommonOps_DDRM.multAddTransA(hs[t], dz, dRecurrent); // dU += h_{t-1}^T dz_t
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < gates; j++) {
          dBias[j] += dzs[b * gates + j];
        }
      }
      CommonOps_DDRM.multTransB(dz, recurrent, dh); // dh_{t-1} = dz_t U^T
      CommonOps_DDRM.multTransB(dz, kernel, dxt); // dx_t = dz_t W^T
      for (int b = 0; b < batch; b++) {
        System.arraycopy(dxt.data, b * features, dx, (b * timesteps + t) * features, features);
      }
    }
  }

  @Override
  public List<double[]> weightGradients() {
    return List.of(dKernel.data.clone(), dRecurrent.data.clone(), dBias.clone());
  }

  @Override
  public double[] inputGradient() {
    return dx.clone();
  }
}
