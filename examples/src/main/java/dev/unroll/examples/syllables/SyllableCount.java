package dev.unroll.examples.syllables;

import dev.unroll.Tensor;
import dev.unroll.examples.syllables.SyllableData.Split;
import dev.unroll.train.Adam;
import dev.unroll.train.CategoricalCrossentropy;
import dev.unroll.train.EarlyStopping;
import dev.unroll.train.FitConfig;
import dev.unroll.train.History;
import dev.unroll.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Counts the syllables of English words from their letters: a masked, bidirectional GRU declared in
 * {@link SyllableModel}, trained on the JVM on words of the CMU Pronouncing Dictionary, compared on
 * words it never sees while training with the majority class and the vowel-group rule of thumb.
 *
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -pl examples exec:java -Dexec.mainClass=dev.unroll.examples.syllables.SyllableCount
 * </pre>
 */
public final class SyllableCount {
  /** The seed of the initial weights and of the shuffle; {@code -Dseed=N} overrides it. */
  static final long SEED = Long.getLong("seed", 7);

  private SyllableCount() {}

  /** What a run measured on the test words. */
  public record Result(int words, int testWords, double accuracy, double majority, double vowelGroups,
      int epochs, double seconds, double padAtStartDifference, double lengthsDifference,
      double unmaskedAtStartAccuracy, boolean finite) {}

  public static void main(String[] args) {
    run(SEED, 60, Integer.getInteger("verbose", 2));
  }

  /**
   * Prepares the data, trains, compares; prints to {@code System.out}.
   *
   * @param maxEpochs the epoch budget (early stopping usually ends sooner)
   * @param verbose 0 prints only the results, 1 adds the model and the progress bar, 2 one line per epoch
   */
  public static Result run(long seed, int maxEpochs, int verbose) {
    SyllableData data = SyllableData.load();
    int[] train = data.indices(Split.TRAIN);
    int[] val = data.indices(Split.VALIDATION);
    int[] test = data.indices(Split.TEST);
    List<String> testWords = data.words(test);
    int[] testClasses = data.classes(test);

    System.out.printf(Locale.ROOT, "CMU Pronouncing Dictionary, %d words of 3 to %d letters (every 28th), from %s%n",
        data.size(), SyllableModel.TIMESTEPS, SyllableData.RESOURCE);
    System.out.printf(Locale.ROOT, "Classes (syllables)      %s%n", row(SyllableData.CLASS_NAMES));
    System.out.printf(Locale.ROOT, "  train      %5d words %s%n", train.length, counts(data.classes(train)));
    System.out.printf(Locale.ROOT, "  validation %5d words %s%n", val.length, counts(data.classes(val)));
    System.out.printf(Locale.ROOT, "  test       %5d words %s%n", test.length, counts(testClasses));
    System.out.printf(Locale.ROOT, "Each word: one step per letter, 26 features (one-hot a..z), right-padded to %d"
        + " steps with all-zero steps (masked)%n%n", SyllableModel.TIMESTEPS);

    UnrolledSyllableModel model = new UnrolledSyllableModel(seed);
    if (verbose > 0) {
      System.out.println(model.summary());
    }

    EarlyStopping stop = new EarlyStopping().monitor("val_loss").patience(6).restoreBestWeights(true)
        .verbose(true);
    FitConfig config = FitConfig.builder()
        .loss(new CategoricalCrossentropy())
        .optimizer(new Adam().learningRate(0.01))
        .metrics(new CategoricalAccuracy())
        .epochs(maxEpochs)
        .batchSize(32)
        .seed(seed)
        .validationData(SyllableData.encode(data.words(val), false), SyllableData.oneHot(data.classes(val)))
        .callbacks(stop)
        .verbose(verbose)
        .build();
    Tensor xTrain = SyllableData.encode(data.words(train), false);
    Tensor yTrain = SyllableData.oneHot(data.classes(train));
    long start = System.nanoTime();
    History history = Trainer.fit(model, xTrain, yTrain, config);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "Trained in %.1f s: %d epochs, best val_loss %.4f at epoch %d%n%n", seconds,
        history.epochs(), stop.best(), stop.bestEpoch() + 1);

    // the test words, which training never saw
    Tensor xTest = SyllableData.encode(testWords, false);
    Tensor probabilities = Trainer.predict(model, xTest, 64);
    int[] predicted = SyllableData.argmax(probabilities);
    int majorityClass = SyllableData.majority(data.classes(train));
    int[] majority = new int[test.length];
    java.util.Arrays.fill(majority, majorityClass);
    int[] rule = testWords.stream().mapToInt(w -> SyllableData.classOf(SyllableData.vowelGroups(w))).toArray();
    double accuracy = SyllableData.accuracy(testClasses, predicted);
    double accMajority = SyllableData.accuracy(testClasses, majority);
    double accRule = SyllableData.accuracy(testClasses, rule);
    System.out.printf(Locale.ROOT, "Test accuracy, %d words:%n", test.length);
    System.out.printf(Locale.ROOT, "  bidirectional GRU                       %5.1f%%%n", 100 * accuracy);
    System.out.printf(Locale.ROOT, "  vowel groups (a e i o u y, silent -e)   %5.1f%%%n", 100 * accRule);
    System.out.printf(Locale.ROOT, "  majority class (%s syllables)            %5.1f%%%n",
        SyllableData.CLASS_NAMES.get(majorityClass), 100 * accMajority);
    System.out.println(accuracy > accRule && accuracy > accMajority
        ? "The GRU beats both baselines." : "The GRU does NOT beat both baselines.");

