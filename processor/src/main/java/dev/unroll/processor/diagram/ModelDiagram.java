package dev.unroll.processor.diagram;

import static dev.unroll.processor.diagram.Style.BODY;
import static dev.unroll.processor.diagram.Style.HEADING;
import static dev.unroll.processor.diagram.Style.LINE;
import static dev.unroll.processor.diagram.Style.SMALL;
import static dev.unroll.processor.diagram.Style.shape;

import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.model.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * A picture of a model, as SVG, from its {@link ModelSpec} alone (no javac types, no dependency): what
 * the processor writes beside each generated class as {@code Unrolled<Type>.svg}, and what tools can
 * call with a model spec of their own.
 *
 * <p>Three parts: (1) the recurrent layers unrolled over time, x_t → cell → h_t for t = 0…T−1, with an
 * ellipsis when the sequence is longer than four steps; (2) one step of each layer with its equations
 * and this model's shapes (for an LSTM: z_t = x_t·W + h_{t−1}·U + b, W (F, 4U), U (U, 4U), b (4U) in gate
 * blocks, each gate's (F, U) block); (3) the stack with Keras's output shapes and parameter counts.
 */
public final class ModelDiagram {
  private static final double MARGIN = 24;
  /** The most timesteps drawn one by one; longer sequences show t = 0, 1, …, T−1. */
  static final int MAX_DRAWN_STEPS = 4;

  private ModelDiagram() {}

  /** The picture of {@code model}, an SVG document. */
  public static String svg(ModelSpec model) {
    Svg svg = new Svg();
    LstmLayer first = model.input();
    String self = model.generatedSimpleName();
    double x = MARGIN;
    double y = MARGIN;
    svg.text(x, y + Style.TITLE, self + ": a picture of " + model.sourceName(), Style.TITLE, "start", Style.bold());
    y += Style.TITLE + 14;
    svg.text(x, y + BODY, "input (batch, " + first.timesteps() + ", " + first.features() + "): sequences of "
        + Style.count(first.timesteps()) + (first.timesteps() == 1 ? " timestep" : " timesteps") + ", each x_t " + Style.values(first.features())
        + ";  " + Style.count(model.paramCount()) + " parameters;  computes in " + (model.float32() ? "float32" : "float64"),
        BODY);
    y += LINE + 20;

    svg.text(x, y + HEADING, "1. Unrolled over time: the same weights at every step", HEADING, "start", Style.bold());
    y += HEADING + 16;
    y = unrolled(svg, model, x, y) + 24;

    svg.text(x, y + HEADING, "2. One step of each layer, with this model's shapes (Keras layout)", HEADING, "start", Style.bold());
    y += HEADING + 16;
    for (Layer layer : model.layers()) {
      y += figure(layer).draw(svg, x, y) + 18;
    }
    y += 6;

    svg.text(x, y + HEADING, "3. The stack: output shapes and parameter counts, as Keras's model.summary()", HEADING,
        "start", Style.bold());
    y += HEADING + 16;
    stack(svg, model, x, y);
    return svg.document(self + ": " + model.sourceName() + ", " + Style.count(model.paramCount()) + " parameters", MARGIN);
  }

  /**
   * Whether the picture can draw the model: LSTM and Dense layers, an LSTM first. GRU, Bidirectional
   * and a Dense layer before the first LSTM get their figures later; until then the processor writes
   * no picture for such a model, and says so in a NOTE.
   */
  public static boolean draws(ModelSpec model) {
    return model.layers().get(0) instanceof LstmLayer
        && model.layers().stream().allMatch(l -> l instanceof LstmLayer || l instanceof DenseLayer);
  }

