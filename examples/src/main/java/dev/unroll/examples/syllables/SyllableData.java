package dev.unroll.examples.syllables;

import dev.unroll.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words of the CMU Pronouncing Dictionary with their number of syllables, and their encoding for
 * {@link SyllableCount}: one step per letter, one-hot over a..z, padded to
 * {@link SyllableModel#TIMESTEPS} steps with all-zero steps (the mask value).
 *
 * <p>A word's number of syllables is the number of vowel phonemes in its (first) pronunciation:
 * AA AE AH AO AW AY EH ER EY IH IY OW OY UH UW. The classes are 1, 2, 3, 4 and 5 or more (index 0..4).
 */
public final class SyllableData {
  /** The subset on the class path, with its source, selection rule and licence in README.md beside it. */
  public static final String RESOURCE = "/syllables/cmudict-subset.txt";

  /** The class names, by index. */
  public static final List<String> CLASS_NAMES = List.of("1", "2", "3", "4", "5+");

  private static final Set<String> VOWELS =
      Set.of("AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW");

  /** The words, lower case, in the file's (alphabetical) order. */
  public final List<String> words;

  /** The class of each word: its syllables − 1, at most 4. */
  public final int[] classes;

  private SyllableData(List<String> words, int[] classes) {
    this.words = words;
    this.classes = classes;
  }

  /** Reads {@link #RESOURCE}: lines {@code word PHONE PHONE ...}. */
  public static SyllableData load() {
    try (InputStream in = SyllableData.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      List<String> words = new ArrayList<>();
      List<Integer> classes = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] parts = line.trim().split(" ");
        String word = parts[0];
        if (!word.matches("[a-z]{1," + SyllableModel.TIMESTEPS + "}")) {
          throw new IllegalStateException(RESOURCE + ": a word must be 1 to " + SyllableModel.TIMESTEPS
              + " letters a..z, found \"" + word + "\"");
        }
        int syllables = 0;
        for (int i = 1; i < parts.length; i++) {
          if (VOWELS.contains(parts[i])) {
            syllables++;
          }
        }
        words.add(word);
        classes.add(classOf(Math.max(syllables, 1)));
      }
      return new SyllableData(List.copyOf(words), classes.stream().mapToInt(Integer::intValue).toArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The number of words. */
  public int size() {
    return words.size();
  }

  /** The class (0..4) of a number of syllables (1, 2, 3, 4, 5 or more). */
  public static int classOf(int syllables) {
    return Math.min(syllables, 5) - 1;
  }

  /** Which split word i belongs to: i mod 10 = 0 and 5 test, 1 validation, the rest training. */
  public enum Split {
    TRAIN, VALIDATION, TEST;

    static Split of(int i) {
      int r = i % 10;
      return r == 0 || r == 5 ? TEST : r == 1 ? VALIDATION : TRAIN;
    }
  }

  /** The indices of the words of a split, in file order. */
  public int[] indices(Split split) {
    return java.util.stream.IntStream.range(0, size()).filter(i -> Split.of(i) == split).toArray();
  }

  /** The words of the given indices. */
  public List<String> words(int[] indices) {
    List<String> out = new ArrayList<>(indices.length);
    for (int i : indices) {
      out.add(words.get(i));
    }
    return out;
  }

  /** The classes of the given indices. */
  public int[] classes(int[] indices) {
    int[] out = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      out[k] = classes[indices[k]];
    }
    return out;
  }

  /**
   * Words as (n, 12, 26), one step per letter, one-hot; every other step is all zeros (padding): at
   * the end (the word starts at step 0), or with {@code padAtStart} at the start (the word ends at the
   * last step).
   */
  public static Tensor encode(List<String> words, boolean padAtStart) {
    int t = SyllableModel.TIMESTEPS;
    int f = SyllableModel.FEATURES;
    double[] x = new double[words.size() * t * f];
    for (int s = 0; s < words.size(); s++) {
      String w = words.get(s);
      int start = padAtStart ? t - w.length() : 0;
      for (int i = 0; i < w.length(); i++) {
        x[(s * t + start + i) * f + (w.charAt(i) - 'a')] = 1.0;
      }
    }
    return Tensor.wrap(x, words.size(), t, f);
  }

  /** The length of each word, for {@code predictWithLengths}. */
  public static int[] lengths(List<String> words) {
    return words.stream().mapToInt(String::length).toArray();
  }

  /** One-hot targets (n, 5). */
  public static Tensor oneHot(int[] classes) {
    double[] y = new double[classes.length * SyllableModel.CLASSES];
    for (int s = 0; s < classes.length; s++) {
      y[s * SyllableModel.CLASSES + classes[s]] = 1.0;
    }
    return Tensor.wrap(y, classes.length, SyllableModel.CLASSES);
  }

  private static final Pattern VOWEL_GROUP = Pattern.compile("[aeiouy]+");

  /**
   * The rule of thumb: count the groups of consecutive vowels (a, e, i, o, u, y), less one for a
   * final silent "e" (not "-le"), at least one.
   */
  public static int vowelGroups(String word) {
    Matcher m = VOWEL_GROUP.matcher(word);
    int groups = 0;
    while (m.find()) {
      groups++;
    }
    if (groups > 1 && word.endsWith("e") && !word.endsWith("le")) {
      groups--;
    }
    return Math.max(groups, 1);
  }

  /** The most frequent class among the given ones (the lowest index on a tie). */
  public static int majority(int[] classes) {
    int[] counts = new int[SyllableModel.CLASSES];
    for (int c : classes) {
      counts[c]++;
    }
    int best = 0;
    for (int c = 1; c < counts.length; c++) {
      if (counts[c] > counts[best]) {
        best = c;
      }
    }
    return best;
  }

  /** The index of the largest value of each row of (n, classes). */
  public static int[] argmax(Tensor probabilities) {
    int n = probabilities.dim(0);
    int k = probabilities.dim(1);
    double[] p = probabilities.data();
    int[] out = new int[n];
    for (int s = 0; s < n; s++) {
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (p[s * k + c] > p[s * k + best]) {
          best = c;
        }
      }
      out[s] = best;
    }
    return out;
  }

  /** The fraction of equal entries. */
  public static double accuracy(int[] actual, int[] predicted) {
    int right = 0;
    for (int i = 0; i < actual.length; i++) {
      if (actual[i] == predicted[i]) {
        right++;
      }
    }
    return (double) right / actual.length;
  }
}
