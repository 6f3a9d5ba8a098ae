package dev.unroll.examples.bench;

import java.util.Arrays;
import java.util.List;

/**
 * EXPERIMENT: which phase-2 changes the ExpTuned* copies apply, from the system property
 * {@code exp.levers} ("none", "all", or a comma list of rows, act, back, grad, proj) read once when this class is
 * initialised. Static finals, so C2 removes the branches not taken.
 */
final class ExpLevers {
  private ExpLevers() {}

  static final String SPEC = System.getProperty("exp.levers", "none");
  private static final List<String> ON = Arrays.asList(SPEC.split("[,+]"));
  static final boolean ROWS = on("rows");
  static final boolean ACT = on("act");
  static final boolean BACK = on("back");
  static final boolean GRAD = on("grad");
  static final boolean PROJ = on("proj");

  private static boolean on(String lever) {
    return ON.contains("all") || ON.contains(lever);
  }
}