  /** The one place that maps a layer kind to its drawing. */
  static LayerFigure figure(Layer layer) {
    if (layer instanceof LstmLayer lstm) {
      return new LstmFigure(lstm);
    }
    if (layer instanceof DenseLayer dense) {
      return new DenseFigure(dense);
    }
    throw new IllegalArgumentException("no drawing for layer kind " + layer.kerasClass());
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

  /** Part 1: a row of cells per LSTM layer (the first at the bottom), the inputs under them, the outputs over them. */
  private static double unrolled(Svg svg, ModelSpec model, double x0, double y0) {
    List<LstmLayer> lstms = model.lstmLayers();
    LstmLayer first = lstms.get(0);
    LstmLayer last = lstms.get(lstms.size() - 1);
    int t = first.timesteps();
    List<Integer> steps = drawnSteps(t);
    double colW = 150;
    for (LstmLayer l : lstms) {
      colW = Math.max(colW, Svg.width("h_" + (t - 1) + " " + shape(l.units()), SMALL) + 24);
      colW = Math.max(colW, Svg.width(l.name() + " (LSTM)", SMALL) + 24);
    }
    double gap = 64;
    double startW = Svg.width("h, c = 0", SMALL) + 12;
    double left = x0 + startW + 30;
    double rowH = 44;
    double vGap = 44;
    int rows = lstms.size();
    double outY = y0;
    double firstRowY = y0 + 30 + vGap; // the top LSTM row
    double xY = firstRowY + rows * rowH + (rows - 1) * vGap + vGap;
    double right = left;
    for (int c = 0; c < steps.size(); c++) {
      int step = steps.get(c);
      double cx = left + c * (colW + gap);
      right = cx + colW;
      if (step < 0) {
        double mid = cx + colW / 2;
        svg.text(mid, xY + 20, "…", HEADING, "middle", "");
        svg.text(mid, xY + 48, Style.count(t - 3) + " more steps", SMALL, "middle", Style.fill(Style.GREY));
        for (int r = 0; r < rows; r++) {
          svg.text(mid, firstRowY + r * (rowH + vGap) + rowH / 2 + 6, "…", HEADING, "middle", "");
        }
        if (last.returnSequences()) {
          svg.text(mid, outY + 20, "…", HEADING, "middle", "");
        }
        continue;
      }
      // x_t: which step of the input this column reads
      int read = first.goBackwards() ? t - 1 - step : step;
      svg.rect(cx + 20, xY, colW - 40, 30, "#eef6ff", "#5a8dc8", 4);
      svg.text(cx + colW / 2, xY + 20, "x_" + read + " " + shape(first.features()), SMALL, "middle", "");
      svg.text(cx + colW / 2, xY + 48, Style.values(first.features()), SMALL, "middle", Style.fill(Style.GREY));
      for (int r = 0; r < rows; r++) {
        LstmLayer l = lstms.get(rows - 1 - r);
        double ry = firstRowY + r * (rowH + vGap);
        svg.rect(cx, ry, colW, rowH, Style.BOX, Style.EDGE, 6);
        svg.text(cx + colW / 2, ry + 18, l.name() + " (LSTM)", SMALL, "middle", Style.bold());
        svg.text(cx + colW / 2, ry + 36, "step " + step, SMALL, "middle", Style.fill(Style.GREY));
        // what flows up into this cell
        double below = r == rows - 1 ? xY : ry + rowH + vGap;
        svg.arrow(cx + colW / 2, below, cx + colW / 2, ry + rowH + 1, "#444");
        if (r < rows - 1) {
          svg.text(cx + colW / 2 + 6, ry + rowH + vGap / 2 + 4, "h_" + step + " " + shape(lstms.get(rows - 2 - r).units()),
              SMALL, "start", Style.fill(Style.GREY));
        }
      }
      if (last.returnSequences() || step == t - 1) {
        svg.rect(cx + 14, outY, colW - 28, 30, "#f0fff4", "#2f855a", 4);
        svg.text(cx + colW / 2, outY + 20, "h_" + step + " " + shape(last.units()), SMALL, "middle", "");
        svg.arrow(cx + colW / 2, firstRowY, cx + colW / 2, outY + 31, "#444");
      }
    }
    // the state carried from each step to the next, and the zero initial state
    for (int r = 0; r < rows; r++) {
      double ry = firstRowY + r * (rowH + vGap) + rowH / 2;
      svg.text(x0, ry + 4, "h, c = 0", SMALL, "start", Style.fill(Style.GREY));
      svg.arrow(x0 + startW, ry, left - 1, ry, "#444");
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
        svg.arrow(from, ry, to - 1, ry, "#444");
        if (!ellipsis || steps.get(c) >= 0) {
          svg.text((from + to) / 2, ry - 6, "h, c", SMALL, "middle", Style.fill(Style.GREY));
        }
      }
    }
    // notes at the right of each row
    double noteX = right + 24;
    for (int r = 0; r < rows; r++) {
      LstmLayer l = lstms.get(rows - 1 - r);
      double ry = firstRowY + r * (rowH + vGap);
      svg.text(noteX, ry + 18, l.units() + (l.units() == 1 ? " unit" : " units") + ": h_t, c_t " + shape(l.units()),
          SMALL, "start", Style.fill(Style.GREY));
      svg.text(noteX, ry + 36, "W " + shape(l.features(), l.gates()) + ", U " + shape(l.units(), l.gates())
          + (l.useBias() ? ", b " + shape(l.gates()) : "") + " at every step", SMALL, "start", Style.fill(Style.GREY));
    }
    List<String> after = new ArrayList<>();
    for (Layer l : model.layers()) {
      if (l instanceof DenseLayer d) {
        after.add(d.name());
      }
    }
    String out = last.returnSequences() ? "returns every h_t" : "returns h_" + (t - 1) + " only";
    svg.text(noteX, outY + 20, out + (after.isEmpty() ? ": the model's output"
        : ", into " + String.join(", ", after) + " (part 2)"), SMALL, "start", Style.fill(Style.GREY));
    svg.text(noteX, xY + 20, "the input: " + Style.count(t) + (t == 1 ? " step" : " steps") + " of "
        + first.features() + (first.features() == 1 ? " feature" : " features")
        + (first.goBackwards() ? ", read from the last (go_backwards)" : ""), SMALL, "start", Style.fill(Style.GREY));
    return xY + 56;
  }

  /** Part 3: the input and each layer, top to bottom, with output shape, parameter count and weights. */
  private static void stack(Svg svg, ModelSpec model, double x, double y) {
    List<String[]> rows = new ArrayList<>();
    LstmLayer first = model.input();
    rows.add(new String[] {"input", "(None, " + first.timesteps() + ", " + first.features() + ")", "", "x"});
    for (Layer layer : model.layers()) {
      List<String> weights = new ArrayList<>();
      for (Weight w : layer.weights()) {
        weights.add(w.name() + " " + w.shapeText());
      }
      rows.add(new String[] {layer.name() + " (" + layer.kerasClass() + ")", shape0(layer.outputShape()),
          Style.count(layer.paramCount()) + " params", String.join(", ", weights)});
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
