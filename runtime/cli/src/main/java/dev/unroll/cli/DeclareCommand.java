package dev.unroll.cli;

import dev.unroll.io.DeclarationPrinter;
import dev.unroll.io.ModelFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code unroll declare FILE}: the {@code @Lstm}/{@code @Dense} declaration of a file's model. */
@Command(name = "declare", mixinStandardHelpOptions = true, versionProvider = Unroll.Version.class,
    description = {"Print the @Lstm/@Dense declaration of a model file.",
        "Prints the Unroll declaration of the model in FILE, with each layer's output shape and"
        + " parameter count: paste it, compile, and load the file into the generated class.",
        "Exit status 1 when the file cannot be read, or has layers Unroll cannot declare (the declaration"
            + " is printed all the same, marking what it leaves out)."})
final class DeclareCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  FileInput input;

  @Option(names = "--name", paramLabel = "TYPE", defaultValue = "Model",
      description = "the name of the declared interface (default: ${DEFAULT-VALUE})")
  String name;

  @Option(names = "--timesteps", paramLabel = "N", defaultValue = "0",
      description = "the sequence length to declare where the file does not state it (PyTorch files, Keras"
          + " models built for any length)")
  int timesteps;

  @Override
  public Integer call() throws Exception {
    Options.requireJavaName(spec, "--name", name);
    Options.requireNonNegative(spec, "--timesteps", timesteps);
    ModelFile file = input.read();
    spec.commandLine().getOut().print(DeclarationPrinter.declaration(file, name, timesteps));
    spec.commandLine().getOut().flush();
    if (!DeclarationPrinter.declarable(file)) {
      spec.commandLine().getErr().println("unroll declare: " + file.file() + ": Unroll cannot declare every layer"
          + " of this file; the declaration printed leaves out what is marked NOT DECLARED and does not compute"
          + " what the file's model computes");
      return CliException.FAILED;
    }
    return 0;
  }
}
