package dev.unroll.examples.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The ONNX Runtime peer's files and sessions: what {@code ../shared/peers/export_onnx.py} wrote for a
 * config into the directory named by the system property {@value #DIR_PROPERTY} (compare.sh runs the
 * script and passes it): {@code NAME.onnx} (x (B, T, F) → the last h (B, U)), {@code NAME_step.onnx}
 * (one step at batch 1 with h0, c0 inputs), the input and torch's output as text, and the weights in
 * Keras layout ({@code NAME_weights.npz}). Only in the benchmarks profile (ONNX Runtime is never a
 * dependency of Unroll).
 */
final class OrtModels {
  private OrtModels() {}

  /** The system property naming the directory of the exported files. */
  static final String DIR_PROPERTY = "unroll.onnx.dir";

  /** The directory of the exported files. */
  static Path dir() {
    String d = System.getProperty(DIR_PROPERTY);
    if (d == null) {
      throw new IllegalStateException("-D" + DIR_PROPERTY + "=DIR is not set: the directory where"
          + " ../shared/peers/export_onnx.py --out DIR wrote the models (compare.sh sets it)");
    }
    return Paths.get(d);
  }

  /** A file of the config's export, which must exist. */
  static Path file(BenchConfig config, String suffix) {
    Path p = dir().resolve(config.name().toLowerCase(java.util.Locale.ROOT) + suffix);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " is missing: run ../shared/peers/export_onnx.py --out " + dir()
          + " --configs " + config.name().toLowerCase(java.util.Locale.ROOT));
    }
    return p;
  }

  /**
   * A session on one thread: intra-op and inter-op threads 1, sequential execution, no spinning, every
   * graph optimisation.
   */
  static OrtSession session(OrtEnvironment env, Path model) throws OrtException {
    return session(env, model, 1);
  }

  /** A session with {@code threads} intra-op threads (1 inter-op thread: the graph is one chain of ops). */
  static OrtSession session(OrtEnvironment env, Path model, int threads) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.addConfigEntry("session.inter_op.allow_spinning", "0");
      return env.createSession(model.toString(), options);
    }
  }

  /** A float32 tensor of the given shape. */
  static OnnxTensor tensor(OrtEnvironment env, float[] values, long... shape) throws OrtException {
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
  }

  /** Whitespace-separated numbers of a text file (the export's input and expected output). */
  static float[] readFloats(Path p) throws IOException {
    String[] parts = Files.readString(p).trim().split("\\s+");
    float[] v = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      v[i] = Float.parseFloat(parts[i]);
    }
    return v;
  }
}
