package dev.unroll.processor.diagram;

/**
 * The drawing of what one step of a layer computes, with the layer's own shapes: each layer kind has
 * one ({@link LstmFigure}, {@link GruFigure}, {@link BidirectionalFigure}, {@link DenseFigure}); a new
 * kind adds its own and one line in {@link ModelDiagram#figure}, and until then gets {@link OtherFigure}.
 * ({@link MaskingFigure} also takes the model: it names the layers that see the mask.)
 */
interface LayerFigure {
  /**
   * Draws the figure with its top left corner at (x, y).
   *
   * @return the height it took
   */
  double draw(Svg svg, double x, double y);
}
