package dev.unroll.examples.bench;

import dev.unroll.internal.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each kernel of {@link Kernels} on its own, on the shapes an LSTM layer of a benchmark config
 * ({@link BenchConfig}: units 8, 32, 128, 256 with their features and batch) passes it:
 *
 * <ul>
 *   <li>{@code xW}: z_t += x_t·W for one sample, (1, F)·(F, 4U);
 *   <li>{@code hU}: z_t += h_{t-1}·U for one sample, (1, U)·(U, 4U);
 *   <li>{@code dzUT}: dL/dh_{t-1} = dz_t·Uᵀ for one sample, (1, 4U)·(4U, U);
 *   <li>{@code hUTiled}: z_t += h_{t-1}·U for the batch, in tiles of 64 (float64) or 128 (float32) columns;
 *   <li>{@code dzUTTiled}: dz_t·Uᵀ for the batch, in tiles of as many units;
 *   <li>{@code dU}: dU += h_{t-1}ᵀ·dz_t over the batch; {@code db}: db += dz_t over the batch;
 *   <li>{@code cell}: c_t = f⊙c_{t-1} + i⊙c~, then the product of h_t = o⊙tanh(c_t), over batch·U values;
 *   <li>{@code activations}: the gate pass of a step, σ over the i, f, o blocks and tanh over c~ (batch·U
 *       values each, from z values in [-4, 4] copied in first, as the step copies z into its gate blocks);
 *   <li>{@code transposeU}: U → Uᵀ; {@code dxColumns}: dxᵀ (F, T·B) into dx, row-major.
 * </ul>
 *
 * <p>The products add into their destination at every call, as the kernels do; the values grow
 * linearly and stay finite over a run. Run with {@code java -jar examples/target/benchmarks.jar
 * KernelBench}; never from the build or CI.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Threads(1)
public class KernelBench {

  @Param({"small", "mid", "big", "large"})
  public String config;

  @Param({"float32", "float64"})
  public String precision;

  private boolean f32;
  private int units;
  private int features;
  private int gates;
  private int batch;
  private int columns;
  private int rows;

  private double[] x;
  private double[] h;
  private double[] z;
  private double[] dh;
  private double[] db;
  private double[] cell;
  /** One step's gates as the step keeps them: blocks i, f, c~, o of batch·U values. */
  private double[] kept;
  private double[] dx;
  private double[] hOut;
  private double[] zGates;
  private double[] act;
  private double[][] w;
  private double[][] u;
  private double[][] uT;
  private double[][] zRows;
  private double[][] dzRows;
  private double[][] dhRows;
  private double[][] dU;
  private double[][] dxT;

  private float[] xF;
  private float[] hF;
  private float[] zF;
  private float[] dhF;
  private float[] dbF;
  private float[] cellF;
  private float[] keptF;
  private float[] dxF;
  private float[] hOutF;
  private float[] zGatesF;
  private float[] actF;
  private float[][] wF;
  private float[][] uF;
  private float[][] uTF;
  private float[][] zRowsF;
  private float[][] dzRowsF;
  private float[][] dhRowsF;
  private float[][] dUF;
  private float[][] dxTF;

  @Setup
  public void setup() {
    BenchConfig c = BenchConfig.of(config);
    f32 = precision.equals("float32");
    units = c.units;
    features = c.features;
    gates = 4 * units;
    batch = c.batch;
    columns = Math.min(gates, f32 ? 128 : 64);
    rows = c.timesteps * batch;
    SplittableRandom rng = new SplittableRandom(42);
    int size = batch * units;
    x = random(rng, features);
    h = random(rng, batch * units);
    z = new double[gates];
    dh = new double[units];
    db = new double[gates];
    cell = random(rng, size);
    kept = random(rng, 4 * size);
    dx = new double[rows * features];
    hOut = new double[size];
    w = random(rng, features, gates);
    u = random(rng, units, gates);
    uT = new double[gates][units];
    Kernels.transpose(u, uT, units, gates);
    zRows = new double[batch][gates];
    dzRows = random(rng, batch, gates);
    dhRows = new double[batch][units];
    dU = new double[units][gates];
    dxT = random(rng, features, rows);
    xF = narrow(x);
    hF = narrow(h);
    zF = new float[gates];
    dhF = new float[units];
    dbF = new float[gates];
    cellF = narrow(cell);
    zGates = random(rng, 4 * size);
    for (int k = 0; k < zGates.length; k++) {
      zGates[k] *= 4;
    }
    act = new double[4 * size];
    zGatesF = narrow(zGates);
    actF = new float[4 * size];
    keptF = narrow(kept);
    dxF = new float[rows * features];
    hOutF = new float[size];
    wF = narrow(w);
    uF = narrow(u);
    uTF = narrow(uT);
    zRowsF = new float[batch][gates];
    dzRowsF = narrow(dzRows);
    dhRowsF = new float[batch][units];
    dUF = new float[units][gates];
    dxTF = narrow(dxT);
  }

