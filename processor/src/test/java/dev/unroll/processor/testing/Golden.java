package dev.unroll.processor.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.unroll.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One golden case, {@code kind: "lstm"}, read from the test classpath ({@code /golden/NAME.json},
 * copied from the shared golden vectors; the schema is in {@code golden/README.md} beside them).
 */
public final class Golden {
  public final String name;
  public final int units;
  public final int features;
  public final int timesteps;
  public final int batch;
  private final JsonObject json;

  private Golden(String name, JsonObject json) {
    this.name = name;
    this.json = json;
    this.units = json.get("units").getAsInt();
    this.features = json.get("features").getAsInt();
    this.timesteps = json.get("timesteps").getAsInt();
    this.batch = json.get("batch").getAsInt();
    if (!"lstm".equals(json.get("kind").getAsString()) || !"float64".equals(json.get("dtype").getAsString())) {
      throw new IllegalStateException(name + ": expected kind lstm, dtype float64");
    }
  }

  public static Golden load(String name) {
    String resource = "/golden/" + name + ".json";
    try (InputStream in = Golden.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      JsonObject json = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
      return new Golden(name, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The attributes declaring this case's layer, e.g. {@code units = 4, timesteps = 5, features = 3}. */
  public String shapes() {
    return "units = " + units + ", timesteps = " + timesteps + ", features = " + features;
  }

  /**
   * The array under {@code key}, e.g. {@code kernel} or {@code grads_seq.x}, checked against the
   * shape the file declares for it in {@code shapes}.
   */
  public Tensor tensor(String key) {
    JsonElement e = json;
    for (String part : key.split("\\.")) {
      e = e.getAsJsonObject().get(part);
      if (e == null) {
        throw new IllegalStateException(name + ": no array " + key);
      }
    }
    JsonArray declared = json.getAsJsonObject("shapes").getAsJsonArray(key);
    int[] shape = new int[declared.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = declared.get(i).getAsInt();
    }
    List<Double> values = new ArrayList<>();
    flatten(e, values);
    double[] data = new double[values.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = values.get(i);
    }
    Tensor t = Tensor.wrap(data, shape);
    checkNesting(e, shape, 0, key);
    return t;
  }

  /** The number under {@code key}, e.g. {@code loss_seq}. */
  public double scalar(String key) {
    return json.get(key).getAsDouble();
  }

  /** The last step of a (batch, timesteps, units) array: (batch, units). */
  public static Tensor lastStep(Tensor seq) {
    int b = seq.dim(0);
    int t = seq.dim(1);
    int u = seq.dim(2);
    Tensor out = Tensor.zeros(b, u);
    for (int i = 0; i < b; i++) {
      System.arraycopy(seq.data(), (i * t + t - 1) * u, out.data(), i * u, u);
    }
    return out;
  }

  private static void flatten(JsonElement e, List<Double> out) {
    if (e.isJsonArray()) {
      for (JsonElement child : e.getAsJsonArray()) {
        flatten(child, out);
      }
    } else {
      out.add(e.getAsDouble());
    }
  }

  private void checkNesting(JsonElement e, int[] shape, int axis, String key) {
    if (axis == shape.length) {
      if (e.isJsonArray()) {
        throw new IllegalStateException(name + ": " + key + " nested deeper than its shape");
      }
      return;
    }
    if (!e.isJsonArray() || e.getAsJsonArray().size() != shape[axis]) {
      throw new IllegalStateException(name + ": " + key + " does not have shape " + Tensor.format(shape));
    }
    for (JsonElement child : e.getAsJsonArray()) {
      checkNesting(child, shape, axis + 1, key);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
