package dev.unroll.cli;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code unroll diagram FILE|CLASS -o x.svg}: the picture of a model that the processor draws.
 *
 * <p>The SVG is drawn by the processor's diagram writer, which takes the processor's model spec; the
 * command line does not draw one of its own. For a CLASS, the command copies the {@code Unrolled<Type>.svg}
 * that the processor writes beside each generated class (a class-output resource), found on --classpath.
 * For a FILE it needs that writer in this jar, and this build does not have it: the command says so and
 * exits with status 1. All of the command's dependence on the writer is in this class.
 */
@Command(name = "diagram", mixinStandardHelpOptions = true, versionProvider = Unroll.Version.class,
    description = {"Write the SVG picture of a model.",
        "Writes the SVG picture of a model: the network unrolled over time, the cell's gates with this"
        + " model's shapes, the layer stack with output shapes and parameter counts.",
        "For a CLASS (a declaration or its generated class on --classpath), copies the Unrolled<Type>.svg the"
            + " processor wrote beside the class. For a FILE, diagrams are not available in this build.",
        "Exit status 1 when the picture is not available or the class cannot be found."})
final class DiagramCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE|CLASS",
      description = "a model file, or the model's declaration or generated class (fully qualified)")
  String target;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "SVG", description = "the .svg file to write")
  Path output;

  @Option(names = {"-cp", "--classpath"}, paramLabel = "CP", defaultValue = ".",
      description = "directories and jars holding the compiled model, for a CLASS (default: ${DEFAULT-VALUE})")
  String classpath;

  @Override
  public Integer call() throws Exception {
    Path asFile = asPath(target);
    if (asFile != null && Files.isRegularFile(asFile)) {
      throw new CliException("diagram of a model file is not available in this build: the SVG is drawn by the"
          + " Unroll processor's diagram writer, which this jar does not include. Declare the model (unroll"
          + " declare " + target + "), compile it with the processor, and run: unroll diagram <declaration class>"
          + " --classpath <classes> -o " + output);
    }
    if (looksLikeFile(target)) {
      throw new NoSuchFileException(target, null, "no such file");
    }
    ClassLoader loader = ModelClasses.loader(classpath);
    Class<?> generated = ModelClasses.generatedClass(target, loader, classpath);
    String resource = generated.getName().replace('.', '/') + ".svg";
    URL svg = loader.getResource(resource);
    if (svg == null) {
      throw new CliException("diagram of " + generated.getName() + " is not available: " + resource + " is not"
          + " beside the class on the class path (" + classpath + "). The processor writes it with the generated"
          + " class when it has the diagram writer and runs without -Aunroll.diagrams=false; the processor that"
          + " compiled this class did not write one.");
    }
    Path dir = output.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    try (InputStream in = svg.openStream()) {
      Files.copy(in, output, StandardCopyOption.REPLACE_EXISTING);
    }
    spec.commandLine().getOut().println("Wrote " + output + " (" + Files.size(output) + " bytes): the diagram of "
        + generated.getName());
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static Path asPath(String s) {
    try {
      return Path.of(s);
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  /** A name with a file's extension or a path separator, not a class name. */
  private static boolean looksLikeFile(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    return s.contains("/") || s.contains("\\") || lower.endsWith(".h5") || lower.endsWith(".hdf5")
        || lower.endsWith(".keras") || lower.endsWith(".safetensors") || lower.endsWith(".npz");
  }
}
