package dev.unroll.processor.diagram;

import static dev.unroll.processor.diagram.Style.BODY;
import static dev.unroll.processor.diagram.Style.HEADING;
import static dev.unroll.processor.diagram.Style.LINE;
import static dev.unroll.processor.diagram.Style.SMALL;
import static dev.unroll.processor.diagram.Style.shape;

import dev.unroll.processor.model.BidirectionalLayer;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.GruLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.MaskingLayer;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * A picture of a model, as SVG, from its {@link ModelSpec} alone (no javac types, no dependency): what
 * the processor writes beside each generated class as {@code Unrolled<Type>.svg}, and what tools can
 * call with a model spec of their own.
 *
 * <p>Three parts: (1) the layers that run over time unrolled, x_t → cell → h_t for t = 0…T−1, with an
 * ellipsis when the sequence is longer than four steps (a Bidirectional layer's forward copy carries
 * its state to the right, its backward copy to the left; a Dense layer before the last recurrent one
 * applies at each step); (2) one step of each layer with its equations and this model's shapes (for an
 * LSTM: z_t = x_t·W + h_{t−1}·U + b, W (F, 4U), U (U, 4U), b (4U) in gate blocks, each gate's (F, U)
 * block; for a GRU the gates z, r, h and where reset_after puts r; for a Bidirectional layer its two
 * copies and the merge); (3) the stack with Keras's output shapes and parameter counts.
 *
 * <p>A model with a Masking layer shows it as the first row of part 1, with step 1 (step 0 when there
 * is only one) drawn as an example of a masked step: its x_t all equal to the mask value, the
 * recurrent cells over it skipped while their state is carried across, and its output the carried h
 * (0 inside a Bidirectional). Part 2 states the rule and which layers see the mask.
 */
public final class ModelDiagram {
  private static final double MARGIN = 24;
  /** The fill of a masked step's boxes, and the ink of what is said about it. */
  static final String MASKED_FILL = "#fbfbfb";
  static final String MASKED_INK = "#b7791f";
  /** The most timesteps drawn one by one; longer sequences show t = 0, 1, …, T−1. */
  static final int MAX_DRAWN_STEPS = 4;

  private ModelDiagram() {}

  /** The picture of {@code model}, an SVG document. */
  public static String svg(ModelSpec model) {
    Svg svg = new Svg();
    int steps = model.timesteps();
    int features = model.features();
    String self = model.generatedSimpleName();
    double x = MARGIN;
    double y = MARGIN;
    svg.text(x, y + Style.TITLE, self + ": a picture of " + model.sourceName(), Style.TITLE, "start", Style.bold());
    y += Style.TITLE + 14;
    svg.text(x, y + BODY, "input (batch, " + steps + ", " + features + "): sequences of "
        + Style.count(steps) + (steps == 1 ? " timestep" : " timesteps") + ", each x_t " + Style.values(features)
        + ";  " + Style.count(model.paramCount()) + " parameters;  computes in " + (model.float32() ? "float32" : "float64"),
        BODY);
    y += LINE + 20;

    svg.text(x, y + HEADING, "1. Unrolled over time: the same weights at every step", HEADING, "start", Style.bold());
    y += HEADING + 16;
    y = unrolled(svg, model, x, y) + 24;

    svg.text(x, y + HEADING, "2. One step of each layer, with this model's shapes (Keras layout)", HEADING, "start", Style.bold());
    y += HEADING + 16;
    for (Layer layer : model.layers()) {
      LayerFigure figure = layer instanceof MaskingLayer masking ? new MaskingFigure(masking, model) : figure(layer);
      y += figure.draw(svg, x, y) + 18;
    }
    y += 6;

    svg.text(x, y + HEADING, "3. The stack: output shapes and parameter counts, as Keras's model.summary()", HEADING,
        "start", Style.bold());
    y += HEADING + 16;
    stack(svg, model, x, y);
    return svg.document(self + ": " + model.sourceName() + ", " + Style.count(model.paramCount()) + " parameters", MARGIN);
  }

  /** The one place that maps a layer kind to its drawing; a kind without its own gets the generic one. */
  static LayerFigure figure(Layer layer) {
    if (layer instanceof LstmLayer lstm) {
      return new LstmFigure(lstm);
    }
    if (layer instanceof GruLayer gru) {
      return new GruFigure(gru);
    }
    if (layer instanceof BidirectionalLayer bidirectional) {
      return new BidirectionalFigure(bidirectional);
    }
    if (layer instanceof DenseLayer dense) {
      return new DenseFigure(dense);
    }
    return new OtherFigure(layer);
  }

