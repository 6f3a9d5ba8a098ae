package dev.unroll.processor.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import dev.unroll.processor.model.BidirectionalLayer;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.GruLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.MaskingLayer;
import dev.unroll.processor.model.ModelSpec;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The picture of a model, from its spec alone: well-formed SVG, the seed's question answered, the
 * shapes and counts of every layer, an ellipsis for long sequences, and a layout in which no two texts
 * overlap and nothing lies outside the picture, from 1 to 1,024 units and 1 to 1,000 timesteps, for
 * LSTM, GRU (reset_after true and false), Bidirectional over either in every merge mode, and Dense
 * layers before, between and after the recurrent ones.
 */
public class ModelDiagramTest {

  public static LstmLayer lstm(String name, int units, int timesteps, int features, boolean returnSequences) {
    return new LstmLayer(name, units, timesteps, features, Activation.TANH, Activation.SIGMOID, true, true,
        returnSequences, false, false);
  }

  static ModelSpec one(int units, int timesteps, int features) {
    return ModelSpec.of("p", "M", List.<Layer>of(lstm("lstm", units, timesteps, features, false)), false);
  }

  static ModelSpec forecaster() {
    return ModelSpec.of("p", "Forecaster", List.of(lstm("lstm", 32, 24, 3, true), lstm("lstm_1", 16, 24, 32, false),
        new DenseLayer("dense", 8, 16, 0, Activation.RELU, true), new DenseLayer("dense_1", 1, 8, 0, Activation.LINEAR, true)),
        false);
  }

  public static GruLayer gru(String name, int units, int timesteps, int features, boolean resetAfter, boolean sequences) {
    return new GruLayer(name, units, timesteps, features, Activation.TANH, Activation.SIGMOID, true, resetAfter, sequences,
        false, false);
  }

  /** The member-form models of the golden layer cases, and others of every kind and merge mode. */
  static List<ModelSpec> layerKinds() {
    List<ModelSpec> models = new ArrayList<>();
    models.add(ModelSpec.of("p", "GruAfter", List.of(gru("gru", 5, 6, 3, true, false),
        new DenseLayer("dense", 2, 5, 0, Activation.LINEAR, true)), false));
    models.add(ModelSpec.of("p", "GruBefore", List.<Layer>of(gru("gru", 4, 5, 2, false, true)), false));
    models.add(ModelSpec.of("p", "GruOptions", List.<Layer>of(new GruLayer("gru", 1, 1000, 1, Activation.RELU,
        Activation.HARD_SIGMOID, false, false, true, true, true)), true));
    models.add(ModelSpec.of("p", "BiConcat", List.of(
        new BidirectionalLayer("bidirectional", lstm("bidirectional_forward", 4, 6, 3, true), MergeMode.CONCAT),
        new DenseLayer("dense", 1, 8, 6, Activation.LINEAR, true)), false));
    models.add(ModelSpec.of("p", "BiSum", List.<Layer>of(
        new BidirectionalLayer("bidirectional", lstm("bidirectional_forward", 3, 5, 2, false), MergeMode.SUM)), false));
    models.add(ModelSpec.of("p", "BiMulGru", List.of(
        new BidirectionalLayer("bi", gru("bi_forward", 3, 5, 3, true, true), MergeMode.MUL),
        lstm("lstm", 2, 5, 3, false)), false));
    models.add(ModelSpec.of("p", "BiAveGru", List.of(
        new BidirectionalLayer("bi", gru("bi_forward", 128, 1000, 64, false, false), MergeMode.AVE),
        new DenseLayer("dense", 2, 128, 0, Activation.TANH, true)), false));
    models.add(ModelSpec.of("p", "DenseFirst", List.of(new DenseLayer("dense", 4, 2, 5, Activation.TANH, true),
        lstm("lstm", 3, 5, 4, false), new DenseLayer("dense_1", 1, 3, 0, Activation.LINEAR, true)), false));
    models.add(ModelSpec.of("p", "DenseBetween", List.of(new DenseLayer("dense", 5, 3, 6, Activation.RELU, true),
        lstm("lstm", 4, 6, 5, true), new DenseLayer("dense_1", 3, 4, 6, Activation.SIGMOID, true),
        new BidirectionalLayer("bi", gru("bi_forward", 2, 6, 3, true, false), MergeMode.CONCAT)), false));
    models.addAll(maskedModels());
    return models;
  }