    System.out.printf("%nConfusion matrix of the GRU on the test words (rows: true syllables, columns: predicted)%n");
    int[][] confusion = new int[SyllableModel.CLASSES][SyllableModel.CLASSES];
    for (int i = 0; i < test.length; i++) {
      confusion[testClasses[i]][predicted[i]]++;
    }
    System.out.printf(Locale.ROOT, "        %s%n", row(SyllableData.CLASS_NAMES));
    for (int c = 0; c < SyllableModel.CLASSES; c++) {
      List<String> cells = new ArrayList<>();
      for (int d = 0; d < SyllableModel.CLASSES; d++) {
        cells.add(Integer.toString(confusion[c][d]));
      }
      System.out.printf(Locale.ROOT, "  %-5s %s%n", SyllableData.CLASS_NAMES.get(c), row(cells));
    }

    System.out.printf("%nTest words where the GRU and the rule of thumb disagree (first 8):%n");
    int shown = 0;
    for (int i = 0; i < test.length && shown < 8; i++) {
      if (predicted[i] != rule[i]) {
        System.out.printf(Locale.ROOT, "  %-13s true %-2s  GRU %-2s (p %.2f)  vowel groups %s%n", testWords.get(i),
            SyllableData.CLASS_NAMES.get(testClasses[i]), SyllableData.CLASS_NAMES.get(predicted[i]),
            probabilities.get(i, predicted[i]), SyllableData.CLASS_NAMES.get(rule[i]));
        shown++;
      }
    }

    // the mask at work: where the padding is, and what it holds, changes nothing
    Tensor atStart = model.predict(SyllableData.encode(testWords, true));
    double startDiff = maxAbsDifference(probabilities, atStart);
    Tensor noisy = SyllableData.encode(testWords, false);
    fillPaddingWithRandomLetters(noisy, SyllableData.lengths(testWords), seed);
    Tensor withLengths = model.predictWithLengths(noisy, SyllableData.lengths(testWords), null);
    double lengthsDiff = maxAbsDifference(probabilities, withLengths);
    UnrolledSyllableModel_Unmasked unmasked = new UnrolledSyllableModel_Unmasked();
    unmasked.setWeights(model.getWeights());
    double unmaskedEnd = SyllableData.accuracy(testClasses, SyllableData.argmax(unmasked.predict(xTest)));
    double unmaskedStart = SyllableData.accuracy(testClasses,
        SyllableData.argmax(unmasked.predict(SyllableData.encode(testWords, true))));
    System.out.printf("%nThe mask at work, on the %d test words:%n", test.length);
    System.out.printf(Locale.ROOT, "  padded at the start instead of the end: largest change of a probability %.1e%n",
        startDiff);
    System.out.printf(Locale.ROOT, "  predictWithLengths, random letters in the padding: largest change %.1e%n",
        lengthsDiff);
    System.out.printf(Locale.ROOT, "  the same weights without @Masking: accuracy %.1f%% padded at the end,"
        + " %.1f%% padded at the start%n", 100 * unmaskedEnd, 100 * unmaskedStart);
    boolean finite = java.util.Arrays.stream(probabilities.data()).allMatch(Double::isFinite);
    return new Result(data.size(), test.length, accuracy, accMajority, accRule, history.epochs(), seconds,
        startDiff, lengthsDiff, unmaskedStart, finite);
  }

  /** Puts a random letter at every padded step (step t ≥ the word's length) of a right-padded batch. */
  static void fillPaddingWithRandomLetters(Tensor x, int[] lengths, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int t = SyllableModel.TIMESTEPS;
    int f = SyllableModel.FEATURES;
    for (int s = 0; s < lengths.length; s++) {
      for (int step = lengths[s]; step < t; step++) {
        x.data()[(s * t + step) * f + rng.nextInt(f)] = 1.0;
      }
    }
  }

  static double maxAbsDifference(Tensor a, Tensor b) {
    double max = 0;
    for (int i = 0; i < a.size(); i++) {
      max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
    }
    return max;
  }

  private static String counts(int[] classes) {
    int[] counts = new int[SyllableModel.CLASSES];
    for (int c : classes) {
      counts[c]++;
    }
    List<String> cells = new ArrayList<>();
    for (int n : counts) {
      cells.add(Integer.toString(n));
    }
    return row(cells);
  }

  private static String row(List<String> cells) {
    StringBuilder b = new StringBuilder();
    for (String c : cells) {
      b.append(String.format(Locale.ROOT, "%6s", c));
    }
    return b.toString();
  }
}
