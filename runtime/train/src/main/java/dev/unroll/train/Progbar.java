package dev.unroll.train;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;

/**
 * Keras's console progress, written for the JVM: {@code Epoch 3/20}, then
 * {@code 32/32 ━━━━━━━━━━━━━━━━━━━━ 1s 12ms/step - loss: 0.0123 - val_loss: 0.0150}, with the same
 * number formats (4 decimals, or scientific below 1e-3), bar width (20), time per step (the first,
 * warm-up step left out) and, at verbose 2, Keras's one line per epoch.
 *
 * <p>On a terminal (verbose 1) the line is redrawn in place as batches complete, at most every 50 ms,
 * with Keras's colours; elsewhere (a pipe, a file, a custom stream) only each epoch's final line is
 * written, so logs stay readable. Where the output charset cannot encode the bar character,
 * {@code [====================]} is drawn instead.
 */
final class Progbar {
  private static final int WIDTH = 20;
  private static final long INTERVAL_NANOS = 50_000_000L;

  private final PrintStream out;
  private final int verbose;
  private final boolean dynamic;
  private final boolean unicode;
  private final StringBuilder line = new StringBuilder(160);
  private int target;
  private long start;
  private long afterFirst;
  private long lastUpdate;
  private int prevWidth;

  Progbar(PrintStream out, int verbose) {
    this.out = out;
    this.verbose = verbose;
    this.dynamic = verbose == 1 && out == System.out && System.console() != null
        && !"dumb".equals(System.getenv("TERM"));
    Charset cs = stdoutCharset();
    this.unicode = cs.newEncoder().canEncode('━');
  }

  private static Charset stdoutCharset() {
    String enc = System.getProperty("sun.stdout.encoding");
    try {
      return enc != null ? Charset.forName(enc) : Charset.defaultCharset();
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }

  void epochBegin(int epoch, int epochs, int steps) {
    if (verbose == 0) {
      return;
    }
    out.println("Epoch " + (epoch + 1) + "/" + epochs);
    target = steps;
    start = System.nanoTime();
    afterFirst = 0;
    lastUpdate = 0;
    prevWidth = 0;
  }

  /** After batch {@code current} (1-based): redraws the line on a terminal. */
  void update(int current, String[] names, double[] values) {
    if (verbose == 0) {
      return;
    }
    long now = System.nanoTime();
    if (current == 1) {
      afterFirst = now;
    }
    if (!dynamic || (now - lastUpdate < INTERVAL_NANOS && current < target)) {
      return;
    }
    lastUpdate = now;
    line.setLength(0);
    line.append('\r');
    int visible = bar(current, now, false);
    for (int i = 0; i < names.length; i++) {
      visible += metric(names[i], values[i]);
    }
    if (prevWidth > visible) {
      for (int i = visible; i < prevWidth; i++) {
        line.append(' ');
      }
    }
    prevWidth = visible;
    out.print(line);
    out.flush();
  }

  /** The epoch's final line, with its logs (training and validation). */
  void epochEnd(Map<String, Double> logs) {
    if (verbose == 0) {
      return;
    }
    long now = System.nanoTime();
    line.setLength(0);
    int visible;
    if (verbose == 1) {
      if (dynamic) {
        line.append('\r');
      }
      visible = bar(target, now, true);
    } else {
      String count = String.format(Locale.ROOT, "%" + digits(target) + "d/%d", target, target);
      line.append(count).append(" - ").append(seconds(now - start)).append(" -").append(perStep(now));
      visible = line.length();
    }
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      visible += metric(e.getKey(), e.getValue());
    }
    if (dynamic && prevWidth > visible) {
      for (int i = visible; i < prevWidth; i++) {
        line.append(' ');
      }
    }
    out.println(line);
    out.flush();
  }

  /** A message between epochs (callbacks). */
  void message(String text) {
    if (verbose > 0) {
      out.println(text);
    }
  }

  private int bar(int current, long now, boolean finalize) {
    String count = String.format(Locale.ROOT, "%" + digits(target) + "d/%d", current, target);
    int filled = target > 0 ? (int) ((long) WIDTH * current / target) : WIDTH;
    if (dynamic) {
      line.append("\u001b[1m").append(count).append("\u001b[0m ");
    } else {
      line.append(count).append(' ');
    }
    int visible = count.length() + 1;
    if (unicode) {
      if (dynamic) {
        if (filled > 0) {
          line.append("\u001b[32m").append("━".repeat(filled)).append("\u001b[0m");
        }
        line.append("\u001b[37m").append("━".repeat(WIDTH - filled)).append("\u001b[0m");
      } else {
        line.append("━".repeat(filled)).append("─".repeat(WIDTH - filled));
      }
      visible += WIDTH;
    } else {
      line.append('[').append("=".repeat(filled)).append(".".repeat(WIDTH - filled)).append(']');
      visible += WIDTH + 2;
    }
    String info;
    if (finalize) {
      info = " " + seconds(now - start);
    } else {
      double eta = stepSeconds(current, now) * (target - current);
      info = " " + eta(eta);
    }
    line.append(dynamic ? " \u001b[1m" + info.substring(1) + "\u001b[0m" : info);
    String ps = perStep(current, now);
    line.append(ps);
    return visible + info.length() + ps.length();
  }

  private int metric(String name, double value) {
    String s = " - " + name + ": " + format(value);
    line.append(s);
    return s.length();
  }

  /** Keras: 4 decimals, or 4 significant digits in scientific notation at or below 1e-3. */
  static String format(double v) {
    return Math.abs(v) > 1e-3 || Double.isNaN(v) || Double.isInfinite(v)
        ? String.format(Locale.ROOT, "%.4f", v)
        : String.format(Locale.ROOT, "%.4e", v);
  }

  private double stepSeconds(int current, long now) {
    if (current <= 0) {
      return 0;
    }
    if (current > 1 && afterFirst != 0) {
      return (now - afterFirst) / 1e9 / (current - 1);
    }
    return (now - start) / 1e9 / current;
  }

  private String perStep(long now) {
    return perStep(target, now);
  }

  private String perStep(int current, long now) {
    double t = stepSeconds(current, now);
    if (t >= 1 || t == 0) {
      return String.format(Locale.ROOT, " %.0fs/step", t);
    }
    if (t >= 1e-3) {
      return String.format(Locale.ROOT, " %.0fms/step", t * 1e3);
    }
    return String.format(Locale.ROOT, " %.0fus/step", t * 1e6);
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.0fs", nanos / 1e9);
  }

  private static String eta(double s) {
    if (s > 3600) {
      return String.format(Locale.ROOT, "%d:%02d:%02d", (long) s / 3600, ((long) s % 3600) / 60, (long) s % 60);
    }
    if (s > 60) {
      return String.format(Locale.ROOT, "%d:%02d", (long) s / 60, (long) s % 60);
    }
    return String.format(Locale.ROOT, "%ds", (long) s);
  }

  private static int digits(int n) {
    return Integer.toString(Math.max(n, 1)).length();
  }
}
