package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Tensor;
import dev.unroll.io.Npz;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {
  @TempDir
  Path dir;

  @Test
  void namesComeFromTheLayers() {
    LinearModel model = new LinearModel(2, 3, 4, false, 1);
    assertEquals(List.of("dense/kernel", "dense/bias"), Weights.names(model));
    Map<String, Tensor> map = Weights.toMap(model);
    assertEquals(model.getWeights(), List.copyOf(map.values()));
  }

  @Test
  void saveAndLoad() throws Exception {
    LinearModel a = new LinearModel(2, 3, 4, false, 1);
    LinearModel b = new LinearModel(2, 3, 4, false, 2);
    Path file = dir.resolve("w.npz");
    Weights.save(a, file);
    assertEquals(List.of("dense/kernel", "dense/bias"), List.copyOf(Npz.read(file).keySet()));
    Weights.load(b, file);
    assertEquals(a.getWeights(), b.getWeights());
  }

  @Test
  void aFileThatDoesNotFitChangesNothing() throws Exception {
    LinearModel model = new LinearModel(2, 3, 4, false, 1);
    List<Tensor> before = model.getWeights();

    Map<String, Tensor> wrongShape = new LinkedHashMap<>();
    wrongShape.put("dense/kernel", Tensor.zeros(6, 4));
    wrongShape.put("dense/bias", Tensor.zeros(5));
    Path file = dir.resolve("bad.npz");
    Npz.write(file, wrongShape);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Weights.load(model, file));
    assertTrue(e.getMessage().contains("dense/bias has shape (5,), the model's is (4,)"), e.getMessage());
    assertEquals(before, model.getWeights());

    Map<String, Tensor> wrongNames = new LinkedHashMap<>();
    wrongNames.put("dense/kernel", Tensor.zeros(6, 4));
    wrongNames.put("dense_1/bias", Tensor.zeros(4));
    e = assertThrows(IllegalArgumentException.class, () -> Weights.set(model, wrongNames));
    assertTrue(e.getMessage().contains("missing [dense/bias]"), e.getMessage());
    assertTrue(e.getMessage().contains("unexpected [dense_1/bias]"), e.getMessage());
    assertEquals(before, model.getWeights());
  }
}
