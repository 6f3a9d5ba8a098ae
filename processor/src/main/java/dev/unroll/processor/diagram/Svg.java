package dev.unroll.processor.diagram;

import java.util.Locale;

/**
 * A small SVG writer: text in a monospaced font (so that a text's width is known, 0.6 em per
 * character), rectangles, lines and arrows. It keeps the extent of what was drawn, so the picture's
 * size is that of its content and nothing is clipped.
 */
public final class Svg {
  /** The width of a character, in em, of the monospaced fonts named in {@link #FONT}. */
  static final double CHAR_EM = 0.6;

  static final String FONT = "DejaVu Sans Mono, Menlo, Consolas, Liberation Mono, monospace";

  private final StringBuilder body = new StringBuilder();
  private double maxX;
  private double maxY;

  /** The width of {@code text} at {@code size} pixels. */
  static double width(String text, double size) {
    return text.codePointCount(0, text.length()) * size * CHAR_EM;
  }

  /** Text whose baseline starts at (x, y); anchor "start", "middle" or "end". */
  Svg text(double x, double y, String text, double size, String anchor, String style) {
    double w = width(text, size);
    double right = switch (anchor) {
      case "middle" -> x + w / 2;
      case "end" -> x;
      default -> x + w;
    };
    extend(right, y + size * 0.3);
    body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\"%s%s>%s</text>%n",
        x, y, size, "start".equals(anchor) ? "" : " text-anchor=\"" + anchor + "\"",
        style.isEmpty() ? "" : " " + style, escape(text)));
    return this;
  }

  Svg text(double x, double y, String text, double size) {
    return text(x, y, text, size, "start", "");
  }

  Svg rect(double x, double y, double w, double h, String fill, String stroke, double radius) {
    return rect(x, y, w, h, fill, stroke, radius, false);
  }

  /** A rectangle, its edge dashed when {@code dashed} (a step that is skipped). */
  Svg rect(double x, double y, double w, double h, String fill, String stroke, double radius, boolean dashed) {
    extend(x + w, y + h);
    body.append(String.format(Locale.ROOT,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"%.0f\" fill=\"%s\" stroke=\"%s\"%s/>%n",
        x, y, w, h, radius, fill, stroke, dashed ? " stroke-dasharray=\"5 3\"" : ""));
    return this;
  }

  Svg line(double x1, double y1, double x2, double y2, String stroke, boolean dashed) {
    extend(Math.max(x1, x2), Math.max(y1, y2));
    body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n",
        x1, y1, x2, y2, stroke, dashed ? " stroke-dasharray=\"4 3\"" : ""));
    return this;
  }

  /** A line with an arrowhead at (x2, y2). */
  Svg arrow(double x1, double y1, double x2, double y2, String stroke) {
    extend(Math.max(x1, x2), Math.max(y1, y2));
    body.append(String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>%n",
        x1, y1, x2, y2, stroke));
    return this;
  }

  /** An XML comment, for a reader of the file. */
  Svg comment(String text) {
    body.append("<!-- ").append(text.replace("--", "- -")).append(" -->\n");
    return this;
  }

  private void extend(double x, double y) {
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }

  /** The document: the content on a white background, {@code margin} pixels beyond its extent. */
  String document(String title, double margin) {
    double w = Math.ceil(maxX + margin);
    double h = Math.ceil(maxY + margin);
    return String.format(Locale.ROOT, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
            + "font-family=\"%s\" xml:space=\"preserve\">%n"
            + "<title>%s</title>%n"
            + "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
            + "orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#444\"/></marker></defs>%n"
            + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
        w, h, w, h, FONT, escape(title))
        + body + "</svg>\n";
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