  /** Models with a Masking layer: before an LSTM and a Dense, a Bidirectional GRU, long sequences, one step. */
  static List<ModelSpec> maskedModels() {
    List<ModelSpec> models = new ArrayList<>();
    models.add(ModelSpec.of("p", "MaskedLstm", List.of(new MaskingLayer("masking", 6, 3, 0.0),
        lstm("lstm", 4, 6, 3, true), new DenseLayer("dense", 2, 4, 6, Activation.LINEAR, true)), false));
    models.add(ModelSpec.of("p", "MaskedBi", List.of(new MaskingLayer("masking", 5, 2, -1.0),
        new BidirectionalLayer("bi", gru("bi_forward", 3, 5, 2, true, true), MergeMode.SUM),
        lstm("lstm", 3, 5, 3, false)), false));
    models.add(ModelSpec.of("p", "MaskedLong", List.of(new MaskingLayer("masking", 1000, 64, 0.5),
        new DenseLayer("dense", 16, 64, 1000, Activation.TANH, true),
        new BidirectionalLayer("bidirectional", lstm("bidirectional_forward", 128, 1000, 16, true), MergeMode.CONCAT)),
        true));
    models.add(ModelSpec.of("p", "MaskedOne", List.of(new MaskingLayer("masking", 1, 1, 0.0),
        gru("gru", 1, 1, 1, false, true)), false));
    models.add(ModelSpec.of("p", "MaskedBackwards", List.of(new MaskingLayer("masking", 3, 2, 0.0),
        new DenseLayer("dense", 4, 2, 3, Activation.TANH, true), new LstmLayer("lstm", 3, 3, 4, Activation.TANH,
            Activation.SIGMOID, true, true, true, false, true)), false));
    return models;
  }

  static Stream<ModelSpec> range() {
    List<ModelSpec> models = new ArrayList<>();
    for (int units : new int[] {1, 2, 32, 128}) {
      for (int timesteps : new int[] {1, 24, 1000}) {
        models.add(one(units, timesteps, 3));
      }
    }
    models.add(forecaster());
    models.add(ModelSpec.of("p", "Wide", List.of(lstm("lstm", 1024, 1000, 1000, true),
        new DenseLayer("dense", 10, 1024, 1000, Activation.SOFTMAX, true)), true));
    models.add(ModelSpec.of("p", "Options", List.<Layer>of(new LstmLayer("lstm", 3, 6, 2, Activation.RELU,
        Activation.HARD_SIGMOID, false, false, true, true, true)), false));
    models.addAll(layerKinds());
    return models.stream();
  }

