package dev.unroll.processor.diagram;

import static dev.unroll.processor.diagram.Style.BODY;
import static dev.unroll.processor.diagram.Style.LINE;
import static dev.unroll.processor.diagram.Style.SMALL;
import static dev.unroll.processor.diagram.Style.shape;

import dev.unroll.processor.model.BidirectionalLayer;
import dev.unroll.processor.model.Layer;
import java.util.List;

/**
 * A Bidirectional layer: its forward copy reading x_0 … x_{T−1}, its backward copy (its own weights)
 * reading x_{T−1} … x_0, whose outputs are put back in input order, and the merge with its mode and
 * shapes; then one step of the wrapped layer, which both copies compute.
 */
final class BidirectionalFigure implements LayerFigure {
  private final BidirectionalLayer layer;

  BidirectionalFigure(BidirectionalLayer layer) {
    this.layer = layer;
  }

  @Override
  public double draw(Svg svg, double x, double y) {
    Layer forward = layer.forward();
    String kind = forward.kerasClass();
    String wrapped = layer.wrappedName();
    int u = layer.units();
    int t = layer.timesteps();
    boolean seq = layer.returnsSequences();
    double top = y;
    svg.comment("layer " + layer.name() + ": Bidirectional " + kind);
    svg.text(x, y + BODY, layer.name() + " (Bidirectional over " + kind + "), merge_mode = " + layer.mergeMode().kerasName()
        + ": two copies of one " + kind + ", each with its own weights", BODY + 1, "start", Style.bold());
    y += LINE + 10;

    // the two copies, one over the other, into the merge
    String[] copies = {
        "→ forward_" + wrapped + ": reads x_0, x_1, …, x_" + (t - 1) + ";  h→_t " + shape(u),
        "← backward_" + wrapped + ": reads x_" + (t - 1) + ", …, x_0 (go_backwards);  h←_t " + shape(u)};
    double copyW = Math.max(Svg.width(copies[0], SMALL), Svg.width(copies[1], SMALL)) + 20;
    double copyH = 28;
    for (int k = 0; k < 2; k++) {
      double cy = y + k * (copyH + 10);
      svg.rect(x, cy, copyW, copyH, k == 0 ? Style.GATE_FILL[0] : Style.GATE_FILL[1], k == 0 ? Style.GATE_STROKE[0]
          : Style.GATE_STROKE[1], 6);
      svg.text(x + 10, cy + 18, copies[k], SMALL, "start", Style.fill(k == 0 ? Style.GATE_STROKE[0] : Style.GATE_STROKE[1]));
    }
    double mx = x + copyW + 60;
    double mid = y + copyH + 5;
    svg.arrow(x + copyW, y + copyH / 2, mx - 1, mid - 6, "#444");
    svg.arrow(x + copyW, y + copyH + 10 + copyH / 2, mx - 1, mid + 6, "#444");
    String merge = switch (layer.mergeMode()) {
      case CONCAT -> "[h→_t, h←_t]";
      case SUM -> "h→_t + h←_t";
      case MUL -> "h→_t ⊙ h←_t";
      case AVE -> "(h→_t + h←_t) / 2";
    };
    String mergeLine = "y_t = " + merge + "  " + shape(layer.outputWidth());
    String mergeName = "merge: " + layer.mergeMode().kerasName();
    double mergeW = Math.max(Svg.width(mergeLine, SMALL), Svg.width(mergeName, SMALL)) + 20;
    svg.rect(mx, mid - 22, mergeW, 44, Style.BOX, Style.EDGE, 6);
    svg.text(mx + 10, mid - 6, mergeName, SMALL, "start", Style.bold());
    svg.text(mx + 10, mid + 12, mergeLine, SMALL);
    y += 2 * copyH + 10 + 14;

    List<String> notes = List.of(
        seq ? "return_sequences: the backward copy's outputs are reversed back, so y_t merges the two outputs for x_t"
            : "the last outputs: h→ after x_" + (t - 1) + " and h← after x_0, merged into y " + shape(layer.outputWidth()),
        "weights: forward_" + wrapped + "'s " + String.join(", ", names(forward)) + ", then backward_" + wrapped
            + "'s, the same shapes",
        "parameters: " + layer.paramFormula().replace('*', '·') + " = " + Style.count(layer.paramCount()));
    for (String note : notes) {
      svg.text(x, y + BODY, note, BODY, "start", Style.fill(Style.GREY));
      y += LINE;
    }
    y += 8;
    svg.text(x, y + BODY, "each copy computes one step as:", BODY, "start", Style.fill(Style.GREY));
    y += LINE + 8;
    y += ModelDiagram.figure(forward).draw(svg, x + 24, y);
    return y - top;
  }

  private static List<String> names(Layer layer) {
    return layer.weights().stream().map(w -> w.name() + " " + w.shapeText()).toList();
  }
}
