package dev.unroll.examples.bench;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Experiment (phase 2 evidence, not a benchmark of the library): the cost of the elementwise gate
 * pass of one LSTM step, {@code UNITS} units of {@code ROWS} samples, per unit, for ways of
 * computing sigmoid and tanh. The pass is the generated {@code step}'s: i, f, o = sigmoid, c~ =
 * tanh, c_t = f c + i c~, h = o tanh(c_t), gate values written back.
 *
 * <ul>
 *   <li>{@code math}: as generated today, {@code Math.tanh} and {@code 1 / (1 + Math.exp(-x))}.
 *       On JDK 17 {@code Math.tanh} is {@code StrictMath.tanh}, a JNI call into fdlibm.
 *   <li>{@code exp}: tanh from {@code Math.exp} (an intrinsic): {@code (1 - e) / (1 + e)},
 *       {@code e = exp(-2|x|)}, with an odd series below |x| < 2^-10 for full double accuracy.
 *   <li>{@code rational} (float32 only): call-free rational approximations (Eigen's float tanh,
 *       sigmoid(x) = (1 + tanh(x/2)) / 2), which C2 could vectorise, but the loop indexes its arrays
 *       with loop-invariant offsets (zs[zo + j], c[prev + j]) as the generated loop does, and C2's
 *       SuperWord then leaves it scalar;
 *   <li>{@code rows}: the same loop (rational in float32, exp-based tanh in float64) on scratch rows
 *       without offsets, copied in and out with System.arraycopy: vectorised in float32.
 * </ul>
 * Compare per-unit costs with {@code java -jar benchmarks.jar ExpGateMath}, also under JDK 25.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExpGateMath {
  static final int UNITS = 32;
  static final int GATES = 4 * UNITS;
  static final int ROWS = 32;

  @Param({"math", "exp", "rational", "rows"})
  public String variant;

  private final double[] z0 = new double[ROWS * GATES];
  private final double[] z = new double[ROWS * GATES];
  private final double[] c = new double[2 * ROWS * UNITS];
  private final double[] h = new double[2 * ROWS * UNITS];
  private final float[] z0f = new float[ROWS * GATES];
  private final float[] zf = new float[ROWS * GATES];
  private final float[] cf = new float[2 * ROWS * UNITS];
  private final float[] hf = new float[2 * ROWS * UNITS];
  private final double[] zr = new double[GATES];
  private final double[] cr = new double[UNITS];
  private final double[] cn = new double[UNITS];
  private final double[] hr = new double[UNITS];
  private final float[] zrf = new float[GATES];
  private final float[] crf = new float[UNITS];
  private final float[] cnf = new float[UNITS];
  private final float[] hrf = new float[UNITS];

  @Setup
  public void setup() {
    BenchData.fillNormal(new SplittableRandom(7), z0);
    for (int k = 0; k < z0.length; k++) {
      z0[k] *= 2;
      z0f[k] = (float) z0[k];
    }
    BenchData.fillNormal(new SplittableRandom(8), c);
    for (int k = 0; k < c.length; k++) {
      cf[k] = (float) c[k];
    }
  }

  // ---- double

  static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  static double tanhExp(double x) {
    return ExpMath.tanhExp(x);
  }

  @Benchmark
  public double perUnitFloat64() {
    System.arraycopy(z0, 0, z, 0, z.length);
    final double[] zs = z;
    boolean exp = !variant.equals("math");
    boolean rows = variant.equals("rows");
    for (int b = 0; b < ROWS; b++) {
      int zo = b * GATES;
      int prev = b * UNITS;
      int next = prev + ROWS * UNITS;
      if (rows) {
        final double[] z1 = zr;
        final double[] c1 = cr;
        final double[] c2 = cn;
        final double[] h1 = hr;
        System.arraycopy(zs, zo, z1, 0, GATES);
        System.arraycopy(c, prev, c1, 0, UNITS);
        for (int j = 0; j < UNITS; j++) {
          double i = sigmoid(z1[j]);
          double f = sigmoid(z1[UNITS + j]);
          double g = tanhExp(z1[2 * UNITS + j]);
          double o = sigmoid(z1[3 * UNITS + j]);
          double ct = f * c1[j] + i * g;
          double at = tanhExp(ct);
          z1[j] = i;
          z1[UNITS + j] = f;
          z1[2 * UNITS + j] = g;
          z1[3 * UNITS + j] = o;
          c2[j] = ct;
          h1[j] = o * at;
        }
        System.arraycopy(z1, 0, zs, zo, GATES);
        System.arraycopy(c2, 0, c, next, UNITS);
        System.arraycopy(h1, 0, h, next, UNITS);
      } else if (exp) {
        for (int j = 0; j < UNITS; j++) {
          double i = sigmoid(zs[zo + j]);
          double f = sigmoid(zs[zo + UNITS + j]);
          double g = tanhExp(zs[zo + 2 * UNITS + j]);
          double o = sigmoid(zs[zo + 3 * UNITS + j]);
          double ct = f * c[prev + j] + i * g;
          double at = tanhExp(ct);
          zs[zo + j] = i;
          zs[zo + UNITS + j] = f;
          zs[zo + 2 * UNITS + j] = g;
          zs[zo + 3 * UNITS + j] = o;
          c[next + j] = ct;
          h[next + j] = o * at;
        }
      } else {
        for (int j = 0; j < UNITS; j++) {
          double i = sigmoid(zs[zo + j]);
          double f = sigmoid(zs[zo + UNITS + j]);
          double g = Math.tanh(zs[zo + 2 * UNITS + j]);
          double o = sigmoid(zs[zo + 3 * UNITS + j]);
          double ct = f * c[prev + j] + i * g;
          double at = Math.tanh(ct);
          zs[zo + j] = i;
          zs[zo + UNITS + j] = f;
          zs[zo + 2 * UNITS + j] = g;
          zs[zo + 3 * UNITS + j] = o;
          c[next + j] = ct;
          h[next + j] = o * at;
        }
      }
    }
    return h[ROWS * UNITS + 3];
  }

  // ---- float

  static float sigmoidF(float x) {
    return 1f / (1f + (float) Math.exp(-x));
  }

  static float tanhExpF(float x) {
    return (float) tanhExp(x);
  }

  static float tanhRational(float x) {
    return ExpMath.tanhRational(x);
  }

  static float sigmoidRational(float x) {
    return ExpMath.sigmoidRational(x);
  }

  @Benchmark
  public float perUnitFloat32() {
    System.arraycopy(z0f, 0, zf, 0, zf.length);
    final float[] zs = zf;
    int v = variant.equals("math") ? 0 : variant.equals("exp") ? 1 : variant.equals("rational") ? 2 : 3;
    for (int b = 0; b < ROWS; b++) {
      int zo = b * GATES;
      int prev = b * UNITS;
      int next = prev + ROWS * UNITS;
      if (v == 3) {
        final float[] z1 = zrf;
        final float[] c1 = crf;
        final float[] c2 = cnf;
        final float[] h1 = hrf;
        System.arraycopy(zs, zo, z1, 0, GATES);
        System.arraycopy(cf, prev, c1, 0, UNITS);
        for (int j = 0; j < UNITS; j++) {
          float i = sigmoidRational(z1[j]);
          float f = sigmoidRational(z1[UNITS + j]);
          float g = tanhRational(z1[2 * UNITS + j]);
          float o = sigmoidRational(z1[3 * UNITS + j]);
          float ct = f * c1[j] + i * g;
          float at = tanhRational(ct);
          z1[j] = i;
          z1[UNITS + j] = f;
          z1[2 * UNITS + j] = g;
          z1[3 * UNITS + j] = o;
          c2[j] = ct;
          h1[j] = o * at;
        }
        System.arraycopy(z1, 0, zs, zo, GATES);
        System.arraycopy(c2, 0, cf, next, UNITS);
        System.arraycopy(h1, 0, hf, next, UNITS);
      } else if (v == 2) {
        for (int j = 0; j < UNITS; j++) {
          float i = sigmoidRational(zs[zo + j]);
          float f = sigmoidRational(zs[zo + UNITS + j]);
          float g = tanhRational(zs[zo + 2 * UNITS + j]);
          float o = sigmoidRational(zs[zo + 3 * UNITS + j]);
          float ct = f * cf[prev + j] + i * g;
          float at = tanhRational(ct);
          zs[zo + j] = i;
          zs[zo + UNITS + j] = f;
          zs[zo + 2 * UNITS + j] = g;
          zs[zo + 3 * UNITS + j] = o;
          cf[next + j] = ct;
          hf[next + j] = o * at;
        }
      } else if (v == 1) {
        for (int j = 0; j < UNITS; j++) {
          float i = sigmoidF(zs[zo + j]);
          float f = sigmoidF(zs[zo + UNITS + j]);
          float g = tanhExpF(zs[zo + 2 * UNITS + j]);
          float o = sigmoidF(zs[zo + 3 * UNITS + j]);
          float ct = f * cf[prev + j] + i * g;
          float at = tanhExpF(ct);
          zs[zo + j] = i;
          zs[zo + UNITS + j] = f;
          zs[zo + 2 * UNITS + j] = g;
          zs[zo + 3 * UNITS + j] = o;
          cf[next + j] = ct;
          hf[next + j] = o * at;
        }
      } else {
        for (int j = 0; j < UNITS; j++) {
          float i = sigmoidF(zs[zo + j]);
          float f = sigmoidF(zs[zo + UNITS + j]);
          float g = (float) Math.tanh(zs[zo + 2 * UNITS + j]);
          float o = sigmoidF(zs[zo + 3 * UNITS + j]);
          float ct = f * cf[prev + j] + i * g;
          float at = (float) Math.tanh(ct);
          zs[zo + j] = i;
          zs[zo + UNITS + j] = f;
          zs[zo + 2 * UNITS + j] = g;
          zs[zo + 3 * UNITS + j] = o;
          cf[next + j] = ct;
          hf[next + j] = o * at;
        }
      }
    }
    return hf[ROWS * UNITS + 3];
  }

  /** Largest errors of the approximations against Math over [-20, 20] (printed by {@link Check}). */
  static String accuracy() {
    double maxExp = 0;
    double maxRatT = 0;
    double maxRatS = 0;
    for (int k = -2_000_000; k <= 2_000_000; k++) {
      double x = k * 1e-5;
      double t = Math.tanh(x);
      maxExp = Math.max(maxExp, Math.abs(tanhExp(x) - t) / Math.max(Math.abs(t), Double.MIN_NORMAL));
      float xf = (float) x;
      maxRatT = Math.max(maxRatT, Math.abs(tanhRational(xf) - (float) Math.tanh(xf)));
      maxRatS = Math.max(maxRatS, Math.abs(sigmoidRational(xf) - sigmoidF(xf)));
    }
    // tiny arguments, where 1 - e cancels
    for (double x = 1e-300; x < 1; x *= 1.37) {
      maxExp = Math.max(maxExp, Math.abs(tanhExp(x) - Math.tanh(x)) / Math.tanh(x));
    }
    return String.format("tanhExp max relative error %.2g (double); float rational tanh max abs error %.2g, "
        + "sigmoid %.2g (float ulp at 1 = %.2g)", maxExp, maxRatT, maxRatS, (double) Math.ulp(1f));
  }
}
