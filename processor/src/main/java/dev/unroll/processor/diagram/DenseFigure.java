package dev.unroll.processor.diagram;

import static dev.unroll.processor.diagram.Style.BODY;
import static dev.unroll.processor.diagram.Style.LINE;
import static dev.unroll.processor.diagram.Style.shape;

import dev.unroll.Activation;
import dev.unroll.processor.model.DenseLayer;

/** A Dense layer: y = activation(x·K + b) with this layer's shapes, and where it applies. */
final class DenseFigure implements LayerFigure {
  private final DenseLayer layer;

  DenseFigure(DenseLayer layer) {
    this.layer = layer;
  }

  @Override
  public double draw(Svg svg, double x, double y) {
    int in = layer.inputs();
    int u = layer.units();
    double top = y;
    svg.comment("layer " + layer.name() + ": Dense");
    svg.text(x, y + BODY, layer.name() + " (Dense), " + u + (u == 1 ? " unit" : " units")
        + (layer.perTimestep() ? ": applied to each of the " + layer.timesteps() + " timesteps" : ""),
        BODY + 1, "start", Style.bold());
    y += LINE + 6;
    String act = layer.activation() == Activation.SOFTMAX ? "softmax" : Style.math(layer.activation());
    String eq = "y = " + act + "(x · K" + (layer.useBias() ? " + b" : "") + ")";
    String shapes = "(1, " + in + ")·" + shape(in, u) + (layer.useBias() ? " + " + shape(u) : "") + " → (1, " + u + ")";
    svg.rect(x, y, Svg.width(eq, BODY) + 16, LINE + 6, Style.BOX, Style.EDGE, 4);
    svg.text(x + 8, y + BODY + 4, eq, BODY);
    svg.text(x + Svg.width(eq, BODY) + 32, y + BODY + 4, shapes, BODY, "start", Style.fill(Style.GREY));
    y += LINE + 14;
    svg.text(x, y + BODY, "kernel K " + shape(in, u) + (layer.useBias() ? ",  bias b " + shape(u) : "")
        + ";  parameters: " + layer.paramFormula().replace('*', '·') + " = " + Style.count(layer.paramCount()),
        BODY, "start", Style.fill(Style.GREY));
    y += LINE;
    return y - top;
  }
}
