package dev.unroll.examples.forecast;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.train.Adam;
import dev.unroll.train.EarlyStopping;
import dev.unroll.train.FitConfig;
import dev.unroll.train.History;
import dev.unroll.train.MeanSquaredError;
import dev.unroll.train.Plots;
import dev.unroll.train.Trainer;
import dev.unroll.train.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Forecasts the classic monthly airline passengers (Box &amp; Jenkins, 1949-1960) one month ahead
 * with a stacked LSTM declared in {@link AirlineModel}, trained on the JVM, and compares it on the
 * last two years, which it never sees while training, with the naive forecasts.
 *
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -pl examples exec:java -Dexec.mainClass=dev.unroll.examples.forecast.AirlineForecast
 * </pre>
 *
 * <p>Writes {@code history.png}, {@code predictions.png} and {@code weights.npz} to
 * {@code target/forecast} (or the directory given as the first argument).
 */
public final class AirlineForecast {
  /** The seed of the initial weights and of the shuffle; {@code -Dseed=N} overrides it. */
  static final long SEED = Long.getLong("seed", 7);

  static final String FIRST_TEST_MONTH = "1959-01";

  private AirlineForecast() {}

  /** The test RMSEs of a run, thousands of passengers, and what it trained. */
  public record Result(double lstm, double lastValue, double seasonalNaive, int epochs, double seconds,
      boolean reloadedSame) {
    /** Whether the LSTM beats both naive baselines. */
    public boolean beatsBaselines() {
      return lstm < lastValue && lstm < seasonalNaive;
    }
  }

  public static void main(String[] args) throws IOException {
    run(Path.of(args.length > 0 ? args[0] : "target/forecast"), SEED, Integer.getInteger("verbose", 1));
  }

  /**
   * Prepares the data, trains, compares and writes the files; prints to {@code System.out}.
   *
   * @param verbose 0 prints only the results, 1 adds the model and the progress bar, 2 one line per epoch
   */
  public static Result run(Path out, long seed, int verbose) throws IOException {
    AirlineData data = AirlineData.load();
    int t = AirlineModel.TIMESTEPS;
    int testFrom = data.indexOf(FIRST_TEST_MONTH);
    int end = data.size();

    // scaling from the training windows only; the test months stay unseen until the end
    AirlineData.Scaling scaling = data.fitScaling(t, testFrom);
    Tensor xTrain = data.inputs(t, testFrom, t, scaling);
    Tensor yTrain = data.targets(t, testFrom, scaling);
    Tensor xTest = data.inputs(testFrom, end, t, scaling);

    System.out.printf(Locale.ROOT, "Airline passengers, %s..%s, %d months (thousands), from %s%n",
        data.months.get(0), data.months.get(end - 1), end, AirlineData.RESOURCE);
    System.out.printf(Locale.ROOT, "Windows of %d months x %d features: log level relative to the window's last"
        + " month, sin and cos of the month%n", t, AirlineModel.FEATURES);
    System.out.printf(Locale.ROOT, "Train: targets %s..%s (%d windows; the last 10%% validate), test: %s..%s"
        + " (%d one-month-ahead forecasts)%n%n", data.months.get(t), data.months.get(testFrom - 1), xTrain.dim(0),
        data.months.get(testFrom), data.months.get(end - 1), xTest.dim(0));

    SequenceModel model = new UnrolledAirlineModel(seed);
    if (verbose > 0) {
      System.out.println(model.summary());
    }

    EarlyStopping stop = new EarlyStopping().monitor("val_loss").patience(40).restoreBestWeights(true)
        .verbose(true);
    FitConfig config = FitConfig.builder()
        .loss(new MeanSquaredError())
        .optimizer(new Adam().learningRate(0.003))
        .epochs(300)
        .batchSize(8)
        .seed(seed)
        .validationSplit(0.1)
        .callbacks(stop)
        .verbose(verbose)
        .build();
    long start = System.nanoTime();
    History history = Trainer.fit(model, xTrain, yTrain, config);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "Trained in %.1f s: %d epochs, best val_loss %.4f at epoch %d%n%n", seconds,
        history.epochs(), stop.best(), stop.bestEpoch() + 1);

    double[] actual = data.actual(testFrom, end);
    double[] lstm = data.unscale(Trainer.predict(model, xTest, 32).data(), testFrom, scaling);
    double[] last = data.lastValue(testFrom, end);
    double[] seasonal = data.seasonalNaive(testFrom, end);
    double rmseLstm = AirlineData.rmse(actual, lstm);
    double rmseLast = AirlineData.rmse(actual, last);
    double rmseSeasonal = AirlineData.rmse(actual, seasonal);
    System.out.printf(Locale.ROOT, "Test RMSE, %s..%s, one month ahead (thousands of passengers):%n",
        data.months.get(testFrom), data.months.get(end - 1));
    System.out.printf(Locale.ROOT, "  stacked LSTM     %6.2f%n", rmseLstm);
    System.out.printf(Locale.ROOT, "  last value       %6.2f%n", rmseLast);
    System.out.printf(Locale.ROOT, "  seasonal naive   %6.2f%n", rmseSeasonal);
    boolean beats = rmseLstm < rmseLast && rmseLstm < rmseSeasonal;
    System.out.println(beats ? "The LSTM beats both naive baselines." : "The LSTM does NOT beat both baselines.");

    Path weights = out.resolve("weights.npz");
    Weights.save(model, weights);
    SequenceModel reloaded = new UnrolledAirlineModel();
    Weights.load(reloaded, weights);
    boolean same = Trainer.predict(reloaded, xTest, 32).equals(Trainer.predict(model, xTest, 32));

    Plots.history(history, out.resolve("history.png"));
    double[] years = new double[end];
    for (int i = 0; i < end; i++) {
      years[i] = 1949 + i / 12.0;
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("passengers", data.passengers);
    series.put(String.format(Locale.ROOT, "seasonal naive (test RMSE %.1f)", rmseSeasonal),
        nanExcept(end, testFrom, seasonal));
    series.put(String.format(Locale.ROOT, "last value (%.1f)", rmseLast), nanExcept(end, testFrom, last));
    series.put(String.format(Locale.ROOT, "stacked LSTM (%.1f)", rmseLstm), nanExcept(end, testFrom, lstm));
    Plots.lines(out.resolve("predictions.png"), "Monthly airline passengers: one-month-ahead forecasts of 1959-1960",
        "year", "passengers (thousands)", years, series);
    System.out.printf("%nWrote %s (reloaded into a new model: %s),%n      %s, %s%n", weights,
        same ? "same forecasts" : "DIFFERENT forecasts", out.resolve("history.png"), out.resolve("predictions.png"));
    return new Result(rmseLstm, rmseLast, rmseSeasonal, history.epochs(), seconds, same);
  }

  private static double[] nanExcept(int length, int from, double[] values) {
    double[] out = new double[length];
    java.util.Arrays.fill(out, Double.NaN);
    System.arraycopy(values, 0, out, from, values.length);
    return out;
  }
}
