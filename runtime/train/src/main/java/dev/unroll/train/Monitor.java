package dev.unroll.train;

import java.util.Map;

/** Whether a monitored quantity improves when it falls or when it rises (Keras's {@code mode}). */
public enum Monitor {
  /** From the name: rising for names containing {@code acc} or {@code auc}, else falling (losses). */
  AUTO,
  /** Lower is better. */
  MIN,
  /** Higher is better. */
  MAX;

  /** Whether lower is better for {@code monitor} under this mode. */
  boolean lowerIsBetter(String monitor) {
    if (this != AUTO) {
      return this == MIN;
    }
    String name = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
    return !(name.contains("acc") || name.contains("auc"));
  }

  /** The monitored value of {@code logs}, or an error naming what was logged. */
  static double value(String monitor, Map<String, Double> logs, String who) {
    Double v = logs.get(monitor);
    if (v == null) {
      throw new IllegalStateException(who + " monitors " + monitor + ", which fit does not log; it logs "
          + logs.keySet()
          + (monitor.startsWith("val_") ? " (val_ values need validationSplit or validationData)" : ""));
    }
    return v;
  }
}
