package dev.unroll.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of option values that picocli's types do not express: usage errors (exit status 2). */
final class Options {
  private Options() {}

  static void requireJavaName(CommandSpec spec, String option, String value) {
    if (!value.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
      throw new ParameterException(spec.commandLine(), option + " must be a Java identifier, found '" + value + "'");
    }
  }

  static void requireNonNegative(CommandSpec spec, String option, int value) {
    if (value < 0) {
      throw new ParameterException(spec.commandLine(), option + " must be >= 0, found " + value);
    }
  }
}