  /** The timesteps drawn, in the order they are computed; -1 stands for the ellipsis. */
  static List<Integer> drawnSteps(int timesteps) {
    List<Integer> steps = new ArrayList<>();
    if (timesteps <= MAX_DRAWN_STEPS) {
      for (int t = 0; t < timesteps; t++) {
        steps.add(t);
      }
    } else {
      steps.add(0);
      steps.add(1);
      steps.add(-1);
      steps.add(timesteps - 1);
    }
    return steps;
  }

  /**
   * The layers drawn as rows in part 1: every layer up to the last recurrent one (those see the time
   * axis); the layers after it are named in a note.
   */
  static List<Layer> rowLayers(ModelSpec model) {
    int last = -1;
    for (int i = 0; i < model.layers().size(); i++) {
      if (model.layers().get(i).recurrent()) {
        last = i;
      }
    }
    return model.layers().subList(0, last < 0 ? model.layers().size() : last + 1);
  }

  /** What a row of part 1 shows: a layer, the state its cells pass on, its label and notes. */
  private record Row(Layer layer, String kind, String state, boolean bidirectional, String out, List<String> notes) {
    static Row of(Layer layer) {
      if (layer instanceof BidirectionalLayer b) {
        Layer f = b.forward();
        String state = f instanceof LstmLayer ? "h, c" : "h";
        return new Row(layer, "Bidirectional " + f.kerasClass(), state, true, "y_",
            List.of("→ and ←: " + Style.count(b.units()) + (b.units() == 1 ? " unit" : " units") + " each, "
                    + "their own weights; merge " + b.mergeMode().kerasName() + " → " + shape(b.outputWidth()),
                "each: " + weightsText(f) + " at every step; ← reads from x_" + (f.timesteps() - 1)));
      }
      if (layer instanceof LstmLayer l) {
        return new Row(layer, "LSTM", "h, c", false, "h_",
            List.of(l.units() + (l.units() == 1 ? " unit" : " units") + ": h_t, c_t " + shape(l.units()),
                weightsText(l) + " at every step"));
      }
      if (layer instanceof GruLayer g) {
        return new Row(layer, "GRU", "h", false, "h_",
            List.of(g.units() + (g.units() == 1 ? " unit" : " units") + ": h_t " + shape(g.units()),
                weightsText(g) + " at every step"));
      }
      if (layer instanceof MaskingLayer m) {
        return new Row(layer, "Masking", null, false, "x_",
            List.of("masked_t = all(x_t == " + MaskingFigure.value(m) + ") over the " + m.features()
                    + (m.features() == 1 ? " feature" : " features") + "; output = x_t; 0 parameters",
                "a masked step is skipped by the layers above: their state is carried across (dashed)"));
      }
      if (layer instanceof DenseLayer d) {
        return new Row(layer, "Dense", null, false, "y_",
            List.of(d.units() + (d.units() == 1 ? " unit" : " units") + ": y_t = "
                    + Style.math(d.activation()) + "(x_t · K" + (d.useBias() ? " + b" : "") + ") " + shape(d.units()),
                "K " + shape(d.inputs(), d.units()) + (d.useBias() ? ", b " + shape(d.units()) : "")
                    + " at every step, no state"));
      }
      return new Row(layer, layer.kerasClass(), layer.recurrent() ? "state" : null, false, "y_",
          List.of(layer.kerasClass() + " → " + shape(layer.outputWidth()) + " at every step", ""));
    }

    double height() {
      return bidirectional ? 62 : 44;
    }

    String label() {
      return layer.name() + " (" + kind + ")";
    }
  }

  /** "W (F, 4U), U (U, 4U), b (4U,)" with this layer's numbers. */
  private static String weightsText(Layer layer) {
    List<String> parts = new ArrayList<>();
    for (Weight w : layer.weights()) {
      parts.add(w.symbol() + " " + w.shapeText());
    }
    return String.join(", ", parts);
  }

