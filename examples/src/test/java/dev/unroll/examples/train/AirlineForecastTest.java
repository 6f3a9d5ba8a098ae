package dev.unroll.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Tensor;
import dev.unroll.examples.forecast.AirlineData;
import dev.unroll.examples.forecast.AirlineForecast;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forecasting example: its data, its preparation, and a whole run. */
class AirlineForecastTest {
  @TempDir
  Path dir;

  @Test
  void theSeriesIsBoxAndJenkinsSeriesG() {
    AirlineData data = AirlineData.load();
    assertEquals(144, data.size());
    assertEquals("1949-01", data.months.get(0));
    assertEquals("1960-12", data.months.get(143));
    assertEquals(112, data.passengers[0]);
    assertEquals(432, data.passengers[143]);
    // R: sum(AirPassengers) 40363, max 622 at index 139 (1-based), July 1960
    assertEquals(40363, java.util.Arrays.stream(data.passengers).sum());
    assertEquals(622, data.passengers[138]);
    assertEquals(6, data.monthOfYear[138]);
  }

  @Test
  void windowsAndScaling() {
    AirlineData data = AirlineData.load();
    AirlineData.Scaling s = data.fitScaling(12, 120);
    Tensor x = data.inputs(120, 144, 12, s);
    assertArrayEquals(new int[] {24, 12, 3}, x.shape());
    // the last step of each window is the window's reference month: relative log level 0
    assertEquals(0.0, x.get(0, 11, 0));
    // that month is December 1958: sin(2 pi 11 / 12), cos(2 pi 11 / 12)
    assertEquals(Math.sin(2 * Math.PI * 11 / 12), x.get(0, 11, 1), 1e-15);
    assertEquals(Math.cos(2 * Math.PI * 11 / 12), x.get(0, 11, 2), 1e-15);
    // targets and their inverse give back the passengers
    Tensor y = data.targets(120, 144, s);
    assertArrayEquals(data.actual(120, 144), data.unscale(y.data(), 120, s), 1e-9);
    // the training targets are standardised by their own statistics
    Tensor train = data.targets(12, 120, s);
    double mean = java.util.Arrays.stream(train.data()).average().orElseThrow();
    assertEquals(0.0, mean, 1e-12);
  }

  @Test
  void baselines() {
    AirlineData data = AirlineData.load();
    assertArrayEquals(new double[] {337, 360}, data.lastValue(120, 122), 0.0); // Dec 1958, Jan 1959
    assertArrayEquals(new double[] {340, 318}, data.seasonalNaive(120, 122), 0.0); // Jan, Feb 1958
    assertEquals(5.0, AirlineData.rmse(new double[] {1, 2}, new double[] {4, 6}) * Math.sqrt(2), 1e-12);
  }

  @Test
  void theExampleBeatsBothBaselinesAndWritesItsFiles() throws Exception {
    AirlineForecast.Result r = AirlineForecast.run(dir, 7, 0);
    assertTrue(r.beatsBaselines(), r.toString());
    assertTrue(r.reloadedSame());
    for (String f : new String[] {"history.png", "predictions.png", "weights.npz"}) {
      assertTrue(Files.size(dir.resolve(f)) > 1000, f);
    }
  }
}
