package dev.unroll.cli;

import dev.unroll.io.DeclarationPrinter;
import dev.unroll.io.ModelFile;
import dev.unroll.io.ModelFiles;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code unroll diagram FILE|CLASS -o x.svg}: the picture of a model that the Unroll processor draws.
 *
 * <p>The command line draws nothing itself: the processor writes {@code Unrolled<Type>.svg} beside each
 * generated class (a class-output resource). For a CLASS the command copies that resource from
 * --classpath. For a FILE it compiles the file's declaration (what {@code declare} prints) with the
 * processor in this jar ({@code javac -proc:only}, in memory, so a JDK is needed) and copies the SVG the
 * processor wrote. When the processor wrote none (a processor without the diagram writer, or one run
 * with {@code -Aunroll.diagrams=false}), the command says that diagrams are not available and exits with
 * status 1. All of the command line's dependence on the diagram writer is in this class.
 */
@Command(name = "diagram", mixinStandardHelpOptions = true, versionProvider = Unroll.Version.class,
    description = {"Write the SVG picture of a model.",
        "The picture is the one the Unroll processor draws beside each generated class (Unrolled<Type>.svg): the"
            + " network unrolled over time, the cell's gates with this model's shapes, the layer stack with output"
            + " shapes and parameter counts.",
        "For a CLASS (a declaration or its generated class on --classpath), copies that picture. For a FILE,"
            + " compiles the file's declaration with the processor in this jar (needs a JDK) and copies the"
            + " picture it draws.",
        "Exit status 1 when the picture is not available (a processor without diagrams), the file cannot be"
            + " read or declared, or the class cannot be found."})
final class DiagramCommand implements Callable<Integer> {
  /** The interface the declaration of a FILE is compiled as (default package). */
  private static final String TYPE = "Model";

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

  @Option(names = "--config", paramLabel = "JSON",
      description = "for a FILE: the model's configuration (model.to_json()), for a Keras save_weights file")
  Path config;

  @Option(names = "--timesteps", paramLabel = "N", defaultValue = "0",
      description = "for a FILE: the sequence length, where the file does not state it")
  int timesteps;

  @Override
  public Integer call() throws Exception {
    Options.requireNonNegative(spec, "--timesteps", timesteps);
    Path asFile = asPath(target);
    String drawn;
    if (asFile != null && Files.isRegularFile(asFile)) {
      drawn = fromFile(asFile);
    } else if (looksLikeFile(target)) {
      throw new NoSuchFileException(target, null, "no such file");
    } else {
      drawn = fromClass();
    }
    spec.commandLine().getOut().println("Wrote " + output + " (" + Files.size(output) + " bytes): the diagram of "
        + drawn);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private String fromClass() throws IOException, CliException {
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
    try (InputStream in = svg.openStream()) {
      write(in);
    }
    return generated.getName();
  }

  private String fromFile(Path file) throws IOException, CliException {
    ModelFile model = ModelFiles.read(file, config);
    if (!DeclarationPrinter.declarable(model)) {
      throw new CliException(model.file() + ": Unroll cannot declare every layer of this file, so there is no model"
          + " to draw (unroll declare " + target + " shows what is left out)");
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new CliException("diagram of a model file needs a JDK: it compiles the file's declaration with the Unroll"
          + " processor, and this Java (" + System.getProperty("java.home") + ") has no compiler. Run it with a"
          + " JDK, or compile the declaration (unroll declare) and run: unroll diagram <class> --classpath <classes>");
    }
    String source = DeclarationPrinter.declaration(model, TYPE, timesteps);
    Path work = Files.createTempDirectory("unroll-diagram");
    try {
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
          StandardCharsets.UTF_8)) {
        files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(work));
        files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(work));
        files.setLocationFromPaths(StandardLocation.CLASS_PATH, classPathOfThisJar());
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + TYPE + ".java"),
            JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return source;
          }
        };
        JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, List.of("-proc:only"), null,
            List.of(unit));
        task.setProcessors(unrollProcessors());
        if (!task.call()) {
          List<String> errors = new ArrayList<>();
          for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
              errors.add(d.getMessage(Locale.ROOT));
            }
          }
          throw new CliException(model.file() + ": the Unroll processor refused the file's declaration: "
              + String.join("; ", errors) + "\n" + source);
        }
      }
      if (!Files.isRegularFile(work.resolve("Unrolled" + TYPE + ".java"))) {
        throw new CliException(model.file() + ": the Unroll processor in this jar generated no class for the file's"
            + " declaration, so it drew no picture:\n" + source);
      }
      Path svg = work.resolve("Unrolled" + TYPE + ".svg");
      if (!Files.isRegularFile(svg)) {
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
          String note = d.getMessage(Locale.ROOT);
          if (d.getKind() == Diagnostic.Kind.NOTE && note.contains("no picture written")) {
            // the processor draws this model's kind of stack not yet, and says why
            throw new CliException(model.file() + ": " + note);
          }
        }
        throw new CliException("diagram of a model file is not available in this build: the Unroll processor in"
            + " this jar compiled the file's declaration but wrote no Unrolled" + TYPE + ".svg (it has no diagram"
            + " writer)");
      }
      try (InputStream in = Files.newInputStream(svg)) {
        write(in);
      }
      return model.file() + " (" + model.format() + ")";
    } finally {
      deleteTree(work);
    }
  }

  private void write(InputStream svg) throws IOException {
    Path dir = output.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Files.copy(svg, output, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The Unroll processor of this jar (registered as a service), and no other. */
  private static List<Processor> unrollProcessors() throws CliException {
    List<Processor> out = new ArrayList<>();
    for (Processor p : ServiceLoader.load(Processor.class, DiagramCommand.class.getClassLoader())) {
      if (p.getClass().getName().startsWith("dev.unroll.")) {
        out.add(p);
      }
    }
    if (out.isEmpty()) {
      throw new CliException("diagram of a model file is not available in this build: this jar has no Unroll"
          + " processor");
    }
    return out;
  }

  /** What javac needs to resolve {@code @Lstm} and {@code @Dense}: this jar (or, in development, its class path). */
  private static List<Path> classPathOfThisJar() {
    List<Path> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        out.add(Path.of(e));
      }
    }
    return out;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
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
