package dev.unroll.processor.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
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
 * overlap and nothing lies outside the picture, from 1 to 1,024 units and 1 to 1,000 timesteps.
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
