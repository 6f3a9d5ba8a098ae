package dev.unroll.io;

import static dev.unroll.io.OnnxWriter.attr;
import static dev.unroll.io.OnnxWriter.attrInts;
import static dev.unroll.io.OnnxWriter.attrStrings;
import static dev.unroll.io.OnnxWriter.int64s;
import static dev.unroll.io.OnnxWriter.node;
import static dev.unroll.io.OnnxWriter.tensor;
import static dev.unroll.io.OnnxWriter.valueInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.LayerInfo;
import dev.unroll.Tensor;
import dev.unroll.io.ModelFilesTest.StubModel;
import dev.unroll.io.OnnxWriter.Graph;
import dev.unroll.io.OnnxWriter.Msg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX reader on graphs written by {@link OnnxWriter}: gate and bias conversion, direction and
 * layout, every refusal by name, and hostile files. The torch exports are checked against torch's
 * outputs in the examples module ({@code OnnxFilesTest}).
 */
class OnnxReaderTest {
  static final int B = 2;
  static final int T = 5;
  static final int F = 3;
  static final int U = 2;

  @TempDir
  Path dir;

  static Tensor random(long seed, int... shape) {
    SplittableRandom r = new SplittableRandom(seed);
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = (float) r.nextDouble(-1, 1);
    }
    return t;
  }

  /** The LSTM (or GRU) weights of a test graph: W, R, B for {@code dirs} directions, {@code g} gates. */
  static List<Tensor> onnxWeights(int dirs, int g) {
    return List.of(random(1, dirs, g * U, F), random(2, dirs, g * U, U), random(3, dirs, 2 * g * U));
  }

  /**
   * x (B, T, F) → [Transpose for layout 0] → op (W, R, B, then {@code more} inputs) → Y_h → Squeeze of
   * the direction → Gemm (1 unit). {@code attrs} go on the recurrent node.
   */
  static Graph graph(String op, String direction, int layout, List<String> more, Msg... attrs) {
    int g = op.equals("LSTM") ? 4 : 3;
    int dirs = direction.equals("bidirectional") ? 2 : 1;
    List<Tensor> w = onnxWeights(dirs, g);
    Graph gr = new Graph();
    gr.input = valueInfo("x", B, T, F);
    gr.output = valueInfo("y", B, 1);
    gr.init(tensor("W", w.get(0))).init(tensor("R", w.get(1))).init(tensor("B", w.get(2)))
        .init(tensor("dense.weight", random(4, 1, U * dirs))).init(tensor("dense.bias", random(5, 1)));
    String in = "x";
    if (layout == 0) {
      gr.node(node("Transpose", "to_time_major", List.of("x"), List.of("xt"), attrInts("perm", 1, 0, 2)));
      in = "xt";
    }
    List<String> inputs = new ArrayList<>(List.of(in, "W", "R", "B"));
    inputs.addAll(more);
    List<Msg> all = new ArrayList<>(Arrays.asList(attrs));
    all.add(attr("hidden_size", U));
    all.add(attr("direction", direction));
    if (layout == 1) {
      all.add(attr("layout", 1));
    }
    gr.node(node(op, "rnn", inputs, List.of("Y", "Y_h"), all.toArray(new Msg[0])));
    return gr;
  }

  /** Y_h → Squeeze of its direction axis → Gemm → y. */
  static Graph headOnYh(Graph gr, int layout) {
    gr.init(int64s("axis", new int[] {1}, layout == 0 ? 0 : 1));
    gr.node(node("Squeeze", "squeeze", List.of("Y_h", "axis"), List.of("h")));
    gr.node(node("Gemm", "dense", List.of("h", "dense.weight", "dense.bias"), List.of("y"), attr("transB", 1)));
    return gr;
  }

  Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  ModelFile read(String name, Graph g) throws IOException {
    return ModelFiles.read(write(name, g.model(14)));
  }

  String refusal(String name, Graph g) throws IOException {
    Path file = write(name, g.model(14));
    return assertThrows(ModelFileException.class, () -> ModelFiles.read(file).weights()).getMessage();
  }

  @Test
  void lstmGateBlocksIofcBecomeKerasIfcoAndTheBiasIsWbPlusRb() throws IOException {
    ModelFile f = read("lstm.onnx", headOnYh(graph("LSTM", "forward", 0, List.of()), 0));
    assertEquals("ONNX from OnnxWriter 1, opset 14", f.format());
    FileLayer l = f.layers().get(0);
    assertEquals("LSTM", l.kind());
    assertEquals(List.of(U, F, T), List.of(l.units(), l.inputs(), l.timesteps()));
    assertEquals(false, l.returnSequences());
    assertEquals(false, l.goBackwards());
    List<Tensor> onnx = onnxWeights(1, 4);
    Tensor kernel = l.weights().get(0);
    Tensor recurrent = l.weights().get(1);
    Tensor bias = l.weights().get(2);
    // Keras block k (i, f, c, o) is ONNX block i = 0, f = 2, c = 3, o = 1
    int[] onnxBlock = {0, 2, 3, 1};
    for (int k = 0; k < 4; k++) {
      for (int u = 0; u < U; u++) {
        int row = onnxBlock[k] * U + u;
        for (int x = 0; x < F; x++) {
          assertEquals(onnx.get(0).get(0, row, x), kernel.get(x, k * U + u), 0.0);
        }
        for (int h = 0; h < U; h++) {
          assertEquals(onnx.get(1).get(0, row, h), recurrent.get(h, k * U + u), 0.0);
        }
        assertEquals(onnx.get(2).get(0, row) + onnx.get(2).get(0, 4 * U + row), bias.get(k * U + u), 0.0);
      }
    }
    FileLayer dense = f.layers().get(1);
    assertEquals("Dense", dense.kind());
    assertEquals(Activation.LINEAR, dense.activation());
    assertEquals(random(4, 1, U).get(0, 1), dense.weights().get(0).get(1, 0), 0.0); // transB: kernel = B transposed
  }

  @Test
  void layoutOneGivesTheSameLayers() throws IOException {
    ModelFile zero = read("l0.onnx", headOnYh(graph("LSTM", "forward", 0, List.of()), 0));
    ModelFile one = read("l1.onnx", headOnYh(graph("LSTM", "forward", 1, List.of()), 1));
    assertEquals(zero.weights(), one.weights());
    assertEquals(zero.layers().get(0).timesteps(), one.layers().get(0).timesteps());
  }

  @Test
  void reverseWithItsFinalStateIsGoBackwardsAndWithItsWholeSequenceIsRefused() throws IOException {
    assertEquals(true, read("rev.onnx", headOnYh(graph("LSTM", "reverse", 0, List.of()), 0)).layers().get(0)
        .goBackwards());
    Graph seq = graph("LSTM", "reverse", 0, List.of());
    seq.init(int64s("axis", new int[] {1}, 1)).init(tensor("k", random(6, U, 1)));
    seq.node(node("Squeeze", "squeeze", List.of("Y", "axis"), List.of("s")));
    seq.node(node("MatMul", "dense", List.of("s", "k"), List.of("y")));
    String why = refusal("revseq.onnx", seq);
    assertTrue(why.contains("reads the whole output sequence of rnn (direction reverse)"), why);
  }

  @Test
  void lastStepOfAForwardLayerIsReturnSequencesFalseAndItsFirstStepIsRefused() throws IOException {
    for (long index : new long[] {-1, T - 1, 0}) {
      Graph g = graph("LSTM", "forward", 0, List.of());
      g.init(int64s("axis", new int[] {1}, 1)).init(int64s("step", new int[0], index));
      g.node(node("Squeeze", "squeeze", List.of("Y", "axis"), List.of("s")));
      g.node(node("Gather", "last", List.of("s", "step"), List.of("h"), attr("axis", 0)));
      g.node(node("Gemm", "dense", List.of("h", "dense.weight", "dense.bias"), List.of("y"), attr("transB", 1)));
      if (index == 0) {
        String why = refusal("first.onnx", g);
        assertTrue(why.contains("takes step 0 of rnn (direction forward)"), why);
      } else {
        assertEquals(false, read("last.onnx", g).layers().get(0).returnSequences());
      }
    }
  }

  @Test
  void whatKerasLstmsDoNotHaveIsRefusedEachByName() throws IOException {
    Graph g = headOnYh(graph("LSTM", "forward", 0, List.of("", "", "", "P"), attr("input_forget", 1),
        attr("clip", 3.0f), attrStrings("activations", "Sigmoid", "Relu", "Tanh")), 0);
    g.init(tensor("P", random(7, 1, 3 * U)));
    Path file = write("peephole.onnx", g.model(14));
    ModelFile f = ModelFiles.read(file);
    String problem = f.layers().get(0).problem();
    assertNull(f.layers().get(0).kind());
    for (String name : List.of("input_forget 1", "clip 3.0", "activations [Sigmoid, Relu, Tanh]", "peepholes P")) {
      assertTrue(problem.contains(name), problem);
    }
    StubModel model = new StubModel(new LayerInfo("lstm", "LSTM", U, F, T, Activation.TANH, Activation.SIGMOID, true,
        false, false, false), new LayerInfo("dense", "Dense", 1, U, 0, Activation.LINEAR, null, true, false, false,
        false));
    List<Tensor> before = model.getWeights();
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(model, file));
    assertTrue(e.getMessage().contains("peepholes P"), e.getMessage());
    assertEquals(before, model.getWeights());
  }

  @Test
  void sequenceLengthsAndANonZeroInitialStateAreRefusedByName() throws IOException {
    Graph g = headOnYh(graph("LSTM", "forward", 0, List.of("lens", "h0")), 0);
    g.init(int64s("lens", new int[] {B}, T, T)).init(tensor("h0", random(8, 1, B, U)));
    String problem = ModelFiles.read(write("state.onnx", g.model(14))).layers().get(0).problem();
    assertTrue(problem.contains("sequence_lens") && problem.contains("initial_h that is not zero"), problem);

    Graph zero = headOnYh(graph("LSTM", "forward", 0, List.of("", "h0", "c0")), 0);
    zero.init(tensor("h0", Tensor.zeros(1, B, U))).init(tensor("c0", Tensor.zeros(1, B, U)));
    assertNull(ModelFiles.read(write("zero.onnx", zero.model(14))).layers().get(0).problem());
  }

  @Test
  void theCellStateAnOpUnrollDoesNotMapAndABranchAreRefusedByName() throws IOException {
    Graph yc = graph("LSTM", "forward", 0, List.of());
    yc.nodes.set(1, node("LSTM", "rnn", List.of("xt", "W", "R", "B"), List.of("Y", "Y_h", "Y_c"),
        attr("hidden_size", U)));
    yc.node(node("Identity", "c", List.of("Y_c"), List.of("y")));
    assertTrue(refusal("yc.onnx", yc).contains("the cell state Y_c of rnn"));

    Graph conv = headOnYh(graph("LSTM", "forward", 0, List.of()), 0);
    conv.nodes.add(0, node("LayerNormalization", "norm", List.of("x"), List.of("xn")));
    String why = refusal("op.onnx", conv);
    assertTrue(why.contains("node norm (op LayerNormalization)") && why.contains("is not one Unroll maps"), why);

    Graph branch = headOnYh(graph("LSTM", "forward", 0, List.of()), 0);
    branch.node(node("Gemm", "second", List.of("h", "dense.weight", "dense.bias"), List.of("y2"), attr("transB", 1)));
    why = refusal("branch.onnx", branch);
    assertTrue(why.contains("the graph branches"), why);
  }

  @Test
  void externalDataAndFloat16WeightsAreRefusedByName() throws IOException {
    Graph ext = headOnYh(graph("LSTM", "forward", 0, List.of()), 0);
    ext.inits.set(0, new Msg().varint(1, 1).varint(1, 4 * U).varint(1, F).varint(2, 1).string(8, "W")
        .msg(13, new Msg().string(1, "location").string(2, "weights.bin")).varint(14, 1));
    String why = refusal("ext.onnx", ext);
    assertTrue(why.contains("tensor W (1, 8, 3) keeps its data outside the .onnx file (external data)"), why);

    Graph half = headOnYh(graph("LSTM", "forward", 0, List.of()), 0);
    half.inits.set(0, new Msg().varint(1, 1).varint(1, 4 * U).varint(1, F).varint(2, 10).string(8, "W")
        .bytes(9, new byte[2 * 4 * U * F]));
    why = refusal("half.onnx", half);
    assertTrue(why.contains("has ONNX data type 10 (float16)"), why);
  }

  @Test
  void gruLinearBeforeResetIsResetAfter() throws IOException {
    List<Tensor> onnx = onnxWeights(1, 3);
    FileLayer after = read("gru1.onnx", headOnYh(graph("GRU", "forward", 0, List.of(),
        attr("linear_before_reset", 1)), 0)).layers().get(0);
    assertEquals("GRU", after.kind());
    assertTrue(after.resetAfter());
    Tensor bias = after.weights().get(2);
    assertEquals(List.of(2, 3 * U), List.of(bias.shape()[0], bias.shape()[1]));
    assertEquals(onnx.get(2).get(0, 3 * U + 1), bias.get(1, 1), 0.0); // row 1 is Rb, gates z, r, h as in Keras
    assertEquals(onnx.get(0).get(0, U + 1, 2), after.weights().get(0).get(2, U + 1), 0.0);

    FileLayer before = read("gru0.onnx", headOnYh(graph("GRU", "forward", 0, List.of()), 0)).layers().get(0);
    assertFalse(before.resetAfter());
    assertEquals(onnx.get(2).get(0, 4) + onnx.get(2).get(0, 3 * U + 4), before.weights().get(2).get(4), 0.0);
  }

  @Test
  void bidirectionalFinalStatesConcatenateAndOneStepOfItsSequenceIsRefused() throws IOException {
    Graph g = graph("LSTM", "bidirectional", 0, List.of());
    g.init(int64s("shape", new int[] {2}, B, -1));
    g.node(node("Transpose", "t", List.of("Y_h"), List.of("hb"), attrInts("perm", 1, 0, 2)));
    g.node(node("Reshape", "r", List.of("hb", "shape"), List.of("h")));
    g.node(node("Gemm", "dense", List.of("h", "dense.weight", "dense.bias"), List.of("y"), attr("transB", 1)));
    FileLayer l = read("bi.onnx", g).layers().get(0);
    assertEquals("Bidirectional", l.kind());
    assertEquals(dev.unroll.MergeMode.CONCAT, l.mergeMode());
    assertEquals(false, l.returnSequences());
    assertEquals(6, l.weights().size());
    assertEquals(onnxWeights(2, 4).get(0).get(1, 0, 2), l.weights().get(3).get(2, 0), 0.0); // backward kernel, i

    Graph step = graph("LSTM", "bidirectional", 0, List.of());
    step.init(int64s("last", new int[0], -1));
    step.node(node("Gather", "last", List.of("Y", "last"), List.of("s"), attr("axis", 0)));
    step.node(node("Identity", "out", List.of("s"), List.of("y")));
    String why = refusal("bistep.onnx", step);
    assertTrue(why.contains("takes one step of bidirectional layer rnn's Y"), why);
  }

  // ---- hostile files --------------------------------------------------------------------------

  @Test
  void weightsClaimingGigabytesAreRefusedOnTheirShapesBeforeAnyDataIsRead() throws IOException {
    Graph g = headOnYh(graph("LSTM", "forward", 0, List.of()), 0);
    int huge = 1 << 27;
    g.inits.set(0, new Msg().varint(1, 1).varint(1, 4L * huge).varint(1, F).varint(2, 1).string(8, "W")
        .bytes(9, new byte[16]));
    g.inits.set(1, new Msg().varint(1, 1).varint(1, 4L * huge).varint(1, huge).varint(2, 1).string(8, "R")
        .bytes(9, new byte[16]));
    g.inits.set(2, new Msg().varint(1, 1).varint(1, 8L * huge).varint(2, 1).string(8, "B").bytes(9, new byte[16]));
    g.inits.set(3, new Msg().varint(1, 1).varint(1, huge).varint(2, 1).string(8, "dense.weight").bytes(9, new byte[4]));
    g.nodes.set(1, node("LSTM", "rnn", List.of("xt", "W", "R", "B"), List.of("Y", "Y_h"), attr("hidden_size", huge)));
    Path file = write("huge.onnx", g.model(14));
    StubModel model = new StubModel(new LayerInfo("lstm", "LSTM", U, F, T, Activation.TANH, Activation.SIGMOID, true,
        false, false, false), new LayerInfo("dense", "Dense", 1, U, 0, Activation.LINEAR, null, true, false, false,
        false));
    ArchitectureMismatchException e = assertThrows(ArchitectureMismatchException.class,
        () -> ModelFiles.load(model, file));
    assertTrue(e.getMessage().contains("file has units " + huge + ", model declares " + U), e.getMessage());
    ModelFileException limit = assertThrows(ModelFileException.class,
        () -> ModelFiles.read(file, null, 1 << 20).weights());
    assertTrue(limit.getMessage().contains("claims " + 4L * huge * F + " values"), limit.getMessage());
  }

  @Test
  void everyTruncationIsAModelFileException() throws IOException {
    byte[] clean = headOnYh(graph("LSTM", "forward", 0, List.of()), 0).model(14);
    int refused = 0;
    for (int n = 0; n < clean.length; n++) {
      Path file = write("cut.onnx", Arrays.copyOf(clean, n));
      try {
        ModelFiles.read(file).weights();
      } catch (ModelFileException expected) {
        refused++;
      }
    }
    // a cut between two top-level fields leaves a shorter, valid model only where the graph is already whole
    assertTrue(refused >= clean.length - 40, refused + " of " + clean.length + " truncations refused");
  }

  @Test
  void lengthsPastTheEndOverlongVarintsAndGroupsAreRefused() throws IOException {
    for (byte[] bad : List.of(
        new byte[] {0x08, 0x08, 0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x0a}, // graph of 16 MB, 1 byte left
        new byte[] {0x08, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, // an 11-byte varint
        new byte[] {0x08, 0x08, 0x3b, 0x3c}, // a group
        new byte[] {0x00, 0x01}, // field 0
        new byte[0])) {
      Path file = write("bad.onnx", bad);
      ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.read(file));
      assertTrue(e.getMessage().startsWith("bad.onnx: "), e.getMessage());
    }
  }

  @Test
  void millionsOfTinyNodesAreRefusedWithinTheMetadataAllowance() throws IOException {
    Graph g = headOnYh(graph("LSTM", "forward", 0, List.of()), 0);
    Msg tiny = node("Identity", "", List.of("a"), List.of("b"));
    for (int i = 0; i < 200_000; i++) {
      g.nodes.add(tiny);
    }
    Path file = write("many.onnx", g.model(14));
    ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.read(file));
    assertTrue(e.getMessage().contains("past the " + ReadBudget.SLACK_BYTES + " bytes Unroll allows them"),
        e.getMessage());
  }
}
