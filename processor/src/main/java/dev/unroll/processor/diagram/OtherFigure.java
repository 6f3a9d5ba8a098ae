package dev.unroll.processor.diagram;

import static dev.unroll.processor.diagram.Style.BODY;
import static dev.unroll.processor.diagram.Style.LINE;
import static dev.unroll.processor.diagram.Style.shape;

import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * A layer kind that has no figure of its own yet: its Keras class, its input and output widths, its
 * weights and parameter count, so that the picture is whole until the kind gets its own.
 */
final class OtherFigure implements LayerFigure {
  private final Layer layer;

  OtherFigure(Layer layer) {
    this.layer = layer;
  }

  @Override
  public double draw(Svg svg, double x, double y) {
    double top = y;
    svg.comment("layer " + layer.name() + ": " + layer.kerasClass());
    svg.text(x, y + BODY, layer.name() + " (" + layer.kerasClass() + ")" + (layer.returnsSequences()
        ? ": at each of the " + layer.timesteps() + " timesteps" : ""), BODY + 1, "start", Style.bold());
    y += LINE + 6;
    List<String> weights = new ArrayList<>();
    for (Weight w : layer.weights()) {
      weights.add(w.name() + " " + w.shapeText());
    }
    svg.text(x, y + BODY, "x_t " + shape(layer.inputWidth()) + " → " + shape(layer.outputWidth())
        + (weights.isEmpty() ? ";  no weights" : ";  " + String.join(", ", weights)) + ";  parameters: "
        + Style.count(layer.paramCount()), BODY, "start", Style.fill(Style.GREY));
    y += LINE;
    return y - top;
  }
}