  /** The texts of the picture, in document order. */
  static List<String> texts(Document svg) {
    List<String> texts = new ArrayList<>();
    NodeList nodes = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }

  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
  }

  @Test
  void theSeedsAnswerTheirQuestionAtAGlance() throws Exception {
    List<String> two = texts(parse(ModelDiagram.svg(ModelSpec.of("dev.unroll.examples", "TwoFeatures",
        List.<Layer>of(lstm("lstm", 1, 1, 2, false)), false))));
    assertTrue(two.contains("x_0 (2,)"), two::toString);
    assertTrue(two.contains("a vector of 2 values"), two::toString);
    assertTrue(two.contains("x_t is a vector of 2 values (F = 2), so each gate's kernel block is (2, 1): kernel_c (2, 1);"
        + "  h_t is one value (U = 1)"), two::toString);
    assertTrue(two.contains("kernel_c (2, 1) = W[:, 2:3]"), two::toString);
    assertTrue(two.contains("16 params"), two::toString);

    List<String> one = texts(parse(ModelDiagram.svg(ModelSpec.of("dev.unroll.examples", "OneFeature",
        List.<Layer>of(lstm("lstm", 1, 1, 1, false)), false))));
    assertTrue(one.contains("x_0 (1,)"), one::toString);
    assertTrue(one.contains("one value"), one::toString);
    assertTrue(one.contains("kernel_c (1, 1) = W[:, 2:3]"), one::toString);
    assertTrue(one.contains("12 params"), one::toString);
  }

  @Test
  void theStackWithKerasShapesAndCounts() throws Exception {
    String svg = ModelDiagram.svg(forecaster());
    List<String> texts = texts(parse(svg));
    // as Keras's model.summary() of the same Sequential
    for (String s : List.of("(None, 24, 3)", "(None, 24, 32)", "4,608 params", "(None, 16)", "3,136 params",
        "(None, 8)", "136 params", "(None, 1)", "9 params",
        "kernel (3, 128), recurrent_kernel (32, 128), bias (128,)", "kernel (16, 8), bias (8,)")) {
      assertTrue(texts.contains(s), () -> s + " in " + texts);
    }
    assertTrue(texts.contains("Total params: 7,889   Trainable params: 7,889   Non-trainable params: 0"), texts::toString);
    // the equations with this layer's shapes
    assertTrue(texts.contains("(1, 3)·(3, 128) + (1, 32)·(32, 128) + (128,) → (1, 128)"), texts::toString);
    assertTrue(texts.contains("c: W[:, 64:96]"), texts::toString);
    assertTrue(texts.contains("c~ = tanh(z_t[64:96])  (32,)"), texts::toString);
    assertTrue(texts.contains("y = relu(x · K + b)"), texts::toString);
    assertTrue(texts.contains("h_0 (32,)"), "what flows from lstm into lstm_1: " + texts);
  }

  static ModelSpec kind(String name) {
    return layerKinds().stream().filter(m -> m.simpleNames().get(0).equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aGruStepWithItsGatesAndWhereTheResetGateActs() throws Exception {
    List<String> after = texts(parse(ModelDiagram.svg(kind("GruAfter"))));
    // Keras: GRU(5, reset_after=True) over 3 features, then Dense(2)
    for (String s : List.of("(None, 6, 3)", "(None, 5)", "150 params", "(None, 2)", "12 params",
        "kernel (3, 15), recurrent_kernel (5, 15), bias (2, 15)", "gru (GRU)", "h_5 (5,)",
        "z: update gate", "r: reset gate", "h: candidate", "z: W[:, 0:5]", "r: b[1, 5:10]",
        "h~ = tanh(a_t[10:15] + r ⊙ g_t[10:15])  (5,)", "kernel_h (3, 5) = W[:, 10:15]",
        "parameters: 3·(F·U + U·U + 2·U) = 3·(3·5 + 5·5 + 2·5) = 150",
        "Total params: 162   Trainable params: 162   Non-trainable params: 0")) {
      assertTrue(after.contains(s), () -> s + " in " + after);
    }
    assertTrue(after.stream().anyMatch(t -> t.startsWith("reset_after = True") && t.contains("after the product")),
        after::toString);
    List<String> before = texts(parse(ModelDiagram.svg(kind("GruBefore"))));
    for (String s : List.of("(None, 5, 4)", "84 params", "kernel (2, 12), recurrent_kernel (4, 12), bias (12,)",
        "h~ = tanh(a_t[8:12] + (r ⊙ h_{t−1}) · U[:, 8:12])  (4,)", "g_t = h_{t−1} · U[:, 0:8]", "h_0 (4,)", "h_4 (4,)")) {
      assertTrue(before.contains(s), () -> s + " in " + before);
    }
    assertTrue(before.stream().anyMatch(t -> t.startsWith("reset_after = False") && t.contains("before its product")),
        before::toString);
    assertTrue(before.contains("h = 0") && !before.contains("h, c = 0"), "a GRU carries h only: " + before);
  }

  @Test
  void aBidirectionalLayerWithBothCopiesAndItsMerge() throws Exception {
    List<String> concat = texts(parse(ModelDiagram.svg(kind("BiConcat"))));
    // Keras: Bidirectional(LSTM(4, return_sequences=True)) over 3 features, then Dense(1) per step
    for (String s : List.of("(None, 6, 8)", "256 params", "(None, 6, 1)", "9 params", "bidirectional (Bidirectional)",
        "forward_lstm, backward_lstm: kernel (3, 16), recurrent_kernel (4, 16), bias (16,) each",
        "merge: concat", "y_t = [h→_t, h←_t]  (8,)", "→ step 0", "← step 5", "← step 0", "y_0 (8,)", "y_5 (8,)",
        "parameters: 2·4·(F·U + U·U + U) = 2·4·(3·4 + 4·4 + 4) = 256",
        "Total params: 265   Trainable params: 265   Non-trainable params: 0")) {
      assertTrue(concat.contains(s), () -> s + " in " + concat);
    }
    // the backward copy's state flows to the left, from its own zero state at the right
    assertEquals(2, concat.stream().filter("h, c = 0"::equals).count(), concat::toString);
    assertTrue(concat.stream().anyMatch(t -> t.startsWith("← backward_lstm: reads x_5, …, x_0 (go_backwards)")), concat::toString);
    assertTrue(concat.stream().anyMatch(t -> t.startsWith("return_sequences: the backward copy's outputs are reversed back")),
        concat::toString);
    // each copy's step: the LSTM's gates with this layer's shapes
    assertTrue(concat.contains("kernel_c (3, 4) = W[:, 8:12]"), concat::toString);
    for (String[] mode : new String[][] {{"BiSum", "y_t = h→_t + h←_t  (3,)", "(None, 3)", "144 params"},
        {"BiMulGru", "y_t = h→_t ⊙ h←_t  (3,)", "(None, 5, 3)", "144 params"},
        {"BiAveGru", "y_t = (h→_t + h←_t) / 2  (128,)", "(None, 128)", "148,224 params"}}) {
      List<String> texts = texts(parse(ModelDiagram.svg(kind(mode[0]))));
      for (int i = 1; i < mode.length; i++) {
        String s = mode[i];
        assertTrue(texts.contains(s), () -> mode[0] + ": " + s + " in " + texts);
      }
    }
  }

  @Test
  void denseLayersBeforeTheRecurrentOnesApplyAtEachStep() throws Exception {
    List<String> texts = texts(parse(ModelDiagram.svg(kind("DenseFirst"))));
    // Keras: Dense(4, tanh) per step, LSTM(3), Dense(1) over (5, 2)
    for (String s : List.of("(None, 5, 2)", "dense (Dense)", "(None, 5, 4)", "12 params", "lstm (LSTM)", "(None, 3)",
        "96 params", "dense_1 (Dense)", "(None, 1)", "4 params", "y_0 (4,)", "at step 0", "x_0 (2,)",
        "dense (Dense), 4 units: applied to each of the 5 timesteps", "y = tanh(x · K + b)",
        "Total params: 112   Trainable params: 112   Non-trainable params: 0")) {
      assertTrue(texts.contains(s), () -> s + " in " + texts);
    }
    assertTrue(texts.stream().anyMatch(t -> t.startsWith("returns h_4 only, into dense_1")), texts::toString);
    // a Dense row has no state: only the LSTM's zero state is drawn
    assertEquals(1, texts.stream().filter(t -> t.endsWith("= 0")).count(), texts::toString);
  }

  @Test
  void aMaskingLayerShowsAMaskedStepSkippedWithItsStateCarried() throws Exception {
    String svg = ModelDiagram.svg(maskedModels().get(0));
    List<String> texts = texts(parse(svg));
    // part 1: the Masking row, step 1 masked, the LSTM skipping it, its output the carried h
    for (String s : List.of("masking (Masking)", "step 0: kept", "step 1: masked", "all 0.0: masked",
        "skipped: h, c kept", "h_1 = h_0 (4,)",
        "masked_t = all(x_t == 0.0) over the 3 features; output = x_t; 0 parameters",
        // part 2: the rule, what a masked step does, where the mask goes, no weights
        "masking (Masking), mask_value = 0.0: at each of the 6 timesteps", "masked_t = all(x_t == 0.0)",
        "no weights;  parameters: 0", "(None, 6, 3)")) {
      assertTrue(texts.contains(s), () -> s + " in " + texts);
    }
    assertTrue(texts.stream().anyMatch(t -> t.startsWith("the mask reaches lstm, dense; the output keeps it")),
        texts::toString);
    assertTrue(svg.contains("stroke-dasharray=\"5 3\""), "the skipped step drawn dashed");
    // inside a Bidirectional the output at a masked step is 0, and the mask stops after the last-step LSTM
    List<String> bi = texts(parse(ModelDiagram.svg(maskedModels().get(1))));
    for (String s : List.of("→ skipped, y = 0", "← skipped, y = 0", "all -1.0: masked", "skipped: h, c kept")) {
      assertTrue(bi.contains(s), () -> s + " in " + bi);
    }
    assertTrue(bi.stream().anyMatch(t -> t.startsWith("the mask reaches bi, lstm; it is dropped after lstm (last step only)")),
        bi::toString);
    assertTrue(bi.stream().anyMatch(t -> t.startsWith("inside a Bidirectional the output at a masked step is 0")),
        bi::toString);
  }

  @Test
  void underABackwardsLayerTheMaskingAndDenseRowsNameTheInputStepsTheyRead() throws Exception {
    // go_backwards: column s reads x_{T-1-s}; the Masking and Dense rows under it work on that input step
    List<String> texts = texts(parse(ModelDiagram.svg(maskedModels().get(4))));
    assertEquals(List.of("x_2 (2,)", "x_1 (2,)", "x_0 (2,)"), texts.stream().filter(t -> t.matches("x_[0-9]+ \\(.*")).distinct().toList());
    for (String s : List.of("step 2: kept", "step 1: masked", "step 0: kept", "at step 2", "at step 0", "y_2 (4,)",
        "skipped: h, c kept", "h_1 = h_0 (3,)")) {
      assertTrue(texts.contains(s), () -> s + " in " + texts);
    }
  }

  @Test
  void longSequencesShowAnEllipsis() throws Exception {
    List<String> texts = texts(parse(ModelDiagram.svg(one(128, 1000, 3))));
    assertTrue(texts.contains("…") && texts.contains("997 more steps"), texts::toString);
    assertEquals(List.of("x_0 (3,)", "x_1 (3,)", "x_999 (3,)"), texts.stream().filter(t -> t.matches("x_[0-9]+ .*")).toList());
    assertTrue(texts.contains("h_999 (128,)"), texts::toString);
    assertFalse(texts.contains("h_0 (128,)"), "without returnSequences only the last h is an output: " + texts);
    List<String> four = texts(parse(ModelDiagram.svg(one(2, 4, 3))));
    assertFalse(four.contains("…"), four::toString);
    assertEquals(4, four.stream().filter(t -> t.matches("x_[0-9]+ .*")).count(), four::toString);
  }

  @ParameterizedTest
  @MethodSource("range")
  void noTextOverlapsAnotherOrLeavesThePicture(ModelSpec model) throws Exception {
    Document svg = parse(ModelDiagram.svg(model));
    Element root = svg.getDocumentElement();
    assertEquals("svg", root.getLocalName());
    double width = Double.parseDouble(root.getAttribute("width"));
    double height = Double.parseDouble(root.getAttribute("height"));
    NodeList nodes = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    List<double[]> boxes = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      Element e = (Element) nodes.item(i);
      double x = Double.parseDouble(e.getAttribute("x"));
      double y = Double.parseDouble(e.getAttribute("y"));
      double size = Double.parseDouble(e.getAttribute("font-size"));
      assertTrue(size >= 12, "text no smaller than 12 px: " + e.getTextContent());
      double w = Svg.width(e.getTextContent(), size);
      String anchor = e.getAttribute("text-anchor");
      double left = "middle".equals(anchor) ? x - w / 2 : "end".equals(anchor) ? x - w : x;
      double[] box = {left, y - 0.75 * size, left + w, y + 0.2 * size};
      assertTrue(box[0] >= 0 && box[1] >= 0 && box[2] <= width && box[3] <= height,
          () -> "outside the " + width + " x " + height + " picture: " + e.getTextContent());
      for (int j = 0; j < boxes.size(); j++) {
        double[] o = boxes.get(j);
        boolean overlap = box[0] < o[2] - 1 && o[0] < box[2] - 1 && box[1] < o[3] - 1 && o[1] < box[3] - 1;
        String other = texts.get(j);
        assertFalse(overlap, () -> "'" + e.getTextContent() + "' overlaps '" + other + "'");
      }
      boxes.add(box);
      texts.add(e.getTextContent());
    }
  }
}