  @Benchmark
  public void xW() {
    if (f32) {
      Kernels.addRowsProduct(zF, xF, 0, wF, features, gates);
    } else {
      Kernels.addRowsProduct(z, x, 0, w, features, gates);
    }
  }

  @Benchmark
  public void hU() {
    if (f32) {
      Kernels.addRowsProduct(zF, hF, 0, uF, units, gates);
    } else {
      Kernels.addRowsProduct(z, h, 0, u, units, gates);
    }
  }

  @Benchmark
  public void dzUT() {
    if (f32) {
      Kernels.addRowsProduct(dhF, dzRowsF[0], 0, uTF, gates, units);
    } else {
      Kernels.addRowsProduct(dh, dzRows[0], 0, uT, gates, units);
    }
  }

  @Benchmark
  public void hUTiled() {
    if (f32) {
      Kernels.addTiledProduct(zRowsF, hF, 0, units, batch, uF, units, gates, columns);
    } else {
      Kernels.addTiledProduct(zRows, h, 0, units, batch, u, units, gates, columns);
    }
  }

  @Benchmark
  public void dzUTTiled() {
    if (f32) {
      Kernels.addTiledProduct(dhRowsF, dzRowsF, batch, uTF, gates, units, Math.min(units, columns));
    } else {
      Kernels.addTiledProduct(dhRows, dzRows, batch, uT, gates, units, Math.min(units, columns));
    }
  }

  @Benchmark
  public void dU() {
    if (f32) {
      Kernels.addOuterProducts(dUF, hF, 0, units, dzRowsF, 0, batch, units, gates);
    } else {
      Kernels.addOuterProducts(dU, h, 0, units, dzRows, 0, batch, units, gates);
    }
  }

  @Benchmark
  public void db() {
    if (f32) {
      Kernels.addRows(dbF, dzRowsF, 0, batch, gates);
    } else {
      Kernels.addRows(db, dzRows, 0, batch, gates);
    }
  }

  @Benchmark
  public void cell() {
    int size = batch * units;
    if (f32) {
      Kernels.cellState(cellF, 0, keptF, size, 0, 2 * size, size);
      Kernels.elementMult(hOutF, 0, keptF, 3 * size, cellF, 0, size);
    } else {
      Kernels.cellState(cell, 0, kept, size, 0, 2 * size, size);
      Kernels.elementMult(hOut, 0, kept, 3 * size, cell, 0, size);
    }
  }

  @Benchmark
  public void activations() {
    int size = batch * units;
    if (f32) {
      System.arraycopy(zGatesF, 0, actF, 0, 4 * size);
      Kernels.sigmoid(actF, 0, 2 * size);
      Kernels.tanh(actF, 2 * size, 3 * size);
      Kernels.sigmoid(actF, 3 * size, 4 * size);
    } else {
      System.arraycopy(zGates, 0, act, 0, 4 * size);
      Kernels.sigmoid(act, 0, 2 * size);
      Kernels.tanh(act, 2 * size, 3 * size);
      Kernels.sigmoid(act, 3 * size, 4 * size);
    }
  }

  @Benchmark
  public void transposeU() {
    if (f32) {
      Kernels.transpose(uF, uTF, units, gates);
    } else {
      Kernels.transpose(u, uT, units, gates);
    }
  }

  @Benchmark
  public void dxColumns() {
    if (f32) {
      Kernels.columnsToRowMajor(dxTF, dxF, features, rows);
    } else {
      Kernels.columnsToRowMajor(dxT, dx, features, rows);
    }
  }

  private static double[] random(SplittableRandom rng, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextDouble(-0.5, 0.5);
    }
    return a;
  }

  private static double[][] random(SplittableRandom rng, int rows, int width) {
    double[][] a = new double[rows][];
    for (int r = 0; r < rows; r++) {
      a[r] = random(rng, width);
    }
    return a;
  }

  private static float[] narrow(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  private static float[][] narrow(double[][] a) {
    float[][] f = new float[a.length][];
    for (int r = 0; r < a.length; r++) {
      f[r] = narrow(a[r]);
    }
    return f;
  }
}
