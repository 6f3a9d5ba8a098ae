package dev.unroll.cli;

import dev.unroll.io.ModelFile;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code unroll summary FILE}: the Keras {@code model.summary()} table of a file's model. */
@Command(name = "summary", mixinStandardHelpOptions = true, versionProvider = Unroll.Version.class,
    description = {"Print the Keras-style summary of a model file.",
        "Prints the Keras-style summary of the model in FILE, as model.summary() prints it: each"
        + " layer with its output shape and parameter count, and the totals; then the file's format and notes.",
        "Exit status 1 when the file cannot be read."})
final class SummaryCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  FileInput input;

  @Option(names = "--name", paramLabel = "NAME",
      description = "the model's name in the first line (default: the file's name)")
  String name;

  @Option(names = "--timesteps", paramLabel = "N", defaultValue = "0",
      description = "the sequence length to show where the file does not state it")
  int timesteps;

  @Override
  public Integer call() throws Exception {
    Options.requireNonNegative(spec, "--timesteps", timesteps);
    ModelFile file = input.read();
    KerasSummary.Result summary = KerasSummary.of(file, name != null ? name : file.file(), timesteps);
    PrintWriter out = spec.commandLine().getOut();
    out.print(summary.table());
    out.println("Format: " + file.format());
    for (String r : summary.remarks()) {
      out.println("Note: " + r);
    }
    for (String n : file.notes()) {
      out.println("Note: " + n);
    }
    for (String p : file.problems()) {
      out.println("Not supported by Unroll: " + p);
    }
    out.flush();
    return 0;
  }
}
