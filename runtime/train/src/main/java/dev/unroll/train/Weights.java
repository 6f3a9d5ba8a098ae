package dev.unroll.train;

import dev.unroll.LayerInfo;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.io.Npz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's weights as NumPy {@code .npz} files, one array per weight, named by layer and weight as
 * Keras names them: {@code lstm/kernel}, {@code lstm/recurrent_kernel}, {@code lstm/bias},
 * {@code lstm_1/kernel}, ..., {@code dense/kernel}, {@code dense/bias}, with Keras's shapes, in
 * {@code get_weights()} order. In Python:
 *
 * <pre>
 * w = numpy.load("weights.npz")
 * keras_model.get_layer("lstm").set_weights([w["lstm/kernel"], w["lstm/recurrent_kernel"], w["lstm/bias"]])
 * </pre>
 */
public final class Weights {
  private Weights() {}

  /**
   * The names of the model's weights, aligned with {@link SequenceModel#getWeights()}: for each layer
   * of {@link SequenceModel#layers()}, {@code name/kernel}, {@code name/recurrent_kernel} (LSTM, GRU) and
   * {@code name/bias} (when the layer has one).
   *
   * @throws IllegalStateException if the layers do not account for the model's weights
   */
  public static List<String> names(SequenceModel model) {
    List<String> names = new ArrayList<>();
    for (LayerInfo layer : model.layers()) {
      if (layer.isBidirectional()) {
        for (dev.unroll.Layer direction : List.of(model.layer(layer.name()).forwardLayer(),
            model.layer(layer.name()).backwardLayer())) {
          for (String w : direction.weightNames()) {
            names.add(layer.name() + "/" + direction.name() + "/" + w);
          }
        }
        continue;
      }
      names.add(layer.name() + "/kernel");
      if (layer.isRecurrent()) {
        names.add(layer.name() + "/recurrent_kernel");
      }
      if (layer.useBias()) {
        names.add(layer.name() + "/bias");
      }
    }
    return names;
  }

  /** The weights by name, copies in {@code get_weights()} order. */
  public static Map<String, Tensor> toMap(SequenceModel model) {
    List<String> names = names(model);
    List<Tensor> weights = model.getWeights();
    if (names.size() != weights.size()) {
      throw new IllegalStateException(model.getClass().getSimpleName() + ": its layers name " + names.size()
          + " weights " + names + " but getWeights() returns " + weights.size());
    }
    Map<String, Tensor> map = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      map.put(names.get(i), weights.get(i));
    }
    return map;
  }

  /** Writes the model's weights to an {@code .npz} file (float64), replacing it. */
  public static void save(SequenceModel model, Path path) throws IOException {
    Npz.write(path, toMap(model));
  }

  /**
   * Loads weights saved by {@link #save} (or written by NumPy with the same names; float32 arrays
   * are widened). Every name and shape is checked before anything is set: on error the model is
   * unchanged.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the missing, unexpected or mis-shaped arrays
   */
  public static void load(SequenceModel model, Path path) throws IOException {
    Map<String, Tensor> arrays = Npz.read(path);
    try {
      set(model, arrays);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sets the model's weights from arrays by name, checking every name and shape first: on error the
   * model is unchanged.
   *
   * @throws IllegalArgumentException naming the missing, unexpected or mis-shaped arrays
   */
  public static void set(SequenceModel model, Map<String, Tensor> arrays) {
    Map<String, Tensor> expected = toMap(model);
    List<String> problems = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : expected.keySet()) {
      if (!arrays.containsKey(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      problems.add("missing " + missing);
    }
    List<String> unexpected = new ArrayList<>();
    for (String name : arrays.keySet()) {
      if (!expected.containsKey(name)) {
        unexpected.add(name);
      }
    }
    if (!unexpected.isEmpty()) {
      problems.add("unexpected " + unexpected);
    }
    List<Tensor> values = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      Tensor given = arrays.get(e.getKey());
      if (given == null) {
        continue;
      }
      if (!given.hasShape(e.getValue().shape())) {
        problems.add(e.getKey() + " has shape " + Tensor.format(given.shape()) + ", the model's is "
            + Tensor.format(e.getValue().shape()));
      }
      values.add(given);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("weights do not fit " + model.getClass().getSimpleName() + ": "
          + String.join("; ", problems) + "; expected " + describe(expected));
    }
    model.setWeights(values);
  }

  private static String describe(Map<String, Tensor> expected) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Tensor> e : expected.entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append(' ').append(Tensor.format(e.getValue().shape()));
    }
    return sb.toString();
  }
}
