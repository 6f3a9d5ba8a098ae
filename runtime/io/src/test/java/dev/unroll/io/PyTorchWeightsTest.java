package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyTorchWeightsTest {
  @TempDir
  Path dir;

  static Tensor random(SplittableRandom r, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = r.nextDouble(-1, 1);
    }
    return t;
  }

  /** nn.LSTM(features, units, num_layers) weights under {@code prefix}. */
  static void lstm(Map<String, Tensor> sd, SplittableRandom r, String prefix, int features, int units, int layers,
      boolean bias) {
    for (int k = 0; k < layers; k++) {
      sd.put(prefix + "weight_ih_l" + k, random(r, 4 * units, k == 0 ? features : units));
      sd.put(prefix + "weight_hh_l" + k, random(r, 4 * units, units));
      if (bias) {
        sd.put(prefix + "bias_ih_l" + k, random(r, 4 * units));
        sd.put(prefix + "bias_hh_l" + k, random(r, 4 * units));
      }
    }
  }

  static List<String> names(ModelFile f) {
    return f.layers().stream().map(FileLayer::name).toList();
  }

  @Test
  void lstmBecomesTransposedKernelsAndSummedBias() throws ModelFileException {
    SplittableRandom r = new SplittableRandom(1);
    Map<String, Tensor> sd = new LinkedHashMap<>();
    lstm(sd, r, "rnn.", 3, 2, 1, true);
    sd.put("head.weight", random(r, 4, 2));
    sd.put("head.bias", random(r, 4));
    List<Tensor> w = PyTorchWeights.convert(sd, null);
    assertEquals(5, w.size());
    assertArrayEquals(new int[] {3, 8}, w.get(0).shape());
    assertArrayEquals(new int[] {2, 8}, w.get(1).shape());
    assertArrayEquals(new int[] {2, 4}, w.get(3).shape());
    for (int row = 0; row < 8; row++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(sd.get("rnn.weight_ih_l0").get(row, c), w.get(0).get(c, row));
      }
      for (int c = 0; c < 2; c++) {
        assertEquals(sd.get("rnn.weight_hh_l0").get(row, c), w.get(1).get(c, row));
      }
      assertEquals(sd.get("rnn.bias_ih_l0").data()[row] + sd.get("rnn.bias_hh_l0").data()[row], w.get(2).data()[row]);
    }
    assertEquals(sd.get("head.weight").get(3, 1), w.get(3).get(1, 3));
    assertArrayEquals(sd.get("head.bias").data(), w.get(4).data());

    ModelFile f = ModelFiles.fromStateDict("m", sd, null);
    FileLayer l = f.layers().get(0);
    assertEquals("LSTM", l.kind());
    assertEquals(Activation.TANH, l.activation());
    assertEquals(Activation.SIGMOID, l.recurrentActivation());
    assertNull(l.returnSequences(), "not in a state dict");
    assertNull(f.layers().get(1).activation(), "not in a state dict");
    assertFalse(f.configured());
  }

  @Test
  void multiLayerLstmGivesOneLayerEachAndBiasFreeLayersHaveNoBias() throws ModelFileException {
    SplittableRandom r = new SplittableRandom(2);
    Map<String, Tensor> sd = new LinkedHashMap<>();
    lstm(sd, r, "enc.", 5, 3, 2, false);
    sd.put("out.weight", random(r, 1, 3));
    ModelFile f = ModelFiles.fromStateDict("m", sd, null);
    assertEquals(List.of("enc.l0", "enc.l1", "out"), names(f));
    assertEquals(Boolean.TRUE, f.layers().get(0).returnSequences(), "layer 0 feeds layer 1 its whole sequence");
    assertFalse(f.layers().get(1).useBias());
    assertFalse(f.layers().get(2).useBias());
    assertEquals(5, f.weights().size());
  }

  @Test
  void unnamedTopLevelLstm() throws ModelFileException {
    Map<String, Tensor> sd = new LinkedHashMap<>();
    lstm(sd, new SplittableRandom(3), "", 1, 2, 1, true);
    assertEquals(List.of("lstm"), names(ModelFiles.fromStateDict("m", sd, null)));
  }

  @Test
  void moduleOrderFileThenNaturalThenExplicit() throws IOException {
    SplittableRandom r = new SplittableRandom(4);
    // sorted by name as safetensors writes them: dense < lstm < lstm10 < lstm2; shapes chain only as lstm, lstm2, lstm10
    Map<String, Tensor> sd = new TreeMap<>();
    lstm(sd, r, "lstm.", 1, 4, 1, true);
    lstm(sd, r, "lstm2.", 4, 5, 1, true);
    lstm(sd, r, "lstm10.", 5, 6, 1, true);
    sd.put("dense.weight", random(r, 1, 6));
    sd.put("dense.bias", random(r, 1));
    Path file = dir.resolve("m.safetensors");
    Safetensors.write(file, sd);
    ModelFile f = ModelFiles.read(file);
    assertEquals(List.of("lstm", "lstm2", "lstm10", "dense"), names(f));
    assertTrue(f.notes().contains("module order (not recorded in a state dict): lstm → lstm2 → lstm10 → dense, "
        + "from natural name order, recurrent modules first"), f.notes().toString());

    Map<String, Tensor> inOrder = new LinkedHashMap<>();
    for (String m : List.of("lstm.", "lstm2.", "lstm10.")) {
      sd.forEach((k, v) -> {
        if (k.startsWith(m) && !k.substring(m.length()).contains(".")) {
          inOrder.put(k, v);
        }
      });
    }
    inOrder.put("dense.weight", sd.get("dense.weight"));
    inOrder.put("dense.bias", sd.get("dense.bias"));
    ModelFile g = ModelFiles.fromStateDict("m", inOrder, null);
    assertTrue(g.notes().get(0).endsWith("from the file's module order (the state dict's)"), g.notes().toString());

    ModelFile h = ModelFiles.fromStateDict("m", sd, List.of("lstm", "lstm2", "lstm10", "dense"));
    assertEquals(names(f), names(h));
    assertEquals("m: the module order leaves out dense", assertThrows(ModelFileException.class,
        () -> ModelFiles.fromStateDict("m", sd, List.of("lstm", "lstm2", "lstm10"))).getMessage());
    assertEquals("m: the module order names fc, which the file does not have (it has dense, lstm, lstm10, lstm2)",
        assertThrows(ModelFileException.class,
            () -> ModelFiles.fromStateDict("m", sd, List.of("fc", "lstm", "lstm2", "lstm10"))).getMessage());
  }

  /** nn.Linear(in, out) weights under {@code prefix}. */
  static void linear(Map<String, Tensor> sd, SplittableRandom r, String prefix, int in, int out) {
    sd.put(prefix + "weight", random(r, out, in));
    sd.put(prefix + "bias", random(r, out));
  }

  @Test
  void aLinearBeforeTheLstmStaysFirstInStateDictOrder() throws IOException {
    SplittableRandom r = new SplittableRandom(7);
    Map<String, Tensor> sd = new LinkedHashMap<>(); // as state_dict() lists them: embed, lstm, head
    linear(sd, r, "embed.", 3, 6);
    lstm(sd, r, "lstm.", 6, 5, 1, true);
    linear(sd, r, "head.", 5, 2);
    ModelFile f = ModelFiles.fromStateDict("m", sd, null);
    assertEquals(List.of("embed", "lstm", "head"), names(f));
    assertEquals(List.of("Dense", "LSTM", "Dense"), f.layers().stream().map(FileLayer::kind).toList());
    assertTrue(f.notes().get(0).endsWith("embed → lstm → head, from the file's module order (the state dict's)"),
        f.notes().toString());
    assertArrayEquals(new int[] {3, 6}, f.weights().get(0).shape(), "the embedding's kernel comes first");

    // the same tensors sorted by name (as a .safetensors file holds them): embed, head, lstm; only one order chains
    Path file = dir.resolve("m.safetensors");
    Safetensors.write(file, new TreeMap<>(sd), "F64");
    ModelFile g = ModelFiles.read(file);
    assertEquals(List.of("embed", "lstm", "head"), names(g));
    assertTrue(g.notes().get(0).endsWith("from the only order in which the shapes chain"), g.notes().toString());
    assertEquals(f.weights(), g.weights());
    assertEquals(names(f), names(ModelFiles.fromStateDict("m", new TreeMap<>(sd), null)));
  }

  @Test
  void aSquareLinearBeforeTheLstmIsTakenInStateDictOrderAndOtherwiseNamedAsAmbiguous() throws IOException {
    SplittableRandom r = new SplittableRandom(8);
    Map<String, Tensor> sd = new LinkedHashMap<>(); // proj (4 -> 4), rnn (4 -> 4), out (4 -> 1)
    linear(sd, r, "proj.", 4, 4);
    lstm(sd, r, "rnn.", 4, 4, 1, true);
    linear(sd, r, "out.", 4, 1);
    // recurrent first (rnn, proj, out) chains too: only the state dict's order says proj comes first
    assertEquals(List.of("proj", "rnn", "out"), names(ModelFiles.fromStateDict("m", sd, null)));
    Path npz = dir.resolve("m.npz");
    Npz.write(npz, sd);
    assertEquals(List.of("proj", "rnn", "out"), names(ModelFiles.read(npz)));

    Path file = dir.resolve("m.safetensors");
    Safetensors.write(file, new TreeMap<>(sd));
    ModelFile sorted = ModelFiles.read(file);
    assertEquals(List.of("rnn", "proj", "out"), names(sorted), "sorted by name, the order is a guess");
    assertTrue(sorted.notes().contains("the shapes chain in 2 module orders, also proj → rnn → out: pass"
        + " the module order explicitly if forward() calls the modules so"), sorted.notes().toString());
    assertEquals(List.of("proj", "rnn", "out"),
        names(ModelFiles.fromStateDict("m", new TreeMap<>(sd), List.of("proj", "rnn", "out"))));
  }

  @Test
  void naturalOrder() {
    assertTrue(TorchReader.naturalCompare("lstm2", "lstm10") < 0);
    assertTrue(TorchReader.naturalCompare("lstm", "lstm2") < 0);
    assertTrue(TorchReader.naturalCompare("a02", "a10") < 0);
    assertEquals(0, TorchReader.naturalCompare("x1.y", "x1.y"));
  }

  @Test
  void otherModulesAreNamedAsUnsupported() throws ModelFileException {
    SplittableRandom r = new SplittableRandom(5);
    Map<String, Tensor> rnn = new LinkedHashMap<>();
    rnn.put("rnn.weight_ih_l0", random(r, 2, 1));
    rnn.put("rnn.weight_hh_l0", random(r, 2, 2));
    ModelFile f = ModelFiles.fromStateDict("m.safetensors", rnn, null);
    assertEquals(List.of("module rnn: weight_hh_l0 has shape (2, 2), an nn.RNN; nn.LSTM (4·hidden_size rows) and "
        + "nn.GRU (3·) are supported"), f.problems());
    assertEquals("m.safetensors: module rnn: weight_hh_l0 has shape (2, 2), an nn.RNN; nn.LSTM (4·hidden_size rows) "
        + "and nn.GRU (3·) are supported", assertThrows(ModelFileException.class, f::weights).getMessage());

    Map<String, Tensor> bi = new LinkedHashMap<>();
    lstm(bi, r, "lstm.", 1, 2, 1, true);
    bi.put("lstm.weight_ih_l0_reverse", random(r, 8, 1));
    assertEquals("m: module lstm: layer 0 lacks weight_hh_l0_reverse",
        assertThrows(ModelFileException.class, () -> ModelFiles.fromStateDict("m", bi, null)).getMessage());

    Map<String, Tensor> bn = new LinkedHashMap<>();
    lstm(bn, r, "lstm.", 1, 2, 1, true);
    bn.put("bn.weight", random(r, 2));
    bn.put("bn.bias", random(r, 2));
    bn.put("bn.running_mean", random(r, 2));
    assertEquals("module bn (weight (2,), bias (2,), running_mean (2,)) is neither an nn.LSTM, an nn.GRU nor an "
        + "nn.Linear; Unroll has LSTM, GRU, Bidirectional and Dense layers", ModelFiles.fromStateDict("m", bn, null).problems().get(0));
  }

  @Test
  void inconsistentTensorsAreErrors() {
    SplittableRandom r = new SplittableRandom(6);
    Map<String, Tensor> gap = new LinkedHashMap<>();
    lstm(gap, r, "lstm.", 1, 2, 3, true);
    gap.keySet().removeIf(k -> k.endsWith("_l1"));
    assertEquals("m: module lstm: has weights for layer 2 but none for layer 1",
        assertThrows(ModelFileException.class, () -> ModelFiles.fromStateDict("m", gap, null)).getMessage());

    Map<String, Tensor> halfBias = new LinkedHashMap<>();
    lstm(halfBias, r, "lstm.", 1, 2, 1, true);
    halfBias.remove("lstm.bias_hh_l0");
    assertEquals("m: module lstm: layer 0 has bias_ih_l0 without bias_hh_l0",
        assertThrows(ModelFileException.class, () -> ModelFiles.fromStateDict("m", halfBias, null)).getMessage());

    Map<String, Tensor> badLinear = new LinkedHashMap<>();
    lstm(badLinear, r, "lstm.", 1, 2, 1, true);
    badLinear.put("fc.weight", random(r, 3, 2));
    badLinear.put("fc.bias", random(r, 2));
    assertEquals("m: module fc: bias has shape (2,), expected (3,) for weight (3, 2)",
        assertThrows(ModelFileException.class, () -> ModelFiles.fromStateDict("m", badLinear, null)).getMessage());

    Map<String, Tensor> badIh = new LinkedHashMap<>();
    lstm(badIh, r, "lstm.", 1, 2, 1, true);
    badIh.put("lstm.weight_ih_l0", random(r, 7, 1));
    assertEquals("m: module lstm: weight_ih_l0 has shape (7, 1), expected (8, input_size) for hidden_size 2",
        assertThrows(ModelFileException.class, () -> ModelFiles.fromStateDict("m", badIh, null)).getMessage());
  }
}
