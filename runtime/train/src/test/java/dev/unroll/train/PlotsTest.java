package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  @TempDir
  Path dir;

  @Test
  void writesHistoryAndPredictionCharts() throws Exception {
    System.setProperty("java.awt.headless", "true");
    assertTrue(Plots.available());
    History h = new History();
    for (int i = 0; i < 5; i++) {
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put("loss", 1.0 / (i + 1));
      logs.put("val_loss", 1.2 / (i + 1));
      h.append(logs);
    }
    Path history = dir.resolve("sub/history.png");
    Plots.history(h, history);
    BufferedImage image = ImageIO.read(history.toFile());
    assertEquals(Plots.WIDTH, image.getWidth());
    assertEquals(Plots.HEIGHT, image.getHeight());

    Path predictions = dir.resolve("predictions.png");
    Plots.predictions(predictions, "test", new double[] {1, 2, 3}, new double[] {1.1, 1.9, Double.NaN});
    assertEquals(Plots.WIDTH, ImageIO.read(predictions.toFile()).getWidth());

    assertThrows(IllegalArgumentException.class, () -> Plots.history(h, dir.resolve("x.png"), "t", "accuracy"));
    assertThrows(IllegalArgumentException.class,
        () -> Plots.predictions(dir.resolve("y.png"), "t", new double[2], new double[3]));
  }
}
