package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.Activation;
import dev.unroll.LayerInfo;
import dev.unroll.Tensor;
import dev.unroll.io.ModelFilesTest.StubModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Corrupted variants of real and written files of every format, loaded into a model that fits the
 * clean file: each load must either put finite weights in the model or throw a
 * {@link ModelFileException} (an {@link ArchitectureMismatchException} among them) and leave the
 * model untouched; no other exception or error, and none may take longer than {@link #LIMIT_SECONDS}.
 * Surefire runs this module with a 256 MB heap, so an allocation without bound fails as an
 * OutOfMemoryError.
 *
 * <p>Seeded: the seed of each variant is in its name and every failure message; run one again with
 * {@code -Dunroll.fuzz.seed=<seed>} (the base seed; variant i uses base + i).
 */
class ReaderFuzzTest {
  /** Variants per seed file; 10 seed files (1,600 variants). */
  static final int VARIANTS = 160;
  static final long BASE_SEED = Long.getLong("unroll.fuzz.seed", 20261204L);
  static final int LIMIT_SECONDS = 10;

  private static final Path INTEROP = Path.of("../../examples/src/test/resources/interop");

  @TempDir
  static Path dir;

  private static ExecutorService pool;

  /** A clean file, its configuration (or null) and the model it fits. */
  record Seed(String name, byte[] bytes, byte[] config, StubModel model) {}

  private static final Map<String, Seed> SEEDS = new LinkedHashMap<>();

  @BeforeAll
  static void seeds() throws Exception {
    pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "reader-fuzz");
      t.setDaemon(true);
      return t;
    });
    add("lstm.h5", Files.readAllBytes(INTEROP.resolve("herziox-tf2.12-lstm-dense/lstm.h5")), null);
    add("model.keras", Files.readAllBytes(storedKeras(dir.resolve("seed.keras"))), null);
    add("dl4j.h5", Files.readAllBytes(INTEROP.resolve("dl4j-stacked-lstm-keras2.0.8-theano/lstm_th_keras_2_weights.h5")),
        Files.readAllBytes(INTEROP.resolve("dl4j-stacked-lstm-keras2.0.8-theano/lstm_th_keras_2_config.json")));
    Path w = new H5()
        .data("layers/dense/vars/0", H5.counting(3, 1, 0.25f))
        .data("layers/dense/vars/1", H5.counting(1, 0.5f))
        .data("layers/lstm/cell/vars/0", H5.counting(2, 12, 0.01f))
        .data("layers/lstm/cell/vars/1", H5.counting(3, 12, 0.02f))
        .data("layers/lstm/cell/vars/2", H5.counting(12, 0.03f))
        .write(dir.resolve("seed.weights.h5"));
    add("model.weights.h5", Files.readAllBytes(w), null);
    Map<String, Tensor> sd = new LinkedHashMap<>();
    SplittableRandom r = new SplittableRandom(1);
    sd.put("lstm.weight_ih_l0", random(r, 12, 2));
    sd.put("lstm.weight_hh_l0", random(r, 12, 3));
    sd.put("lstm.bias_ih_l0", random(r, 12));
    sd.put("lstm.bias_hh_l0", random(r, 12));
    sd.put("fc.weight", random(r, 1, 3));
    sd.put("fc.bias", random(r, 1));
    Safetensors.write(dir.resolve("seed.safetensors"), sd);
    add("state.safetensors", Files.readAllBytes(dir.resolve("seed.safetensors")), null);
    Safetensors.write(dir.resolve("seed64.safetensors"), sd, "F64");
    add("state64.safetensors", Files.readAllBytes(dir.resolve("seed64.safetensors")), null);
    Npz.write(dir.resolve("seed.npz"), sd);
    add("state.npz", Files.readAllBytes(dir.resolve("seed.npz")), null);
    Npz.write(dir.resolve("seedz.npz"), sd, true);
    add("statez.npz", Files.readAllBytes(dir.resolve("seedz.npz")), null);
    add("lstm_dense.onnx", Files.readAllBytes(INTEROP.resolve("onnx-torch1.13/lstm_dense.onnx")), null);
    add("lstm_stacked.onnx", Files.readAllBytes(INTEROP.resolve("onnx-torch1.13/lstm_stacked.onnx")), null);
  }

  /** Outcomes, printed at the end: loaded, refused as non-finite, refused as another model, refused otherwise. */
  private static final java.util.concurrent.atomic.AtomicIntegerArray OUTCOMES =
      new java.util.concurrent.atomic.AtomicIntegerArray(4);
  /** The same, per seed file. */
  private static final Map<String, int[]> PER_SEED = new java.util.concurrent.ConcurrentHashMap<>();

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    System.out.println("ReaderFuzzTest (seed " + BASE_SEED + "): " + OUTCOMES.get(0) + " loaded finite weights, "
        + OUTCOMES.get(1) + " refused as non-finite, " + OUTCOMES.get(2) + " refused on their shapes"
        + " (ArchitectureMismatchException), " + OUTCOMES.get(3) + " refused otherwise");
    PER_SEED.forEach((seed, n) -> System.out.println("  " + seed + ": " + n[0] + " loaded, " + n[1] + " non-finite, "
        + n[2] + " on shapes, " + n[3] + " otherwise"));
  }

  private static Tensor random(SplittableRandom r, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = r.nextDouble(-1, 1);
    }
    return t;
  }

  /**
   * A Keras 3 .keras archive of LSTM(3) on 2 features and Dense(1), its entries stored (not deflated),
   * as Keras writes them, so that corruption reaches the HDF5 weights rather than the inflater.
   */
  private static Path storedKeras(Path file) throws Exception {
    Path deflated = HeaderFirstTest.kerasArchive(dir.resolve("deflated.keras"), 2, 3, new H5()
        .data("layers/dense/vars/0", H5.counting(3, 1, 0.25f))
        .data("layers/dense/vars/1", H5.counting(1, 0.5f))
        .data("layers/lstm/cell/vars/0", H5.counting(2, 12, 0.01f))
        .data("layers/lstm/cell/vars/1", H5.counting(3, 12, 0.02f))
        .data("layers/lstm/cell/vars/2", H5.counting(12, 0.03f)));
    return HeaderFirstTest.stored(deflated, file);
  }

  /** Registers a seed file with a model built from its clean read, after checking that it loads. */
  private static void add(String name, byte[] bytes, byte[] config) throws Exception {
    Path file = dir.resolve("clean-" + name);
    Files.write(file, bytes);
    Path cfg = config == null ? null : Files.write(dir.resolve("clean-" + name + ".json"), config);
    ModelFile clean = ModelFiles.read(file, cfg);
    List<LayerInfo> layers = new ArrayList<>();
    for (FileLayer f : clean.layers()) {
      if (f.kind() == null) {
        continue;
      }
      layers.add(new LayerInfo(f.name(), f.kind(), f.units(), f.inputs(), f.timesteps(),
          f.activation() != null ? f.activation() : f.isLstm() ? Activation.TANH : Activation.LINEAR,
          f.isLstm() ? (f.recurrentActivation() != null ? f.recurrentActivation() : Activation.SIGMOID) : null,
          f.useBias(), Boolean.TRUE.equals(f.returnSequences()), Boolean.TRUE.equals(f.returnState()),
          Boolean.TRUE.equals(f.goBackwards())));
    }
    StubModel model = new StubModel(layers.toArray(new LayerInfo[0]));
    ModelFiles.load(model, file, cfg);
    SEEDS.put(name, new Seed(name, bytes, config, model));
  }

  static List<Object[]> variants() {
    List<Object[]> out = new ArrayList<>();
    for (String seed : List.of("lstm.h5", "model.keras", "dl4j.h5", "model.weights.h5", "state.safetensors",
        "state64.safetensors", "state.npz", "statez.npz", "lstm_dense.onnx", "lstm_stacked.onnx")) {
      for (int i = 0; i < VARIANTS; i++) {
        out.add(new Object[] {seed, BASE_SEED + out.size()});
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("variants")
  void corruptedFileLoadsCleanlyOrIsRefusedCleanly(String seedName, long seed) throws Exception {
    Seed s = SEEDS.get(seedName);
    SplittableRandom r = new SplittableRandom(seed);
    // the configuration of dl4j.h5 is corrupted one time in four, the weights otherwise
    boolean corruptConfig = s.config() != null && r.nextInt(4) == 0;
    Mutated weights = corruptConfig ? new Mutated(s.bytes(), "clean") : mutate(s.bytes(), r);
    Mutated config = s.config() == null ? null : corruptConfig ? mutate(s.config(), r) : new Mutated(s.config(), "clean");
    String what = seedName + " seed " + seed + " (-Dunroll.fuzz.seed=" + (seed - variantIndex(seed))
        + ", variant " + variantIndex(seed) + "): file " + weights.how + (config == null ? "" : ", config " + config.how);
    Path file = Files.write(dir.resolve(seed + "-" + seedName), weights.bytes);
    Path cfg = config == null ? null : Files.write(dir.resolve(seed + "-config.json"), config.bytes);
    StubModel model = copy(s.model());
    List<Tensor> before = model.getWeights();
    Future<Throwable> run = pool.submit(() -> {
      try {
        if (cfg == null) {
          ModelFiles.load(model, file);
        } else {
          ModelFiles.load(model, file, cfg);
        }
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    Throwable thrown;
    try {
      thrown = run.get(LIMIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      run.cancel(true);
      fail(what + ": no answer within " + LIMIT_SECONDS + " s");
      return;
    }
    int[] perSeed = PER_SEED.computeIfAbsent(seedName, k -> new int[4]);
    if (thrown == null) {
      OUTCOMES.incrementAndGet(0);
      perSeed[0]++;
      for (Tensor t : model.getWeights()) {
        for (double v : t.data()) {
          assertTrue(Double.isFinite(v), what + ": loaded a non-finite weight");
        }
      }
    } else if (thrown instanceof ModelFileException) {
      int outcome = thrown.getMessage().contains("is not finite") ? 1
          : thrown instanceof ArchitectureMismatchException ? 2 : 3;
      OUTCOMES.incrementAndGet(outcome);
      perSeed[outcome]++;
      assertTrue(thrown.getMessage() != null && thrown.getMessage().startsWith(seed + "-"),
          what + ": the message must name the file: " + thrown.getMessage());
      assertEquals(before, model.getWeights(), what + ": the model changed on refusal");
    } else {
      throw new AssertionError(what + ": unclean " + thrown, thrown);
    }
    Files.delete(file);
  }

  private static long variantIndex(long seed) {
    return seed - BASE_SEED;
  }

  private static StubModel copy(StubModel m) {
    StubModel c = new StubModel(m.layers.toArray(new LayerInfo[0]));
    c.setWeights(m.getWeights());
    return c;
  }

  record Mutated(byte[] bytes, String how) {}

  /** One to three corruptions of the kinds a disk, a network or a careless tool makes. */
  static Mutated mutate(byte[] clean, SplittableRandom r) {
    byte[] b = clean.clone();
    StringBuilder how = new StringBuilder();
    int n = 1 + r.nextInt(3);
    for (int k = 0; k < n; k++) {
      int kind = r.nextInt(8);
      int len = b.length;
      if (len == 0) {
        break;
      }
      int at = r.nextInt(len);
      switch (kind) {
        case 0 -> { // flipped bits
          int bits = 1 + r.nextInt(8);
          for (int i = 0; i < bits; i++) {
            int p = r.nextInt(len);
            b[p] ^= (byte) (1 << r.nextInt(8));
          }
          how.append(bits).append(" bits flipped; ");
        }
        case 1 -> { // truncation
          b = java.util.Arrays.copyOf(b, at);
          how.append("truncated to ").append(at).append("; ");
        }
        case 2 -> { // zeroed block
          int size = Math.min(len - at, 1 + r.nextInt(4096));
          java.util.Arrays.fill(b, at, at + size, (byte) 0);
          how.append("zeroed ").append(size).append(" at ").append(at).append("; ");
        }
        case 3 -> { // garbage header
          int size = Math.min(len, 1 + r.nextInt(64));
          for (int i = 0; i < size; i++) {
            b[i] = (byte) r.nextInt(256);
          }
          how.append("garbage header of ").append(size).append("; ");
        }
        case 4 -> { // garbage tail
          int size = 1 + r.nextInt(4096);
          byte[] longer = java.util.Arrays.copyOf(b, len + size);
          for (int i = len; i < longer.length; i++) {
            longer[i] = (byte) r.nextInt(256);
          }
          b = longer;
          how.append("garbage tail of ").append(size).append("; ");
        }
        case 5 -> { // random block
          int size = Math.min(len - at, 1 + r.nextInt(256));
          for (int i = 0; i < size; i++) {
            b[at + i] = (byte) r.nextInt(256);
          }
          how.append("random ").append(size).append(" at ").append(at).append("; ");
        }
        case 6 -> { // a large integer where a size or count may be: 0xff bytes
          int size = Math.min(len - at, 2 + r.nextInt(7));
          java.util.Arrays.fill(b, at, at + size, (byte) 0xff);
          how.append("0xff x").append(size).append(" at ").append(at).append("; ");
        }
        default -> { // an exponent flip that makes a float NaN or infinite
          int p = r.nextInt(len);
          b[p] |= (byte) 0x7f;
          how.append("exponent bits at ").append(p).append("; ");
        }
      }
    }
    return new Mutated(b, how.toString().trim());
  }
}
