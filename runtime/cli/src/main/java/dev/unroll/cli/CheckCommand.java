package dev.unroll.cli;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.io.ModelFile;
import dev.unroll.io.ModelFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code unroll check FILE --model CLASS --classpath CP}: loads a file into a compiled model the way an
 * application would ({@link ModelFiles#load}), reporting every difference; with reference data, runs the
 * model on the inputs and reports the largest deviation from the reference outputs.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Unroll.Version.class,
    description = {"Load a file into a compiled model: every difference, or the parity on test data.",
        "Loads FILE into a compiled Unroll model, as ModelFiles.load does: every difference between"
        + " the file's architecture and the model's declaration is reported, and nothing is loaded unless all"
        + " fits and every weight is finite.",
        "With --inputs and --expected (the file's own test data: the inputs it was run on and the outputs its"
            + " framework computed), the model then predicts the inputs and the largest absolute error against"
            + " the expected outputs is reported and compared with --tolerance.",
        "Exit status 1 when the file cannot be read or does not fit, the class cannot be found, or an error"
            + " exceeds the tolerance."})
final class CheckCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  FileInput input;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "CLASS",
      description = "the model's declaration (com.acme.Forecaster) or its generated class (com.acme.UnrolledForecaster)")
  String model;

  @Option(names = {"-cp", "--classpath"}, paramLabel = "CP", defaultValue = ".",
      description = "directories and jars holding the compiled model, separated by '${sys:path.separator}'"
          + " (default: ${DEFAULT-VALUE})")
  String classpath;

  @Option(names = "--inputs", paramLabel = "X",
      description = "test inputs: a .npy of shape (batch, timesteps, features), a .csv (each sample `timesteps` rows)"
          + " or a directory of .csv files, one sample each")
  Path inputs;

  @Option(names = "--expected", paramLabel = "Y",
      description = "the reference outputs for --inputs, from the file's framework: .npy or .csv, batch x outputs values")
  Path expected;

  @Option(names = "--tolerance", paramLabel = "TOL", defaultValue = "1e-5",
      description = "the largest absolute error accepted (default: ${DEFAULT-VALUE})")
  double tolerance;

  @Override
  public Integer call() throws Exception {
    if ((inputs == null) != (expected == null)) {
      throw new ParameterException(spec.commandLine(), "--inputs and --expected go together: the parity check needs"
          + " both the test inputs and the reference outputs (found only " + (inputs != null ? "--inputs" : "--expected")
          + ")");
    }
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new ParameterException(spec.commandLine(), "--tolerance must be a finite number >= 0, found " + tolerance);
    }
    ModelFile file = input.read();
    ClassLoader loader = ModelClasses.loader(classpath);
    Class<?> type = ModelClasses.generatedClass(model, loader, classpath);
    SequenceModel m = ModelClasses.instantiate(type);
    ModelFiles.load(m, file); // throws ArchitectureMismatchException listing every difference

    PrintWriter out = spec.commandLine().getOut();
    out.println(file.file() + " (" + file.format() + ") fits " + type.getName() + ": " + count(m.layers().size(), "layer")
        + ", " + KerasSummary.count(m.paramCount()) + " parameters loaded");
    for (String n : file.notes()) {
      out.println("Note: " + n);
    }
    if (inputs == null) {
      out.println("Parity: not checked (give the file's test data with --inputs X --expected Y)");
      out.flush();
      return 0;
    }
    int[] in = m.inputShape();
    TestData.Inputs x = TestData.inputs(inputs, in[0], in[1]);
    double[] want = TestData.expected(expected);
    Tensor y = m.predict(x.x());
    int batch = x.x().dim(0);
    int perSample = y.size() / batch;
    if (want.length != y.size()) {
      throw new CliException("expected outputs " + expected + ": " + want.length + " values, the model gives "
          + y.size() + " for the " + count(batch, "sample") + " of " + inputs + " (" + batch + " x "
          + perSample + ", output shape " + Tensor.format(m.outputShape()) + " per sample)");
    }
    for (String n : x.notes()) {
      out.println("Note: " + n);
    }
    double worst = 0;
    int at = 0;
    for (int i = 0; i < want.length; i++) {
      double d = Math.abs(y.data()[i] - want[i]);
      if (!(d <= worst)) { // NaN counts as the worst
        worst = d;
        at = i;
        if (Double.isNaN(d)) {
          break;
        }
      }
    }
    boolean pass = worst <= tolerance;
    out.println(String.format(Locale.ROOT, "Parity on %s: max |Unroll - expected| = %.3g at sample %d, output %d"
        + " (tolerance %.3g): %s", count(batch, "sample"), worst, at / perSample, at % perSample, tolerance,
        pass ? "PASS" : "FAIL"));
    out.flush();
    if (!pass) {
      spec.commandLine().getErr().println(String.format(Locale.ROOT, "unroll check: %s: the model computes %s"
          + " for sample %d, output %d; expected %s (error %.3g > tolerance %.3g)", file.file(), y.data()[at],
          at / perSample, at % perSample, want[at], worst, tolerance));
      return CliException.FAILED;
    }
    return 0;
  }

  private static String count(long n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}
