package dev.unroll.cli;

import dev.unroll.Tensor;
import dev.unroll.io.Npz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reference data for {@code check}: the inputs a file's model was run on and the outputs it gave, as the
 * project's real-file tests keep them (e.g. dl4j's {@code data/sequences/*.csv} and {@code predictions.npy}).
 *
 * <p>Inputs: a {@code .npy} array of shape (batch, timesteps, features) or (timesteps, features); a CSV
 * file whose rows are timesteps, every {@code timesteps} rows one sample; or a directory of such CSV
 * files, one sample each, taken in the numeric order of their names. CSV cells are separated by
 * {@code ,}, {@code ;}, tabs or spaces; rows with more cells than the model has features are read from
 * their first {@code features} cells (said in a note). Expected outputs: a {@code .npy} array or a CSV
 * file holding batch × output values, row-major.
 */
final class TestData {
  private static final Pattern SEPARATOR = Pattern.compile("[,;\\t ]+");
  private static final long MAX_BYTES = 256L << 20;

  private TestData() {}

  /** Inputs, shaped (batch, timesteps, features), and what was noticed reading them. */
  record Inputs(Tensor x, List<String> notes) {}

  static Inputs inputs(Path path, int timesteps, int features) throws IOException, CliException {
    List<String> notes = new ArrayList<>();
    if (Files.isDirectory(path)) {
      List<Path> csvs;
      try (Stream<Path> s = Files.list(path)) {
        csvs = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"))
            .sorted(NUMERIC_ORDER).toList();
      }
      if (csvs.isEmpty()) {
        throw new CliException("inputs " + path + ": a directory without .csv files");
      }
      Tensor x = Tensor.zeros(csvs.size(), timesteps, features);
      int[] widest = {0};
      for (int b = 0; b < csvs.size(); b++) {
        List<double[]> rows = csv(csvs.get(b));
        if (rows.size() != timesteps) {
          throw new CliException("inputs " + csvs.get(b) + ": " + rows.size() + " rows, the model reads "
              + timesteps + " timesteps");
        }
        fill(x, b, rows, features, csvs.get(b), widest);
      }
      notes.add(csvs.size() + " samples from the .csv files of " + path + " in numeric order");
      noteColumns(notes, widest[0], features);
      return new Inputs(x, notes);
    }
    String lower = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
    if (lower.endsWith(".npy")) {
      Tensor t = Npz.readNpy(bytes(path));
      int[] s = t.shape();
      if (s.length == 2 && s[0] == timesteps && s[1] == features) {
        return new Inputs(Tensor.wrap(t.data(), 1, timesteps, features), notes);
      }
      if (s.length != 3 || s[1] != timesteps || s[2] != features || s[0] < 1) {
        throw new CliException("inputs " + path + ": shape " + Tensor.format(s) + ", the model reads (batch, "
            + timesteps + ", " + features + ")");
      }
      return new Inputs(t, notes);
    }
    if (lower.endsWith(".csv") || lower.endsWith(".txt")) {
      List<double[]> rows = csv(path);
      if (rows.isEmpty() || rows.size() % timesteps != 0) {
        throw new CliException("inputs " + path + ": " + rows.size() + " rows, not a multiple of the model's "
            + timesteps + " timesteps (each sample is " + timesteps + " rows)");
      }
      int batch = rows.size() / timesteps;
      Tensor x = Tensor.zeros(batch, timesteps, features);
      int[] widest = {0};
      for (int b = 0; b < batch; b++) {
        fill(x, b, rows.subList(b * timesteps, (b + 1) * timesteps), features, path, widest);
      }
      noteColumns(notes, widest[0], features);
      return new Inputs(x, notes);
    }
    throw new CliException("inputs " + path + ": not a .npy file, a .csv file or a directory of .csv files");
  }

  /** The expected outputs, flat, row-major. */
  static double[] expected(Path path) throws IOException, CliException {
    String lower = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
    if (lower.endsWith(".npy")) {
      return Npz.readNpy(bytes(path)).data();
    }
    if (lower.endsWith(".csv") || lower.endsWith(".txt")) {
      List<Double> all = new ArrayList<>();
      for (double[] row : csv(path)) {
        for (double v : row) {
          all.add(v);
        }
      }
      return all.stream().mapToDouble(Double::doubleValue).toArray();
    }
    throw new CliException("expected outputs " + path + ": not a .npy or .csv file");
  }

  private static void fill(Tensor x, int b, List<double[]> rows, int features, Path from, int[] widest)
      throws CliException {
    for (int t = 0; t < rows.size(); t++) {
      double[] row = rows.get(t);
      if (row.length < features) {
        throw new CliException("inputs " + from + ": row " + (t + 1) + " has " + row.length + " values, the model"
            + " reads " + features + " features");
      }
      widest[0] = Math.max(widest[0], row.length);
      for (int f = 0; f < features; f++) {
        x.set(row[f], b, t, f);
      }
    }
  }

  private static void noteColumns(List<String> notes, int widest, int features) {
    if (widest > features) {
      notes.add("rows have " + widest + " values; the model's " + features + " features are the first " + features);
    }
  }

  /** The numeric rows of a CSV file; a first row that is not numeric is taken as a header and skipped. */
  private static List<double[]> csv(Path path) throws IOException, CliException {
    List<double[]> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(checkSize(path), StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] cells = SEPARATOR.split(line);
      double[] row = new double[cells.length];
      try {
        for (int c = 0; c < cells.length; c++) {
          row[c] = Double.parseDouble(cells[c]);
        }
      } catch (NumberFormatException e) {
        if (rows.isEmpty() && i == firstContentLine(lines)) {
          continue; // a header
        }
        throw new CliException(path + ": line " + (i + 1) + " is not numbers: " + abbreviate(line), e);
      }
      rows.add(row);
    }
    return rows;
  }

  private static int firstContentLine(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] bytes(Path path) throws IOException {
    return Files.readAllBytes(checkSize(path));
  }

  private static Path checkSize(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new NoSuchFileException(path.toString(), null, "no such file");
    }
    long size = Files.size(path);
    if (size > MAX_BYTES) {
      throw new IOException(path + ": " + size + " bytes, more than the " + (MAX_BYTES >> 20)
          + " MiB that check reads as reference data");
    }
    return path;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /** 2.csv before 10.csv; names that are not numbers after those, alphabetically. */
  private static final Comparator<Path> NUMERIC_ORDER = Comparator
      .comparingLong((Path p) -> number(p))
      .thenComparing(p -> p.getFileName().toString());

  private static long number(Path p) {
    String n = p.getFileName().toString();
    n = n.substring(0, n.length() - 4);
    return n.matches("\\d{1,18}") ? Long.parseLong(n) : Long.MAX_VALUE;
  }
}
