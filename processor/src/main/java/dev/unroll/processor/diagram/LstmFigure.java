package dev.unroll.processor.diagram;

import static dev.unroll.processor.diagram.Style.BODY;
import static dev.unroll.processor.diagram.Style.LINE;
import static dev.unroll.processor.diagram.Style.SMALL;
import static dev.unroll.processor.diagram.Style.shape;

import dev.unroll.processor.model.LstmLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of an LSTM layer: z_t = x_t·W + h_{t−1}·U + b with this layer's shapes, the Keras layout of
 * W, U and b in gate blocks i, f, c, o, one box per gate with its equation and its blocks' shapes, and
 * the state update.
 */
final class LstmFigure implements LayerFigure {
  private static final String[] GATE = {"i", "f", "c", "o"};
  private static final String[] GATE_NAME = {"input gate", "forget gate", "cell candidate", "output gate"};

  private final LstmLayer layer;

  LstmFigure(LstmLayer layer) {
    this.layer = layer;
  }

  @Override
  public double draw(Svg svg, double x, double y) {
    int u = layer.units();
    int f = layer.features();
    int g = layer.gates();
    double top = y;
    svg.comment("layer " + layer.name() + ": one step of an LSTM");
    svg.text(x, y + BODY, layer.name() + " (LSTM), " + u + (u == 1 ? " unit" : " units") + ": one step t, for each sample",
        BODY + 1, "start", Style.bold());
    y += LINE + 6;
    // the seed's question, answered for this layer
    String answer = "x_t is " + Style.values(f) + " (F = " + f + "), so each gate's kernel block is "
        + shape(f, u) + ": kernel_c " + shape(f, u) + ";  h_t is " + Style.values(u) + " (U = " + u + ")";
    svg.rect(x, y, Svg.width(answer, BODY) + 16, LINE + 6, "#fffbea", "#d69e2e", 4);
    svg.text(x + 8, y + BODY + 4, answer, BODY);
    y += LINE + 16;
    String bias = layer.useBias() ? " + b" : "";
    String shapes = "(1, " + f + ")·" + shape(f, g) + " + (1, " + u + ")·" + shape(u, g)
        + (layer.useBias() ? " + " + shape(g) : "") + " → (1, " + g + ")";
    svg.text(x, y + BODY, "z_t = x_t · W + h_{t−1} · U" + bias, BODY);
    svg.text(x + Svg.width("z_t = x_t · W + h_{t−1} · U + b", BODY) + 24, y + BODY, shapes, BODY, "start",
        Style.fill(Style.GREY));
    y += LINE + 8;

    // the gate boxes' lines, to size the columns
    List<List<String>> boxes = new ArrayList<>();
    double gateW = 0;
    for (int k = 0; k < 4; k++) {
      String range = k * u + ":" + (k + 1) * u;
      String act = Style.math(k == 2 ? layer.activation() : layer.recurrentActivation());
      List<String> lines = new ArrayList<>();
      lines.add(GATE[k] + ": " + GATE_NAME[k]);
      lines.add((k == 2 ? "c~" : GATE[k]) + " = " + act + "(z_t[" + range + "])  " + shape(u));
      lines.add("kernel_" + GATE[k] + " " + shape(f, u) + " = W[:, " + range + "]");
      lines.add("recurrent_kernel_" + GATE[k] + " " + shape(u, u));
      if (layer.useBias()) {
        lines.add("bias_" + GATE[k] + " " + shape(u) + (k == 1 && layer.unitForgetBias() ? " starts at 1" : ""));
      }
      for (String line : lines) {
        gateW = Math.max(gateW, Svg.width(line, SMALL) + 24);
      }
      boxes.add(lines);
    }
    gateW = Math.max(gateW, 200);

    // the weights as Keras stores them: the four gate blocks side by side
    svg.text(x, y + BODY, "Keras stores the gates side by side, in the order i, f, c, o: W = kernel, "
        + "U = recurrent_kernel" + (layer.useBias() ? ", b = bias" : ""), BODY, "start", Style.fill(Style.GREY));
    y += LINE + 6;
    List<String[]> bars = new ArrayList<>();
    bars.add(new String[] {"W " + shape(f, g), "W[:, "});
    bars.add(new String[] {"U " + shape(u, g), "U[:, "});
    if (layer.useBias()) {
      bars.add(new String[] {"b " + shape(g), "b["});
    }
    double labelW = Math.max(Svg.width("the gates", BODY), Svg.width("U " + shape(u, g), BODY)) + 16;
    double barX = x + labelW;
    for (String[] bar : bars) {
      svg.text(x, y + 17, bar[0], BODY);
      for (int k = 0; k < 4; k++) {
        svg.rect(barX + k * gateW, y, gateW, 24, Style.GATE_FILL[k], Style.GATE_STROKE[k], 0);
        svg.text(barX + k * gateW + gateW / 2, y + 16, GATE[k] + ": " + bar[1] + k * u + ":" + (k + 1) * u + "]",
            SMALL, "middle", Style.fill(Style.GATE_STROKE[k]));
      }
      y += 30;
    }
    y += 8;
    // one box per gate, under its blocks
    double boxH = boxes.get(0).size() * 18 + 12;
    svg.text(x, y + 17, "the gates", BODY);
    for (int k = 0; k < 4; k++) {
      double bx = barX + k * gateW + 3;
      svg.rect(bx, y, gateW - 6, boxH, Style.GATE_FILL[k], Style.GATE_STROKE[k], 6);
      List<String> lines = boxes.get(k);
      for (int i = 0; i < lines.size(); i++) {
        svg.text(bx + 8, y + 20 + 18 * i, lines.get(i), SMALL, "start",
            i == 0 ? Style.bold() + " " + Style.fill(Style.GATE_STROKE[k]) : "");
      }
    }
    y += boxH + 14;
    String act = Style.math(layer.activation());
    svg.text(x, y + BODY, "c_t = f ⊙ c_{t−1} + i ⊙ c~      h_t = o ⊙ " + act + "(c_t)      c_t, h_t: " + shape(u)
        + " each  (⊙ elementwise)", BODY);
    y += LINE;
    svg.text(x, y + BODY, "parameters: " + layer.paramFormula().replace('*', '·') + " = " + Style.count(layer.paramCount()),
        BODY, "start", Style.fill(Style.GREY));
    y += LINE;
    List<String> options = new ArrayList<>();
    options.add(layer.returnSequences() ? "returns every h_t (return_sequences)" : "returns h_{T−1}");
    if (layer.goBackwards()) {
      options.add("steps run from x_{T−1} down to x_0 (go_backwards)");
    }
    if (layer.returnState()) {
      options.add("also returns h_T and c_T (return_state)");
    }
    svg.text(x, y + BODY, String.join("; ", options), BODY, "start", Style.fill(Style.GREY));
    y += LINE;
    return y - top;
  }
}
