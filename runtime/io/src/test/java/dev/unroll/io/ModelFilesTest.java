package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.Gradients;
import dev.unroll.LayerInfo;
import dev.unroll.SequenceModel;
import dev.unroll.ShapeMismatchException;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
  @TempDir
  Path dir;

  /** A model that only has layers and weights, checked all-or-nothing as generated models check them. */
  static class StubModel implements SequenceModel {
    final List<LayerInfo> layers;
    final List<Tensor> weights = new ArrayList<>();

    StubModel(LayerInfo... layers) {
      this.layers = List.of(layers);
      for (LayerInfo l : layers) {
        int g = l.isLstm() ? 4 : 1;
        weights.add(Tensor.zeros(l.inputs(), g * l.units()));
        if (l.isLstm()) {
          weights.add(Tensor.zeros(l.units(), g * l.units()));
        }
        if (l.useBias()) {
          weights.add(Tensor.zeros(g * l.units()));
        }
      }
    }

    @Override
    public List<LayerInfo> layers() {
      return layers;
    }

    @Override
    public List<Tensor> getWeights() {
      List<Tensor> out = new ArrayList<>();
      weights.forEach(w -> out.add(w.copy()));
      return out;
    }

    @Override
    public void setWeights(List<Tensor> w) {
      if (w.size() != weights.size()) {
        throw new IllegalArgumentException("setWeights: expected " + weights.size() + " tensors, found " + w.size());
      }
      for (int i = 0; i < w.size(); i++) {
        if (!w.get(i).hasShape(weights.get(i).shape())) {
          throw new ShapeMismatchException("setWeights[" + i + "]", Tensor.format(weights.get(i).shape()),
              Tensor.format(w.get(i).shape()));
        }
      }
      for (int i = 0; i < w.size(); i++) {
        weights.set(i, w.get(i).copy());
      }
    }

    @Override
    public int paramCount() {
      return weights.stream().mapToInt(Tensor::size).sum();
    }

    @Override
    public String summary() {
      return "";
    }

    @Override
    public int[] inputShape() {
      return new int[] {layers.get(0).timesteps(), layers.get(0).inputs()};
    }

    @Override
    public int[] outputShape() {
      return new int[] {layers.get(layers.size() - 1).units()};
    }

    @Override
    public Tensor predict(Tensor x, List<Tensor> initialState, Tensor out) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Gradients gradients(Tensor x, List<Tensor> initialState, Tensor dOutput, Gradients into) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Gradients backward(Tensor dOutput, Gradients into) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Stepper stepper() {
      throw new UnsupportedOperationException();
    }
  }

  static LayerInfo lstm(String name, int units, int inputs, int timesteps, boolean sequences) {
    return new LayerInfo(name, "LSTM", units, inputs, timesteps, Activation.TANH, Activation.SIGMOID, true, sequences,
        false, false);
  }

  static LayerInfo dense(String name, int units, int inputs, Activation a) {
    return new LayerInfo(name, "Dense", units, inputs, 0, a, null, true, false, false, false);
  }

  static Map<String, Tensor> torch(int features, int units, int out) {
    Map<String, Tensor> sd = new LinkedHashMap<>();
    sd.put("lstm.weight_ih_l0", Tensor.zeros(4 * units, features));
    sd.put("lstm.weight_hh_l0", Tensor.zeros(4 * units, units));
    sd.put("lstm.bias_ih_l0", Tensor.zeros(4 * units));
    sd.put("lstm.bias_hh_l0", Tensor.zeros(4 * units));
    sd.put("fc.weight", Tensor.zeros(out, units));
    sd.put("fc.bias", Tensor.zeros(out));
    for (Tensor t : sd.values()) {
      for (int i = 0; i < t.size(); i++) {
        t.data()[i] = 0.01 * (i + 1);
      }
    }
    return sd;
  }

  @Test
  void loadSetsEveryWeightWhenTheFileFits() throws IOException {
    Path file = dir.resolve("m.safetensors");
    Safetensors.write(file, torch(3, 2, 1), "F64");
    StubModel model = new StubModel(lstm("lstm", 2, 3, 10, false), dense("dense", 1, 2, Activation.SIGMOID));
    ModelFile f = ModelFiles.load(model, file);
    assertEquals(PyTorchWeights.read(file), model.getWeights());
    assertEquals(f.paramCount(), model.paramCount());
  }

  @Test
  void differencesNameEveryAttribute() throws ModelFileException {
    ModelFile f = ModelFiles.fromStateDict("m", torch(3, 2, 1), null);
    StubModel model = new StubModel(lstm("lstm", 4, 5, 10, false), dense("dense", 1, 4, Activation.LINEAR),
        dense("dense_1", 1, 1, Activation.LINEAR));
    assertEquals(List.of(
        "file has 2 layers (lstm LSTM(2), fc Dense(1)), model declares 3 layers (lstm LSTM(4), dense Dense(1), dense_1 "
            + "Dense(1))",
        "layer lstm: file has units 2, model declares 4",
        "layer lstm: file has 3 features, model declares features = 5",
        "layer fc (model's dense): file has 2 inputs, model gives it 4"), ModelFiles.differences(model, f));
  }

  @Test
  void aMismatchOrAWeightThatDoesNotFitChangesNothing() throws IOException {
    Path file = dir.resolve("m.safetensors");
    Safetensors.write(file, torch(3, 2, 1));
    StubModel other = new StubModel(lstm("lstm", 2, 4, 10, false), dense("dense", 1, 2, Activation.LINEAR));
    List<Tensor> before = other.getWeights();
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(other, file));
    assertEquals("m.safetensors does not fit the model (1 difference); nothing was loaded:\n"
        + "  layer lstm: file has 3 features, model declares features = 4", e.getMessage());
    assertEquals(before, other.getWeights());

    // a model whose layers match but whose weights are laid out otherwise: setWeights refuses, wrapped
    StubModel noBias = new StubModel(lstm("lstm", 2, 3, 10, false), dense("dense", 1, 2, Activation.LINEAR)) {
      @Override
      public void setWeights(List<Tensor> w) {
        throw new ShapeMismatchException("setWeights[0]", "(3, 9)", Tensor.format(w.get(0).shape()));
      }
    };
    ModelFileException wrapped = assertThrows(ModelFileException.class, () -> ModelFiles.load(noBias, file));
    assertEquals("m.safetensors: the weights do not fit the model: setWeights[0]: expected shape (3, 9), found (3, 8)",
        wrapped.getMessage());
    assertSame(ShapeMismatchException.class, wrapped.getCause().getClass());
  }

  @Test
  void formatsAreRecognisedByContent() throws IOException {
    Path renamed = dir.resolve("weights.bin");
    Safetensors.write(renamed, torch(1, 1, 1));
    assertEquals("PyTorch state dict (.safetensors)", ModelFiles.read(renamed).format());
    Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
    assertEquals("notes.txt: not a file Unroll reads (Keras .h5 or .keras, PyTorch .safetensors or .npz, ONNX .onnx)",
        assertThrows(ModelFileException.class, () -> ModelFiles.read(text)).getMessage());
    Path empty = Files.write(dir.resolve("empty.h5"), new byte[0]);
    assertEquals("empty.h5: not an HDF5 file or zip archive (it does not start with their signatures); is it "
        + "truncated or corrupt?", assertThrows(ModelFileException.class, () -> ModelFiles.read(empty)).getMessage());
    assertThrows(NoSuchFileException.class, () -> ModelFiles.read(dir.resolve("absent.h5")));
    assertEquals("weights.bin: a Keras JSON configuration applies to Keras files, not to this one",
        assertThrows(ModelFileException.class, () -> ModelFiles.read(renamed, text)).getMessage());
    assertEquals("weights.bin: a PyTorch state dict (.safetensors), not a Keras file; use PyTorchWeights",
        assertThrows(ModelFileException.class, () -> KerasWeights.read(renamed)).getMessage());
  }

  @Test
  void npzStateDictsKeepTheirOrder() throws IOException {
    Map<String, Tensor> sd = torch(3, 2, 1);
    Path file = dir.resolve("m.npz");
    Npz.write(file, sd);
    ModelFile f = ModelFiles.read(file);
    assertEquals("PyTorch state dict (.npz)", f.format());
    assertEquals(List.of("lstm", "fc"), f.layers().stream().map(FileLayer::name).toList());
    assertEquals(PyTorchWeights.convert(sd, null), f.weights());

    Path other = dir.resolve("other.zip");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(other))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
      zip.write(1);
    }
    assertEquals("other.zip: a zip archive, but neither a Keras .keras file (config.json, model.weights.h5) nor a "
        + "NumPy .npz (.npy entries)", assertThrows(ModelFileException.class, () -> ModelFiles.read(other)).getMessage());

    Path bad = dir.resolve("bad.npz");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(bad))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("lstm.weight_ih_l0.npy"));
      zip.write(new byte[] {1, 2, 3});
    }
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.read(bad));
    assertTrue(e.getMessage().startsWith("bad.npz: entry lstm.weight_ih_l0.npy: "), e.getMessage());
  }

  @Test
  void withoutJhdfHdf5FilesGiveAClearMessage() throws Exception {
    Path h5 = new H5().attr("", "layer_names", new String[] {"dense_1"})
        .layer("", "dense_1", Map.of("dense_1/kernel:0", H5.zeros(1, 1)))
        .write(dir.resolve("m.h5"));
    // the runtime's and unroll-io's classes alone, as an application that leaves out io.jhdf:jhdf sees them
    URL io = ModelFiles.class.getProtectionDomain().getCodeSource().getLocation();
    URL runtime = dev.unroll.Tensor.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {io, runtime}, ClassLoader.getPlatformClassLoader())) {
      Class<?> modelFiles = loader.loadClass(ModelFiles.class.getName());
      Method read = modelFiles.getMethod("read", Path.class);
      InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> read.invoke(null, h5));
      assertEquals(ModelFileException.class.getName(), e.getCause().getClass().getName());
      assertEquals("m.h5: reading HDF5 (.h5, .keras) needs io.jhdf:jhdf 0.13.0 on the class path; unroll-io "
          + "depends on it, so it was excluded from this build: add it back", e.getCause().getMessage());
    }
  }

  @Test
  void onlyOneLz4OnTheClassPath() throws IOException {
    // jhdf's at.yawk.lz4:lz4-java and org.lz4:lz4-java both hold net.jpountz.lz4: exactly one may be present
    List<URL> copies = java.util.Collections.list(
        ClassLoader.getSystemClassLoader().getResources("net/jpountz/lz4/LZ4Factory.class"));
    assertEquals(1, copies.size(), copies.toString());
    assertTrue(copies.get(0).toString().contains("at/yawk/lz4"), copies.toString());
  }
}
