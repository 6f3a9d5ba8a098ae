package dev.unroll.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Trainer#fit} logged at the end of each epoch, as Keras's {@code History}:
 * {@code loss}, each metric, and with validation data {@code val_loss} and {@code val_<metric>}.
 * The training values are the means over the epoch's batches, weighted by batch size (Keras's
 * running mean); the validation values are computed after the epoch on the whole validation set.
 */
public final class History {
  private final Map<String, List<Double>> values = new LinkedHashMap<>();
  private int epochs;
  private NonFiniteStep firstNonFinite;

  /**
   * Where training first produced a non-finite loss or gradient.
   *
   * @param epoch the epoch, from 0
   * @param batch the batch within the epoch, from 0
   * @param what what was not finite, e.g. {@code loss NaN} or {@code gradient of weight [1] at (2, 3): Infinity}
   */
  public record NonFiniteStep(int epoch, int batch, String what) {
    @Override
    public String toString() {
      return "epoch " + (epoch + 1) + " (from 1), batch " + (batch + 1) + " (from 1): " + what;
    }
  }

  /** The first batch whose loss or gradient was NaN or infinite; null if every one was finite. */
  public NonFiniteStep firstNonFinite() {
    return firstNonFinite;
  }

  void nonFinite(NonFiniteStep step) {
    if (firstNonFinite == null) {
      firstNonFinite = step;
    }
  }

  /** Appends one epoch's logs. */
  void append(Map<String, Double> logs) {
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      values.computeIfAbsent(e.getKey(), k -> {
        List<Double> list = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
          list.add(Double.NaN);
        }
        return list;
      }).add(e.getValue());
    }
    epochs++;
    for (List<Double> list : values.values()) {
      while (list.size() < epochs) {
        list.add(Double.NaN);
      }
    }
  }

  /** The number of epochs run. */
  public int epochs() {
    return epochs;
  }

  /** The logged names, in Keras's order: loss, metrics, then the validation ones. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** The training loss of each epoch. */
  public List<Double> loss() {
    return get("loss");
  }

  /** The validation loss of each epoch; empty without validation data. */
  public List<Double> valLoss() {
    return get("val_loss");
  }

  /** The values logged under {@code key}, one per epoch; empty if it was never logged. */
  public List<Double> get(String key) {
    List<Double> list = values.get(key);
    return list == null ? List.of() : Collections.unmodifiableList(list);
  }

  /** Whether {@code key} was logged. */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** The value of {@code key} at the last epoch. */
  public double last(String key) {
    List<Double> list = values.get(key);
    if (list == null || list.isEmpty()) {
      throw new IllegalArgumentException("History: " + key + " was not logged; logged: " + values.keySet());
    }
    return list.get(list.size() - 1);
  }

  /** Every logged series, by name. */
  public Map<String, List<Double>> asMap() {
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  @Override
  public String toString() {
    return "History" + values;
  }
}
