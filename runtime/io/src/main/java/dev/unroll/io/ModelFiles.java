package dev.unroll.io;

import dev.unroll.Activation;
import dev.unroll.LayerInfo;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.internal.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads Keras and PyTorch weight files and loads them into generated models, checking first that the
 * file describes the model.
 *
 * <pre>{@code
 * UnrolledForecaster model = new UnrolledForecaster();
 * ModelFiles.load(model, Path.of("lstm.h5"));   // or .keras, .safetensors, .npz, .onnx
 * }</pre>
 *
 * <p>Formats, recognised by their content:
 * <ul>
 *   <li>Keras {@code .h5} from Keras 1, Keras 2 / tf.keras and Keras 3: {@code model.save} (with the
 *       architecture) and {@code save_weights} (weights only; pass the JSON of {@code model.to_json()}
 *       as well to check the architecture). Keras 1 LSTMs (twelve arrays) are repacked.</li>
 *   <li>Keras 3 {@code .keras} archives and {@code .weights.h5} files.</li>
 *   <li>PyTorch state dicts of {@code nn.LSTM}, {@code nn.GRU} (also bidirectional) and {@code nn.Linear} modules in {@code .safetensors} or
 *       {@code .npz} ({@code numpy.savez} of the state dict's arrays).</li>
 *   <li>ONNX {@code .onnx} graphs of {@code LSTM}, {@code GRU} (forward, reverse, bidirectional) and
 *       {@code Gemm} or {@code MatMul}+{@code Add} heads, e.g. from {@code torch.onnx.export}, read with
 *       Unroll's own bounded protobuf reader ({@link OnnxReader}).</li>
 * </ul>
 * HDF5 ({@code .h5}, {@code .keras}) is read with jhdf ({@code io.jhdf:jhdf}), a dependency of
 * {@code unroll-io}.
 *
 * <p>A load changes the model only when the whole file has been read and everything matches: a
 * truncated or inconsistent file, an unsupported layer or any difference in architecture throws a
 * {@link ModelFileException} and leaves the model as it was.
 *
 * <p>Loads from a path are header-first: the file's headers (HDF5 dataset dimensions, the safetensors
 * JSON header, each {@code .npy} header of an {@code .npz}, the Keras configuration) are read and
 * compared with the model, every layer and every array's shape, before any array data is read; a file
 * of another model is refused with an {@link ArchitectureMismatchException} naming each difference,
 * however large the arrays it claims and whatever state its data is in.
 */
public final class ModelFiles {
  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private ModelFiles() {}

  /**
   * Reads a file's architecture and weights.
   *
   * @throws ModelFileException if the file is not one Unroll reads, or is truncated or inconsistent
   * @throws IOException if it cannot be read
   */
  public static ModelFile read(Path file) throws IOException {
    return read(file, null);
  }

  /**
   * Reads a Keras weights file together with the model's configuration, the JSON that
   * {@code model.to_json()} writes, which supplies the architecture a {@code save_weights} file lacks
   * (and replaces the one a model file holds).
   *
   * @param config the JSON configuration, or null
   * @throws ModelFileException if a file is not one Unroll reads, or is truncated or inconsistent
   * @throws IOException if a file cannot be read
   */
  public static ModelFile read(Path file, Path config) throws IOException {
    return read(file, config, DEFAULT_READ_LIMIT);
  }

  /**
   * The default of {@code maxBytes} in {@link #read(Path, Path, long)}: 512 MiB of arrays, as float64
   * (64 million weights).
   */
  public static final long DEFAULT_READ_LIMIT = 512L << 20;

  /**
   * As {@link #read(Path, Path)}, allocating at most {@code maxBytes} for the file's arrays (as
   * float64) plus a few MiB for headers and metadata, whatever the file claims: an array, an inflated
   * zip entry or a dataset that would exceed it is refused, naming it, before it is read.
   *
   * @param config the JSON configuration, or null
   * @param maxBytes the limit, &gt; 0
   * @throws ModelFileException if a file is not one Unroll reads, or is truncated, inconsistent or larger
   *     than the limit
   * @throws IOException if a file cannot be read
   */
  public static ModelFile read(Path file, Path config, long maxBytes) throws IOException {
    return read(file, config, ReadBudget.ofLimit(maxBytes), Unread.Gate.NONE);
  }

