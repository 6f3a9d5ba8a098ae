package dev.unroll.processor.diagram;

import static dev.unroll.processor.diagram.Style.BODY;
import static dev.unroll.processor.diagram.Style.LINE;
import static dev.unroll.processor.diagram.Style.SMALL;
import static dev.unroll.processor.diagram.Style.shape;

import dev.unroll.processor.model.GruLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a GRU layer with this layer's shapes: the Keras layout of W, U and b in gate blocks z, r,
 * h; one box per gate with its equation; where the reset gate r applies (reset_after: on h_{t−1}·U_h +
 * b'_h, after the recurrent product; without: on h_{t−1}, before it); and the state update.
 */
final class GruFigure implements LayerFigure {
  private static final String[] GATE = {"z", "r", "h"};
  private static final String[] GATE_NAME = {"update gate", "reset gate", "candidate"};

  private final GruLayer layer;

  GruFigure(GruLayer layer) {
    this.layer = layer;
  }

  @Override
  public double draw(Svg svg, double x, double y) {
    int u = layer.units();
    int f = layer.features();
    int g = layer.gates();
    boolean bias = layer.useBias();
    boolean after = layer.resetAfter();
    double top = y;
    svg.comment("layer " + layer.name() + ": one step of a GRU");
    svg.text(x, y + BODY, layer.name() + " (GRU), " + u + (u == 1 ? " unit" : " units") + ": one step t, for each sample",
        BODY + 1, "start", Style.bold());
    y += LINE + 6;
    String answer = "x_t is " + Style.values(f) + " (F = " + f + "), so each gate's kernel block is "
        + shape(f, u) + ": kernel_h " + shape(f, u) + ";  h_t is " + Style.values(u) + " (U = " + u + ")";
    svg.rect(x, y, Svg.width(answer, BODY) + 16, LINE + 6, "#fffbea", "#d69e2e", 4);
    svg.text(x + 8, y + BODY + 4, answer, BODY);
    y += LINE + 16;
    // the two products, each over the three gate blocks
    String[][] products = after
        ? new String[][] {
            {"a_t = x_t · W" + (bias ? " + b[0]" : ""), "(1, " + f + ")·" + shape(f, g) + (bias ? " + " + shape(g) : "") + " → (1, " + g + ")"},
            {"g_t = h_{t−1} · U" + (bias ? " + b[1]" : ""), "(1, " + u + ")·" + shape(u, g) + (bias ? " + " + shape(g) : "") + " → (1, " + g + ")"}}
        : new String[][] {
            {"a_t = x_t · W" + (bias ? " + b" : ""), "(1, " + f + ")·" + shape(f, g) + (bias ? " + " + shape(g) : "") + " → (1, " + g + ")"},
            {"g_t = h_{t−1} · U[:, 0:" + 2 * u + "]", "(1, " + u + ")·" + shape(u, 2 * u) + " → (1, " + 2 * u + "), z and r only"}};
    double eqW = Math.max(Svg.width(products[0][0], BODY), Svg.width(products[1][0], BODY)) + 24;
    for (String[] p : products) {
      svg.text(x, y + BODY, p[0], BODY);
      svg.text(x + eqW, y + BODY, p[1], BODY, "start", Style.fill(Style.GREY));
      y += LINE;
    }
    y += 8;

    List<List<String>> boxes = new ArrayList<>();
    double gateW = 0;
    String rec = Style.math(layer.recurrentActivation());
    String act = Style.math(layer.activation());
    for (int k = 0; k < 3; k++) {
      String range = k * u + ":" + (k + 1) * u;
      List<String> lines = new ArrayList<>();
      lines.add(GATE[k] + ": " + GATE_NAME[k]);
      if (k < 2) {
        lines.add(GATE[k] + " = " + rec + "(a_t[" + range + "] + g_t[" + range + "])  " + shape(u));
      } else if (after) {
        lines.add("h~ = " + act + "(a_t[" + range + "] + r ⊙ g_t[" + range + "])  " + shape(u));
      } else {
        lines.add("h~ = " + act + "(a_t[" + range + "] + (r ⊙ h_{t−1}) · U[:, " + range + "])  " + shape(u));
      }
      lines.add("kernel_" + GATE[k] + " " + shape(f, u) + " = W[:, " + range + "]");
      lines.add("recurrent_kernel_" + GATE[k] + " " + shape(u, u) + " = U[:, " + range + "]");
      if (bias) {
        lines.add(after ? "bias_" + GATE[k] + " b[0, " + range + "], b[1, " + range + "]" : "bias_" + GATE[k] + " " + shape(u)
            + " = b[" + range + "]");
      }
      for (String line : lines) {
        gateW = Math.max(gateW, Svg.width(line, SMALL) + 24);
      }
      boxes.add(lines);
    }
    gateW = Math.max(gateW, 200);

    svg.text(x, y + BODY, "Keras stores the gates side by side, in the order z, r, h: W = kernel, U = recurrent_kernel"
        + (bias ? ", b = bias" + (after ? " (2, " + g + "): row 0 for x_t, row 1 for h_{t−1}" : "") : ""),
        BODY, "start", Style.fill(Style.GREY));
    y += LINE + 6;
    List<String[]> bars = new ArrayList<>();
    bars.add(new String[] {"W " + shape(f, g), "W[:, "});
    bars.add(new String[] {"U " + shape(u, g), "U[:, "});
    if (bias && after) {
      bars.add(new String[] {"b[0] " + shape(g), "b[0, "});
      bars.add(new String[] {"b[1] " + shape(g), "b[1, "});
    } else if (bias) {
      bars.add(new String[] {"b " + shape(g), "b["});
    }
    double labelW = Svg.width("the gates", BODY);
    for (String[] bar : bars) {
      labelW = Math.max(labelW, Svg.width(bar[0], BODY));
    }
    labelW += 16;
    double barX = x + labelW;
    for (String[] bar : bars) {
      svg.text(x, y + 17, bar[0], BODY);
      for (int k = 0; k < 3; k++) {
        svg.rect(barX + k * gateW, y, gateW, 24, Style.GATE_FILL[k], Style.GATE_STROKE[k], 0);
        svg.text(barX + k * gateW + gateW / 2, y + 16, GATE[k] + ": " + bar[1] + k * u + ":" + (k + 1) * u + "]",
            SMALL, "middle", Style.fill(Style.GATE_STROKE[k]));
      }
      y += 30;
    }
    y += 8;
    double boxH = boxes.get(0).size() * 18 + 12;
    svg.text(x, y + 17, "the gates", BODY);
    for (int k = 0; k < 3; k++) {
      double bx = barX + k * gateW + 3;
      svg.rect(bx, y, gateW - 6, boxH, Style.GATE_FILL[k], Style.GATE_STROKE[k], 6);
      List<String> lines = boxes.get(k);
      for (int i = 0; i < lines.size(); i++) {
        svg.text(bx + 8, y + 20 + 18 * i, lines.get(i), SMALL, "start",
            i == 0 ? Style.bold() + " " + Style.fill(Style.GATE_STROKE[k]) : "");
      }
    }
    y += boxH + 14;
    svg.text(x, y + BODY, "h_t = z ⊙ h_{t−1} + (1 − z) ⊙ h~      h_t: " + shape(u) + "  (⊙ elementwise)", BODY);
    y += LINE;
    svg.text(x, y + BODY, after
        ? "reset_after = True (the TF2 and Keras 3 default, as cuDNN and PyTorch): r scales h_{t−1}·U_h + b[1], after the product"
        : "reset_after = False (Keras 1): r scales h_{t−1} before its product with U_h, so that product waits for r",
        BODY, "start", Style.fill(Style.GREY));
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
      options.add("also returns h_T (return_state)");
    }
    svg.text(x, y + BODY, String.join("; ", options), BODY, "start", Style.fill(Style.GREY));
    y += LINE;
    return y - top;
  }
}
