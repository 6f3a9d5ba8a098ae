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

/** Reads test resources: JSON documents and nested JSON arrays as tensors, and one-column CSV files. */
public final class JsonArrays {
  private JsonArrays() {}

  /** The JSON document at classpath resource {@code resource}, e.g. {@code /golden/stacked.json}. */
  public static JsonObject load(String resource) {
    try (InputStream in = JsonArrays.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A nested JSON array of numbers as a tensor of its (rectangular) shape; checks the nesting. */
  public static Tensor tensor(JsonElement e, String what) {
    List<Integer> dims = new ArrayList<>();
    for (JsonElement d = e; d.isJsonArray(); d = d.getAsJsonArray().get(0)) {
      dims.add(d.getAsJsonArray().size());
      if (d.getAsJsonArray().size() == 0) {
        break;
      }
    }
    int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
    List<Double> values = new ArrayList<>();
    flatten(e, shape, 0, values, what);
    double[] data = new double[values.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = values.get(i);
    }
    return Tensor.wrap(data, shape);
  }

  /** The array under {@code key} (dots for nested objects) of a golden file, checked against its {@code shapes}. */
  public static Tensor golden(JsonObject json, String key) {
    JsonElement e = json;
    for (String part : key.split("\\.")) {
      e = e.getAsJsonObject().get(part);
      if (e == null) {
        throw new IllegalStateException("no array " + key);
      }
    }
    Tensor t = tensor(e, key);
    JsonArray declared = json.getAsJsonObject("shapes").getAsJsonArray(key);
    int[] shape = new int[declared.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = declared.get(i).getAsInt();
    }
    if (!t.hasShape(shape)) {
      throw new IllegalStateException(key + " has shape " + Tensor.format(t.shape()) + ", declared "
          + Tensor.format(shape));
    }
    return t;
  }

  /** A classpath resource of one number per line, as a (n,) tensor. */
  public static Tensor csvColumn(String resource) {
    try (InputStream in = JsonArrays.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<Double> values = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          values.add(Double.parseDouble(line.trim()));
        }
      }
      return Tensor.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void flatten(JsonElement e, int[] shape, int axis, List<Double> out, String what) {
    if (axis == shape.length) {
      if (e.isJsonArray()) {
        throw new IllegalStateException(what + ": nested deeper than " + Tensor.format(shape));
      }
      out.add(e.getAsDouble());
      return;
    }
    if (!e.isJsonArray() || e.getAsJsonArray().size() != shape[axis]) {
      throw new IllegalStateException(what + ": not a rectangular array of shape " + Tensor.format(shape));
    }
    for (JsonElement child : e.getAsJsonArray()) {
      flatten(child, shape, axis + 1, out, what);
    }
  }
}