  /**
   * Reads a file's headers (layers, shapes, configuration), checks them with {@code gate}, and only then
   * reads its arrays, within {@code budget}.
   */
  private static ModelFile read(Path file, Path config, ReadBudget budget, Unread.Gate gate) throws IOException {
    String name = String.valueOf(file.getFileName());
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such file");
    }
    if (name.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
      requireNoConfig(name, config);
      return readOnnx(file, name, budget, gate);
    }
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 8);
    }
    if (n == 8 && java.util.Arrays.equals(head, HDF5_SIGNATURE) || isHdf5WithUserBlock(file)) {
      return KerasReader.readHdf5(file, config, budget, gate);
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      String kind = archiveKind(file, name);
      if (kind.equals("keras")) {
        return KerasReader.readKerasArchive(file, config, budget, gate);
      }
      requireNoConfig(name, config);
      if (kind.equals("npz")) {
        return readNpz(file, name, budget, gate);
      }
      throw new ModelFileException(name + ": a zip archive, but neither a Keras .keras file (config.json,"
          + " model.weights.h5) nor a NumPy .npz (.npy entries)");
    }
    if (n == 8 && looksLikeSafetensors(file, head)) {
      requireNoConfig(name, config);
      return readSafetensors(file, name, budget, gate);
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".h5") || lower.endsWith(".hdf5") || lower.endsWith(".keras")) {
      throw new ModelFileException(name + ": not an HDF5 file or zip archive (it does not start with their "
          + "signatures); is it truncated or corrupt?");
    }
    if (lower.endsWith(".safetensors")) {
      requireNoConfig(name, config);
      return readSafetensors(file, name, budget, gate);
    }
    throw new ModelFileException(name + ": not a file Unroll reads (Keras .h5 or .keras, PyTorch .safetensors or"
        + " .npz, ONNX .onnx)");
  }

  /**
   * Reads a PyTorch state dict given as tensors, e.g. from {@link Safetensors#read(Path)}, taking the
   * modules in the given order (the order {@code forward} calls them), or, if {@code moduleOrder} is
   * null, in the order described in {@link PyTorchWeights}.
   *
   * @param name a name for messages
   * @param moduleOrder module names ({@code lstm}, {@code lstm2}, {@code dense}), or null
   * @throws ModelFileException if the tensors are not nn.LSTM and nn.Linear weights of consistent shapes
   */
  public static ModelFile fromStateDict(String name, Map<String, Tensor> stateDict, List<String> moduleOrder)
      throws ModelFileException {
    return TorchReader.fromTensors(stateDict, name, "PyTorch state dict", moduleOrder);
  }

  /**
   * Reads a file and loads its weights into {@code model}, after checking that the file describes the
   * model's architecture and that every weight is finite. The architecture and every array's shape are
   * compared from the file's headers before any array data is read; the read then allocates at most four
   * times the model's weights (as float64) plus a few MiB, whatever the file claims.
   *
   * @return the file read, whose {@link ModelFile#notes()} say what was skipped or could not be checked
   * @throws ArchitectureMismatchException naming every difference between the file and the model
   * @throws ModelFileException if the file cannot be read or holds layers Unroll does not have
   * @throws IOException if it cannot be read
   */
  public static ModelFile load(SequenceModel model, Path file) throws IOException {
    return load(model, file, NonFinite.REFUSE);
  }

  /**
   * As {@link #load(SequenceModel, Path)}, for a Keras weights file and the model's JSON
   * configuration ({@code model.to_json()}).
   */
  public static ModelFile load(SequenceModel model, Path file, Path config) throws IOException {
    return load(model, read(file, config, ReadBudget.ofModel(model.paramCount()), fits(model)), NonFinite.REFUSE);
  }

  /**
   * Loads a file already read into {@code model}, after checking that it describes the model.
   *
   * @return {@code file}
   * @throws ArchitectureMismatchException naming every difference between the file and the model
   * @throws ModelFileException if the weights do not fit the model
   */
  public static ModelFile load(SequenceModel model, ModelFile file) throws ModelFileException {
    return load(model, file, NonFinite.REFUSE);
  }

  /**
   * As {@link #load(SequenceModel, Path)}, stating what to do with NaN and infinite weights.
   *
   * @throws ModelFileException also if {@code nonFinite} is {@link NonFinite#REFUSE} and a weight is not
   *     finite, naming the file, the layer, the array and the first bad index
   */
  public static ModelFile load(SequenceModel model, Path file, NonFinite nonFinite) throws IOException {
    return load(model, read(file, null, ReadBudget.ofModel(model.paramCount()), fits(model)), nonFinite);
  }

  /**
   * The check of a load from a path, made on the file's headers before any array is read: every
   * difference between the layers they describe and the model's, and then between every array's shape
   * and the shape the model declares for it.
   */
  private static Unread.Gate fits(SequenceModel model) {
    return unread -> {
      List<String> differences = differences(model, unread.header());
      if (differences.isEmpty()) {
        differences = shapeDifferences(model, unread);
      }
      if (!differences.isEmpty()) {
        throw new ArchitectureMismatchException(unread.file(), differences);
      }
    };
  }

  /** Each array whose shape differs from the one the model declares for it, one sentence each. */
  private static List<String> shapeDifferences(SequenceModel model, Unread file) {
    List<String> out = new ArrayList<>();
    List<Unread.Layer> fileLayers = new ArrayList<>();
    for (Unread.Layer l : file.layers()) {
      if (l.layer().kind() != null) {
        fileLayers.add(l);
      }
    }
    List<LayerInfo> modelLayers = model.layers();
    for (int i = 0; i < Math.min(fileLayers.size(), modelLayers.size()); i++) {
      Unread.Layer f = fileLayers.get(i);
      List<int[]> expected = shapes(modelLayers.get(i));
      List<Pending> arrays = f.arrays();
      if (arrays.size() != expected.size()) {
        out.add("layer " + f.name() + ": file has " + arrays.size() + " arrays, model declares " + expected.size());
        continue;
      }
      for (int w = 0; w < arrays.size(); w++) {
        if (!arrays.get(w).hasShape(expected.get(w))) {
          out.add("layer " + f.name() + ", array " + arrayName(f.layer(), w, arrays.size()) + ": file has shape "
              + Tensor.format(arrays.get(w).shape()) + ", model declares " + Tensor.format(expected.get(w)));
        }
      }
    }
    return out;
  }

  /** The shapes of a layer's weights, in Keras {@code get_weights()} order (a Bidirectional layer's: forward, backward). */
  private static List<int[]> shapes(LayerInfo l) {
    if (l.isBidirectional()) {
      List<int[]> out = new ArrayList<>(shapes(l.direction(false)));
      out.addAll(shapes(l.direction(true)));
      return out;
    }
    int g = l.isLstm() ? 4 : l.isGru() ? 3 : 1;
    List<int[]> out = new ArrayList<>();
    if (l.isMasking()) {
      return out;
    }
    out.add(new int[] {l.inputs(), g * l.units()});
    if (l.isLstm() || l.isGru()) {
      out.add(new int[] {l.units(), g * l.units()});
    }
    if (l.useBias()) {
      out.add(l.isGru() && l.resetAfter() ? new int[] {2, g * l.units()} : new int[] {g * l.units()});
    }
    return out;
  }

  /**
   * Loads a file already read into {@code model}, after checking that it describes the model and,
   * unless {@code nonFinite} is {@link NonFinite#ALLOW}, that every weight is finite. On any error the
   * model is unchanged.
   *
   * @return {@code file}
   * @throws ArchitectureMismatchException naming every difference between the file and the model
   * @throws ModelFileException if the weights do not fit the model, or a weight is not finite and
   *     {@code nonFinite} is {@link NonFinite#REFUSE}
   */
  public static ModelFile load(SequenceModel model, ModelFile file, NonFinite nonFinite) throws ModelFileException {
    List<String> differences = differences(model, file);
    if (!differences.isEmpty()) {
      throw new ArchitectureMismatchException(file.file(), differences);
    }
    if (nonFinite != NonFinite.ALLOW) {
      requireFinite(file);
    }
    List<Tensor> weights = file.weights();
    try {
      if (nonFinite == NonFinite.ALLOW) {
        Checks.allowingNonFinite(() -> model.setWeights(weights));
      } else {
        model.setWeights(weights);
      }
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(file.file() + ": the weights do not fit the model: " + e.getMessage(), e);
    }
    return file;
  }

  /** What a load does with weights that are NaN or infinite. */
  public enum NonFinite {
    /** Refuse the file, naming the first bad value (the default). */
    REFUSE,
    /** Load them, e.g. to inspect a model that diverged in training. */
    ALLOW
  }

  /** Throws naming the file, layer, array and index of the first non-finite weight, if there is one. */
  static void requireFinite(ModelFile file) throws ModelFileException {
    for (FileLayer l : file.layers()) {
      List<Tensor> ws = l.weights();
      for (int w = 0; w < ws.size(); w++) {
        Tensor t = ws.get(w);
        double[] d = t.data();
        for (int i = 0; i < t.size(); i++) {
          if (!Double.isFinite(d[i])) {
            throw new ModelFileException(file.file() + ": layer " + l.name() + ", array " + arrayName(l, w, ws.size())
                + ": value " + d[i] + " at index " + Tensor.format(Checks.indexOf(i, t.shape()))
                + " is not finite: the file is damaged, or the model diverged before it was saved"
                + " (ModelFiles.NonFinite.ALLOW loads it anyway)");
          }
        }
      }
    }
  }

  /**
   * The Keras name of weight {@code w} of a layer: {@code kernel}, {@code recurrent_kernel}, {@code bias};
   * for a Bidirectional layer with the direction ({@code forward_lstm/kernel}).
   */
  private static String arrayName(FileLayer l, int w, int arrays) {
    List<String> names = l.isLstm() || l.isGru() || l.isBidirectional() ? List.of("kernel", "recurrent_kernel", "bias")
        : "Dense".equals(l.kind()) ? List.of("kernel", "bias") : List.of();
    int per = l.useBias() ? names.size() : names.size() - 1;
    if (l.isBidirectional() && l.wrapped() != null && arrays == 2 * per) {
      String direction = (w < per ? "forward_" : "backward_") + l.wrapped().toLowerCase(Locale.ROOT) + "/";
      return direction + names.get(w % per) + " [" + w + "]";
    }
    return w < names.size() && arrays == per ? names.get(w) + " [" + w + "]" : "[" + w + "]";
  }

  /**
   * Every difference between what a file describes and the model's layers, one sentence each, naming
   * the file's layer, what the file has and what the model declares; empty if the file fits. Attributes
   * the file does not state are not compared (see {@link ModelFile#notes()}).
   */
  public static List<String> differences(SequenceModel model, ModelFile file) {
    List<String> out = new ArrayList<>(file.problems());
    List<FileLayer> fileLayers = new ArrayList<>();
    for (FileLayer l : file.layers()) {
      if (l.kind() != null) {
        fileLayers.add(l);
      }
    }
    List<LayerInfo> modelLayers = model.layers();
    if (fileLayers.size() != modelLayers.size()) {
      out.add("file has " + count(fileLayers.size()) + " (" + describeFile(fileLayers) + "), model declares "
          + count(modelLayers.size()) + " (" + describeModel(modelLayers) + ")");
    }
    for (int i = 0; i < Math.min(fileLayers.size(), modelLayers.size()); i++) {
      compare(fileLayers.get(i), modelLayers.get(i), i == 0, out);
    }
    return out;
  }

  private static void compare(FileLayer f, LayerInfo m, boolean first, List<String> out) {
    String layer = "layer " + f.name() + (f.name().equals(m.name()) ? "" : " (model's " + m.name() + ")") + ": ";
    if (!f.kind().equals(m.kind())) {
      out.add(layer + "file has " + article(f.kind()) + describeKind(f.kind(), f.wrapped()) + " layer, model declares "
          + describeKind(m.kind(), m.wrapped()));
      return;
    }
    if (f.isBidirectional() && f.wrapped() != null && !f.wrapped().equals(m.wrapped())) {
      out.add(layer + "file has Bidirectional(" + f.wrapped() + "), model declares Bidirectional(" + m.wrapped() + ")");
      return;
    }
    if (f.isBidirectional() && f.mergeMode() != null && f.mergeMode() != m.mergeMode()) {
      out.add(layer + "file has merge_mode " + f.mergeMode().kerasName() + ", model declares mergeMode = "
          + m.mergeMode());
    }
    if (f.isMasking()) {
      if (f.maskValue() != null && Double.compare(f.maskValue(), m.maskValue()) != 0) {
        out.add(layer + "file has mask_value " + f.maskValue() + ", model declares maskValue = " + m.maskValue());
      }
      if (f.units() > 0 && f.units() != m.units()) {
        out.add(layer + "file has " + f.units() + " features, model declares features = " + m.units());
      }
      return;
    }
    if (f.units() != m.units()) {
      out.add(layer + "file has units " + f.units() + ", model declares " + m.units());
    }
    if (f.inputs() > 0 && f.inputs() != m.inputs()) {
      out.add(layer + (first && f.isRecurrent()
          ? "file has " + f.inputs() + " features, model declares features = " + m.inputs()
          : "file has " + f.inputs() + " inputs, model gives it " + m.inputs()));
    }
    if (f.isRecurrent() && f.timesteps() > 0 && m.timesteps() > 0 && f.timesteps() != m.timesteps()) {
      out.add(layer + "file has timesteps " + f.timesteps() + ", model declares " + m.timesteps());
    }
    if (f.activation() != null && f.activation() != m.activation()) {
      out.add(layer + "file has activation " + kerasName(f.activation()) + ", model declares " + m.activation());
    }
    if (f.isRecurrent() && f.recurrentActivation() != null && f.recurrentActivation() != m.recurrentActivation()) {
      out.add(layer + "file has recurrent_activation " + kerasName(f.recurrentActivation()) + ", model declares "
          + m.recurrentActivation());
    }
    if (f.useBias() != m.useBias()) {
      out.add(layer + "file has use_bias " + f.useBias() + ", model declares useBias = " + m.useBias());
    }
    if ("GRU".equals(f.cell()) && f.resetAfter() != null && f.resetAfter() != m.resetAfter()) {
      out.add(layer + "file has reset_after " + f.resetAfter() + ", model declares resetAfter = " + m.resetAfter());
    }
    if (f.isRecurrent()) {
      flag(layer, "return_sequences", "returnSequences", f.returnSequences(), m.returnSequences(), out);
      flag(layer, "return_state", "returnState", f.returnState(), m.returnState(), out);
      flag(layer, "go_backwards", "goBackwards", f.goBackwards(), m.goBackwards(), out);
    }
  }

  private static String article(String kind) {
    return kind.equals("LSTM") ? "an " : "a ";
  }

  private static String describeKind(String kind, String wrapped) {
    return kind.equals("Bidirectional") && wrapped != null ? "Bidirectional(" + wrapped + ")" : kind;
  }

  private static void flag(String layer, String keras, String java, Boolean file, boolean model, List<String> out) {
    if (file != null && file != model) {
      out.add(layer + "file has " + keras + " " + file + ", model declares " + java + " = " + model);
    }
  }

  /** The Keras name, with the formula where the name alone is ambiguous (hard_sigmoid changed in Keras 3). */
  static String kerasName(Activation a) {
    return switch (a) {
      case HARD_SIGMOID -> "hard_sigmoid (Keras 1/2: 0.2·x + 0.5)";
      case HARD_SIGMOID_KERAS3 -> "hard_sigmoid (Keras 3: x/6 + 0.5)";
      default -> a.kerasName();
    };
  }

  private static String count(int n) {
    return n + (n == 1 ? " layer" : " layers");
  }

  private static String describeFile(List<FileLayer> layers) {
    List<String> parts = new ArrayList<>();
    for (FileLayer l : layers) {
      parts.add(l.name() + " " + describeKind(l.kind(), l.wrapped()) + "(" + l.units() + ")");
    }
    return String.join(", ", parts);
  }

  private static String describeModel(List<LayerInfo> layers) {
    List<String> parts = new ArrayList<>();
    for (LayerInfo l : layers) {
      parts.add(l.name() + " " + describeKind(l.kind(), l.wrapped()) + "(" + l.units() + ")");
    }
    return String.join(", ", parts);
  }

  private static void requireNoConfig(String name, Path config) throws ModelFileException {
    if (config != null) {
      throw new ModelFileException(name + ": a Keras JSON configuration applies to Keras files, not to this one");
    }
  }

  /** "keras" for a Keras 3 archive, "npz" for NumPy arrays, "other" otherwise. */
  private static String archiveKind(Path file, String name) throws IOException {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (zip.getEntry("model.weights.h5") != null || zip.getEntry("config.json") != null) {
        return "keras";
      }
      boolean any = false;
      for (var e = zip.entries(); e.hasMoreElements();) {
        ZipEntry entry = e.nextElement();
        if (!entry.isDirectory()) {
          if (!entry.getName().endsWith(".npy")) {
            return "other";
          }
          any = true;
        }
      }
      return any ? "npz" : "other";
    } catch (ZipException | java.io.EOFException e) {
      throw new ModelFileException(name + ": not a readable zip archive (" + e.getMessage() + "); is it truncated?", e);
    }
  }

  /** A state dict saved with {@code numpy.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()})}. */
  private static ModelFile readNpz(Path file, String name, ReadBudget budget, Unread.Gate gate) throws IOException {
    try (ZipFile zip = Npz.open(file, name)) {
      return TorchReader.fromStateDict(Npz.header(zip, name, budget), name, "PyTorch state dict (.npz)", true, null)
          .read(gate);
    }
  }

  /**
   * An ONNX model, read with Unroll's own reader of the protobuf wire format ({@link OnnxProto}): the
   * file is mapped, not loaded, so its size costs no heap; protobuf caps a message at 2 GiB.
   */
  private static ModelFile readOnnx(Path file, String name, ReadBudget budget, Unread.Gate gate) throws IOException {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new ModelFileException(name + ": " + size + " bytes, more than the 2 GiB a protobuf message can hold;"
            + " ONNX keeps the weights of such models as external data, which Unroll does not read");
      }
      java.nio.ByteBuffer buf = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, size);
      return OnnxReader.read(buf, name, budget).read(gate);
    }
  }

  /** A state dict saved with {@code safetensors.torch.save_file(model.state_dict(), path)}. */
  private static ModelFile readSafetensors(Path file, String name, ReadBudget budget, Unread.Gate gate)
      throws IOException {
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      return TorchReader.fromStateDict(Safetensors.header(Safetensors.Source.of(ch), name, budget), name,
          "PyTorch state dict (.safetensors)", false, null).read(gate);
    }
  }

  /** HDF5 allows a user block of 512, 1024, 2048, ... bytes before the superblock. */
  private static boolean isHdf5WithUserBlock(Path file) throws IOException {
    long size = Files.size(file);
    try (var ch = Files.newByteChannel(file)) {
      for (long at = 512; at + 8 <= size && at <= (1L << 20); at *= 2) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
        ch.position(at);
        while (b.hasRemaining() && ch.read(b) > 0) {
          // fill
        }
        if (java.util.Arrays.equals(b.array(), HDF5_SIGNATURE)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean looksLikeSafetensors(Path file, byte[] head) throws IOException {
    long n = java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > 100_000_000L) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(8);
      int c = in.read();
      return c == '{';
    } catch (java.io.EOFException e) {
      return false;
    }
  }
}
