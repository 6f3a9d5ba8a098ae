package dev.unroll.examples.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.io.Npz;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Before the peers are timed: ONNX Runtime and Unroll compute the same LSTM. For each config, the
 * float32 generated model of {@link BenchModels} gets the exported weights ({@code NAME_weights.npz},
 * Keras layout: PyTorch's gate order i, f, g, o is Keras's i, f, c, o) and predicts the export's input;
 * its last step's h is compared with ONNX Runtime's output of {@code NAME.onnx} and with torch's
 * ({@code NAME_expected.txt}). Also one streaming step of {@code NAME_step.onnx} from a zero state
 * against Unroll's {@code Stepper}. Exits with 1 on a difference above {@value #TOLERANCE} (float32
 * through up to 100 steps; seen: at most 3e-7, on both kernel implementations).
 *
 * <pre>java -Dunroll.onnx.dir=DIR -cp benchmarks.jar dev.unroll.examples.bench.OrtParity tiny mid ...</pre>
 */
public final class OrtParity {
  private OrtParity() {}

  static final double TOLERANCE = 1e-5;

  public static void main(String[] args) throws Exception {
    int failures = 0;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (String name : args) {
      BenchConfig c = BenchConfig.of(name);
      Map<String, Tensor> w = Npz.read(OrtModels.file(c, "_weights.npz"));
      SequenceModel model = BenchModels.create(c, "float32");
      model.setWeights(List.of(w.get("lstm/kernel"), w.get("lstm/recurrent_kernel"), w.get("lstm/bias")));
      float[] xs = OrtModels.readFloats(OrtModels.file(c, "_input.txt"));
      float[] torch = OrtModels.readFloats(OrtModels.file(c, "_expected.txt"));
      double[] xd = new double[xs.length];
      for (int i = 0; i < xs.length; i++) {
        xd[i] = xs[i];
      }
      double[] seq = model.predict(Tensor.wrap(xd, c.batch, c.timesteps, c.features)).data();
      double[] unroll = new double[c.batch * c.units];
      for (int b = 0; b < c.batch; b++) {
        System.arraycopy(seq, (b * c.timesteps + c.timesteps - 1) * c.units, unroll, b * c.units, c.units);
      }
      float[] ort;
      try (OrtSession s = OrtModels.session(env, OrtModels.file(c, ".onnx"));
          OnnxTensor x = OrtModels.tensor(env, xs, c.batch, c.timesteps, c.features);
          OrtSession.Result r = s.run(Map.of("x", x))) {
        ort = new float[c.batch * c.units];
        ((OnnxTensor) r.get(0)).getFloatBuffer().get(ort);
      }
      failures += compare(name + " inference: ONNX Runtime vs Unroll", ort, unroll);
      failures += compare(name + " inference: torch vs Unroll", torch, unroll);

      // one streaming step from a zero state
      float[] x1 = new float[c.features];
      for (int i = 0; i < x1.length; i++) {
        x1[i] = (float) (0.25 * (i + 1) - 0.5);
      }
      float[] ortStep = new float[c.units];
      try (OrtSession s = OrtModels.session(env, OrtModels.file(c, "_step.onnx"));
          OnnxTensor x = OrtModels.tensor(env, x1, 1, 1, c.features);
          OnnxTensor h0 = OrtModels.tensor(env, new float[c.units], 1, 1, c.units);
          OnnxTensor c0 = OrtModels.tensor(env, new float[c.units], 1, 1, c.units);
          OrtSession.Result r = s.run(Map.of("x", x, "h0", h0, "c0", c0))) {
        ((OnnxTensor) r.get(0)).getFloatBuffer().get(ortStep);
      }
      dev.unroll.Stepper stepper = model.stepper();
      double[] x1d = new double[c.features];
      for (int i = 0; i < x1.length; i++) {
        x1d[i] = x1[i];
      }
      double[] y1 = new double[stepper.outputSize()];
      stepper.step(x1d, y1);
      failures += compare(name + " stream: ONNX Runtime vs Unroll", ortStep, y1);
    }
    if (failures > 0) {
      System.out.println("ort parity: " + failures + " mismatches");
      System.exit(1);
    }
    System.out.println("ort parity: ONNX Runtime, torch and Unroll agree on " + String.join(" ", args)
        + " (within " + TOLERANCE + ")");
  }

  private static int compare(String what, float[] want, double[] got) {
    if (want.length != got.length) {
      System.out.println("MISMATCH " + what + ": lengths " + want.length + " and " + got.length);
      return 1;
    }
    double max = 0;
    for (int i = 0; i < want.length; i++) {
      max = Math.max(max, Math.abs(want[i] - got[i]));
    }
    System.out.println(String.format(Locale.ROOT, "   %s: max |diff| %.2g", what, max));
    if (max > TOLERANCE) {
      System.out.println("MISMATCH " + what);
      return 1;
    }
    return 0;
  }
}