  /**
   * Part 1: a row of cells per layer that runs over time (the first at the bottom), the inputs under
   * them, the outputs over them.
   */
  private static double unrolled(Svg svg, ModelSpec model, double x0, double y0) {
    List<Row> rows = new ArrayList<>();
    for (Layer l : rowLayers(model)) {
      rows.add(Row.of(l));
    }
    Row lastRow = rows.get(rows.size() - 1);
    Layer last = lastRow.layer();
    int t = model.timesteps();
    int features = model.features();
    // the layers under the first recurrent one (Masking, Dense) work on the input's steps, in input order;
    // the first recurrent one reads them from the last when it goes backwards
    int firstRecurrent = 0;
    while (firstRecurrent < rows.size() && !rows.get(firstRecurrent).layer().recurrent()) {
      firstRecurrent++;
    }
    boolean readsBackwards = firstRecurrent < rows.size() && rows.get(firstRecurrent).layer().goBackwards();
    List<Integer> steps = drawnSteps(t);
    boolean anyBidirectional = rows.stream().anyMatch(Row::bidirectional);
    // with a Masking layer, the column of step 1 (or the only step) shows a masked step
    MaskingLayer masking = model.masking();
    int maskedColumn = masking == null ? -1 : Math.min(1, steps.size() - 1);
    double colW = 150;
    for (Row r : rows) {
      colW = Math.max(colW, Svg.width(r.out() + (t - 1) + " " + shape(r.layer().outputWidth()), SMALL) + 24);
      colW = Math.max(colW, Svg.width(r.label(), SMALL) + 24);
      colW = Math.max(colW, Svg.width("← step " + (t - 1), SMALL) + 24);
    }
    double gap = 64;
    double startW = 0;
    for (Row r : rows) {
      if (r.state() != null) {
        startW = Math.max(startW, Svg.width(r.state() + " = 0", SMALL) + 12);
      }
    }
    double left = x0 + startW + (startW > 0 ? 30 : 0);
    double vGap = 44;
    double outY = y0;
    double firstRowY = y0 + 30 + vGap; // the top row
    double[] rowY = new double[rows.size()];
    double ry0 = firstRowY;
    for (int r = 0; r < rows.size(); r++) {
      rowY[r] = ry0;
      ry0 += rows.get(rows.size() - 1 - r).height() + vGap;
    }
    double xY = ry0;
    double right = left;
    for (int c = 0; c < steps.size(); c++) {
      int step = steps.get(c);
      double cx = left + c * (colW + gap);
      right = cx + colW;
      if (step < 0) {
        double mid = cx + colW / 2;
        svg.text(mid, xY + 20, "…", HEADING, "middle", "");
        svg.text(mid, xY + 48, Style.count(t - 3) + " more steps", SMALL, "middle", Style.fill(Style.GREY));
        for (int r = 0; r < rows.size(); r++) {
          svg.text(mid, rowY[r] + rows.get(rows.size() - 1 - r).height() / 2 + 6, "…", HEADING, "middle", "");
        }
        if (last.returnsSequences()) {
          svg.text(mid, outY + 20, "…", HEADING, "middle", "");
        }
        continue;
      }
      // x_t: which step of the input this column reads
      int read = readsBackwards ? t - 1 - step : step;
      boolean maskedHere = c == maskedColumn;
      if (maskedHere) {
        svg.rect(cx + 20, xY, colW - 40, 30, MASKED_FILL, "#5a8dc8", 4, true);
        svg.text(cx + colW / 2, xY + 20, "x_" + read + " " + shape(features), SMALL, "middle", "");
        svg.text(cx + colW / 2, xY + 48, "all " + MaskingFigure.value(masking) + ": masked", SMALL, "middle",
            Style.fill(MASKED_INK));
      } else {
        svg.rect(cx + 20, xY, colW - 40, 30, "#eef6ff", "#5a8dc8", 4);
        svg.text(cx + colW / 2, xY + 20, "x_" + read + " " + shape(features), SMALL, "middle", "");
        svg.text(cx + colW / 2, xY + 48, Style.values(features), SMALL, "middle", Style.fill(Style.GREY));
      }
      for (int r = 0; r < rows.size(); r++) {
        Row row = rows.get(rows.size() - 1 - r);
        double ry = rowY[r];
        double rowH = row.height();
        int shown = rows.size() - 1 - r < firstRecurrent ? read : step;
        boolean skipped = maskedHere && row.layer().recurrent();
        if (skipped) {
          svg.rect(cx, ry, colW, rowH, MASKED_FILL, Style.EDGE, 6, true);
        } else {
          svg.rect(cx, ry, colW, rowH, Style.BOX, Style.EDGE, 6);
        }
        svg.text(cx + colW / 2, ry + 18, row.label(), SMALL, "middle", Style.bold());
        if (row.layer() instanceof MaskingLayer) {
          svg.text(cx + colW / 2, ry + 36, maskedHere ? "step " + shown + ": masked" : "step " + shown + ": kept", SMALL,
              "middle", Style.fill(maskedHere ? MASKED_INK : Style.GREY));
        } else if (skipped && row.bidirectional()) {
          svg.text(cx + colW / 2, ry + 36, "→ skipped, y = 0", SMALL, "middle", Style.fill(MASKED_INK));
          svg.text(cx + colW / 2, ry + 54, "← skipped, y = 0", SMALL, "middle", Style.fill(MASKED_INK));
        } else if (skipped) {
          // the state goes through the skipped cell unchanged
          svg.line(cx + 1, ry + rowH / 2, cx + colW - 1, ry + rowH / 2, MASKED_INK, true);
          svg.text(cx + colW / 2, ry + 36, "skipped: " + row.state() + " kept", SMALL, "middle", Style.fill(MASKED_INK));
        } else if (row.bidirectional()) {
          // the column of input step s: the forward copy's step s, the backward copy's step T−1−s
          svg.text(cx + colW / 2, ry + 36, "→ step " + step, SMALL, "middle", Style.fill(Style.GREY));
          svg.text(cx + colW / 2, ry + 54, "← step " + (t - 1 - step), SMALL, "middle", Style.fill(Style.GREY));
        } else {
          svg.text(cx + colW / 2, ry + 36, row.state() == null ? "at step " + shown : "step " + step, SMALL, "middle",
              Style.fill(Style.GREY));
        }
        // what flows up into this cell
        double below = r == rows.size() - 1 ? xY : ry + rowH + vGap;
        svg.arrow(cx + colW / 2, below, cx + colW / 2, ry + rowH + 1, "#444");
        if (r < rows.size() - 1) {
          Row under = rows.get(rows.size() - 2 - r);
          int underStep = rows.size() - 2 - r < firstRecurrent ? read : step;
          svg.text(cx + colW / 2 + 6, ry + rowH + vGap / 2 + 4, under.out() + underStep + " " + shape(under.layer().outputWidth()),
              SMALL, "start", Style.fill(Style.GREY));
        }
      }
      if (last.returnsSequences() || step == t - 1) {
        svg.rect(cx + 14, outY, colW - 28, 30, "#f0fff4", "#2f855a", 4);
        String out = last.returnsSequences() || !lastRow.bidirectional() ? lastRow.out() + step : "y";
        if (maskedHere && last.returnsSequences() && last.recurrent()) {
          // Keras: the carried h at a masked step; 0 inside a Bidirectional
          out += lastRow.bidirectional() ? " = 0" : step > 0 ? " = " + lastRow.out() + (step - 1) : " = 0";
        }
        svg.text(cx + colW / 2, outY + 20, out + " " + shape(last.outputWidth()), SMALL, "middle", "");
        svg.arrow(cx + colW / 2, firstRowY, cx + colW / 2, outY + 31, "#444");
      }
    }
    // the state carried from each step to the next (a backward copy's to the previous), and the zero initial state
    double backStart = right + 24;
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(rows.size() - 1 - r);
      if (row.state() == null) {
        continue;
      }
      double ry = rowY[r] + (row.bidirectional() ? 27 : row.height() / 2);
      svg.text(x0, ry + 4, row.state() + " = 0", SMALL, "start", Style.fill(Style.GREY));
      svg.arrow(x0 + startW, ry, left - 1, ry, "#444");
      carried(svg, steps, left, colW, gap, ry, row.state(), true);
      if (row.bidirectional()) {
        double by = rowY[r] + 45;
        carried(svg, steps, left, colW, gap, by, row.state(), false);
        svg.arrow(backStart + 30, by, right + 1, by, "#444");
        svg.text(backStart + 36, by + 4, row.state() + " = 0", SMALL, "start", Style.fill(Style.GREY));
      }
    }
    // notes at the right of each row
    double noteX = right + 24 + (anyBidirectional ? 30 + startW + 24 : 0);
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(rows.size() - 1 - r);
      double ry = rowY[r];
      svg.text(noteX, ry + 18, row.notes().get(0), SMALL, "start", Style.fill(Style.GREY));
      if (!row.notes().get(1).isEmpty()) {
        svg.text(noteX, ry + 36, row.notes().get(1), SMALL, "start", Style.fill(Style.GREY));
      }
    }
    List<String> after = new ArrayList<>();
    for (Layer l : model.layers().subList(rows.size(), model.layers().size())) {
      after.add(l.name());
    }
    String out;
    if (last.returnsSequences()) {
      out = "returns every " + lastRow.out() + "t";
    } else if (lastRow.bidirectional()) {
      out = "returns y, the merge of → h_" + (t - 1) + " and ← h after x_0";
    } else {
      out = "returns " + lastRow.out() + (t - 1) + " only";
    }
    svg.text(noteX, outY + 20, out + (after.isEmpty() ? ": the model's output"
        : ", into " + String.join(", ", after) + " (part 2)"), SMALL, "start", Style.fill(Style.GREY));
    svg.text(noteX, xY + 20, "the input: " + Style.count(t) + (t == 1 ? " step" : " steps") + " of "
        + features + (features == 1 ? " feature" : " features")
        + (readsBackwards ? ", read from the last (go_backwards)" : ""), SMALL, "start", Style.fill(Style.GREY));
    return xY + 56;
  }

  /** The arrows between the columns of a row at height y: the state passed to the right, or to the left. */
  private static void carried(Svg svg, List<Integer> steps, double left, double colW, double gap, double y, String state,
      boolean rightwards) {
    for (int c = 0; c + 1 < steps.size(); c++) {
      double from = left + c * (colW + gap) + colW;
      double to = from + gap;
      boolean ellipsis = steps.get(c) < 0 || steps.get(c + 1) < 0;
      if (steps.get(c) < 0) {
        from -= colW / 2 - 14;
      }
      if (steps.get(c + 1) < 0) {
        to += colW / 2 - 14;
      }
      if (rightwards) {
        svg.arrow(from, y, to - 1, y, "#444");
      } else {
        svg.arrow(to, y, from + 1, y, "#444");
      }
      boolean labelled = rightwards ? !ellipsis || steps.get(c) >= 0 : !ellipsis || steps.get(c + 1) >= 0;
      if (labelled) {
        svg.text((from + to) / 2, rightwards ? y - 6 : y + 16, state, SMALL, "middle", Style.fill(Style.GREY));
      }
    }
  }

  /** Part 3: the input and each layer, top to bottom, with output shape, parameter count and weights. */
  private static void stack(Svg svg, ModelSpec model, double x, double y) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"input", "(None, " + model.timesteps() + ", " + model.features() + ")", "", "x"});
    for (Layer layer : model.layers()) {
      List<String> weights = new ArrayList<>();
      // a Bidirectional layer's two copies have the same shapes: named once
      Layer own = layer instanceof BidirectionalLayer b ? b.forward() : layer;
      for (Weight w : own.weights()) {
        weights.add(w.name() + " " + w.shapeText());
      }
      String text = String.join(", ", weights);
      if (layer instanceof BidirectionalLayer b) {
        text = "forward_" + b.wrappedName() + ", backward_" + b.wrappedName() + ": " + text + " each";
      }
      rows.add(new String[] {layer.name() + " (" + layer.kerasClass() + ")", shape0(layer.outputShape()),
          Style.count(layer.paramCount()) + " params", text});
    }
    double[] widths = new double[4];
    for (String[] row : rows) {
      for (int i = 0; i < 4; i++) {
        widths[i] = Math.max(widths[i], Svg.width(row[i], BODY) + 28);
      }
    }
    double boxW = widths[0] + widths[1] + widths[2] + widths[3] + 8;
    double boxH = 30;
    for (int i = 0; i < rows.size(); i++) {
      String[] row = rows.get(i);
      svg.rect(x, y, boxW, boxH, i == 0 ? "#eef6ff" : Style.BOX, Style.EDGE, 6);
      double cx = x + 12;
      for (int k = 0; k < 4; k++) {
        svg.text(cx, y + 20, row[k], BODY, "start", k == 0 ? Style.bold() : k == 3 ? Style.fill(Style.GREY) : "");
        cx += widths[k];
      }
      y += boxH;
      if (i + 1 < rows.size()) {
        svg.arrow(x + 40, y, x + 40, y + 18, "#444");
        y += 20;
      }
    }
    y += 10;
    long total = model.paramCount();
    svg.text(x, y + BODY, "Total params: " + Style.count(total) + "   Trainable params: " + Style.count(total)
        + "   Non-trainable params: 0", BODY, "start", Style.bold());
  }

  /** A Keras output shape with its batch dimension: (None, 24, 32). */
  private static String shape0(int[] sample) {
    StringBuilder sb = new StringBuilder("(None");
    for (int d : sample) {
      sb.append(", ").append(d);
    }
    return sb.append(')').toString();
  }
}
