package dev.unroll.processor.diagram;

import static dev.unroll.processor.diagram.Style.BODY;
import static dev.unroll.processor.diagram.Style.LINE;
import static dev.unroll.processor.diagram.Style.shape;

import dev.unroll.processor.model.BidirectionalLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.MaskingLayer;
import dev.unroll.processor.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A Masking layer: the rule that masks a step, what a masked step does to the layers that see the
 * mask (Keras's semantics), which layers those are, and its 0 parameters.
 */
final class MaskingFigure implements LayerFigure {
  private final MaskingLayer layer;
  private final ModelSpec model;

  MaskingFigure(MaskingLayer layer, ModelSpec model) {
    this.layer = layer;
    this.model = model;
  }

  /** The mask value as the annotation gives it: 0.0, -1.0, 0.5. */
  static String value(MaskingLayer layer) {
    return Double.toString(layer.maskValue());
  }

  /** The layers that see the mask, in order. */
  static List<Layer> seeing(ModelSpec model) {
    List<Layer> seeing = new ArrayList<>();
    for (Layer l : model.layers()) {
      if (model.masked(l)) {
        seeing.add(l);
      }
    }
    return seeing;
  }

  @Override
  public double draw(Svg svg, double x, double y) {
    int f = layer.features();
    double top = y;
    svg.comment("layer " + layer.name() + ": Masking");
    svg.text(x, y + BODY, layer.name() + " (Masking), mask_value = " + value(layer) + ": at each of the "
        + layer.timesteps() + " timesteps", BODY + 1, "start", Style.bold());
    y += LINE + 6;
    String eq = "masked_t = all(x_t == " + value(layer) + ")";
    String shapes = "over the " + f + (f == 1 ? " feature" : " features") + " of x_t " + shape(f)
        + ";  output = x_t, unchanged";
    svg.rect(x, y, Svg.width(eq, BODY) + 16, LINE + 6, Style.BOX, Style.EDGE, 4);
    svg.text(x + 8, y + BODY + 4, eq, BODY);
    svg.text(x + Svg.width(eq, BODY) + 32, y + BODY + 4, shapes, BODY, "start", Style.fill(Style.GREY));
    y += LINE + 14;
    boolean lstm = model.layers().stream().anyMatch(l -> l.recurrent() && stateOf(l).contains("c"));
    svg.text(x, y + BODY, "at a masked step an LSTM or GRU skips the step: it keeps h_{t−1}" + (lstm ? " (and c_{t−1})" : "")
        + " as h_t and outputs the carried h (0 before its first kept step)", BODY, "start", Style.fill(Style.GREY));
    y += LINE;
    if (model.layers().stream().anyMatch(l -> l instanceof BidirectionalLayer)) {
      svg.text(x, y + BODY, "inside a Bidirectional the output at a masked step is 0; the ← copy skips the same steps",
          BODY, "start", Style.fill(Style.GREY));
      y += LINE;
    }
    List<String> names = new ArrayList<>();
    for (Layer l : seeing(model)) {
      names.add(l.name());
    }
    Layer lastSeeing = seeing(model).isEmpty() ? null : seeing(model).get(seeing(model).size() - 1);
    String reach = "the mask reaches " + String.join(", ", names)
        + (lastSeeing != null && !lastSeeing.returnsSequences() ? "; it is dropped after " + lastSeeing.name()
            + " (last step only)" : "; the output keeps it");
    svg.text(x, y + BODY, reach + ";  backpropagation: dL/dx = 0 at masked steps", BODY, "start", Style.fill(Style.GREY));
    y += LINE;
    svg.text(x, y + BODY, "no weights;  parameters: 0", BODY, "start", Style.fill(Style.GREY));
    y += LINE;
    return y - top;
  }

  /** "h, c" for an LSTM (or a Bidirectional LSTM), "h" for a GRU. */
  static String stateOf(Layer layer) {
    Layer l = layer instanceof BidirectionalLayer b ? b.forward() : layer;
    return l.kerasClass().equals("LSTM") ? "h, c" : "h";
  }
}
