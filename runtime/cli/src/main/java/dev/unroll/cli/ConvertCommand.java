package dev.unroll.cli;

import dev.unroll.Tensor;
import dev.unroll.io.FileLayer;
import dev.unroll.io.ModelFile;
import dev.unroll.io.Npz;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code unroll convert FILE -o weights.npz}: a file's weights in the order and shapes of Keras
 * {@code model.get_weights()}, as {@code numpy.savez(path, *model.get_weights())} writes them.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, versionProvider = Unroll.Version.class,
    description = {"Write the weights of a file to .npz in Keras get_weights() order.",
        "Writes the weights of FILE to an .npz file in the order and shapes of Keras"
        + " model.get_weights() (PyTorch and Keras 1 layouts converted), as numpy.savez(path, *weights) names them:"
        + " arr_0, arr_1, ... In Python: w = numpy.load(path); model.set_weights([w[f'arr_{i}'] for i in"
        + " range(len(w.files))]). Values are float64.",
        "Exit status 1 when the file cannot be read or has weights of a layer Unroll does not know."})
final class ConvertCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  FileInput input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "NPZ", description = "the .npz file to write")
  Path output;

  @Option(names = "--compressed", description = "deflate the entries, as numpy.savez_compressed")
  boolean compressed;

  @Override
  public Integer call() throws Exception {
    if (!String.valueOf(output.getFileName()).endsWith(".npz")) {
      throw new ParameterException(spec.commandLine(), "-o must name an .npz file, found " + output);
    }
    if (Files.exists(input.file) && Files.exists(output) && Files.isSameFile(input.file, output)) {
      throw new ParameterException(spec.commandLine(), "-o " + output + " is FILE itself; write to another file");
    }
    ModelFile file = input.read();
    List<Tensor> weights = file.weights(); // refuses layers with weights Unroll does not know
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    PrintWriter out = spec.commandLine().getOut();
    int i = 0;
    for (FileLayer l : file.layers()) {
      List<String> names = arrayNames(l);
      for (int w = 0; w < l.weights().size(); w++) {
        Tensor t = weights.get(i);
        String key = "arr_" + i;
        arrays.put(key, t);
        out.printf("%-7s %-24s %s%n", key, l.name() + " " + names.get(w), Tensor.format(t.shape()));
        i++;
      }
    }
    if (arrays.isEmpty()) {
      throw new CliException(file.file() + ": no weights to convert");
    }
    Npz.write(output, arrays, compressed);
    out.println("Wrote " + arrays.size() + " arrays, " + KerasSummary.count(file.paramCount()) + " weights ("
        + file.format() + ") to " + output);
    out.flush();
    return 0;
  }

  /** The Keras names of a layer's arrays, in get_weights() order. */
  private static List<String> arrayNames(FileLayer l) {
    List<String> names = l.isLstm() || l.isGru() ? List.of("kernel", "recurrent_kernel", "bias")
        : "Dense".equals(l.kind()) ? List.of("kernel", "bias") : List.of();
    if (l.isBidirectional() && l.wrapped() != null) {
      String cell = l.wrapped().toLowerCase(java.util.Locale.ROOT);
      names = new java.util.ArrayList<>();
      for (String direction : List.of("forward_", "backward_")) {
        names.add(direction + cell + "/kernel");
        names.add(direction + cell + "/recurrent_kernel");
        if (l.useBias()) {
          names.add(direction + cell + "/bias");
        }
      }
    }
    if (names.size() == l.weights().size() + 1 && !l.useBias()) {
      names = names.subList(0, names.size() - 1);
    }
    if (names.size() != l.weights().size()) {
      names = new java.util.ArrayList<>();
      for (int w = 0; w < l.weights().size(); w++) {
        names.add("[" + w + "]");
      }
    }
    return names;
  }
}
