package dev.unroll.cli;

import static dev.unroll.cli.Jar.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Help, version, completion and usage errors (exit status 2, picocli's convention). */
class UsageIT {
  @Test
  void versionNamesTheBuildsVersion() {
    Jar.Run r = run("--version").exits(0);
    assertEquals("unroll " + System.getProperty("unroll.version"), r.out().lines().findFirst().orElse(""), r.out());
  }

  @Test
  void helpListsEveryCommandAndTheExitStatuses() {
    Jar.Run r = run("--help").exits(0);
    for (String c : new String[] {"declare", "summary", "check", "convert", "diagram", "completion"}) {
      r.outContains("  " + c + " ");
    }
    r.outContains("2  usage error");
    assertTrue(r.err().isEmpty(), r.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"declare", "summary", "check", "convert", "diagram", "completion"})
  void everyCommandHasHelp(String command) {
    Jar.Run r = run(command, "--help").exits(0);
    assertTrue(r.out().startsWith("Usage: unroll " + command + " "), r.out());
  }

  @Test
  void noCommandIsAUsageError() {
    run().exits(2).errContains("Missing required command").errContains("Usage: unroll");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    run("predict", "x.h5").exits(2).errContains("Unmatched arguments from index 0: 'predict'");
    run("sumary", "x.h5").exits(2).errContains("Did you mean: unroll summary")
        .errContains("Try 'unroll --help' for more information.");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    Jar.Run r = run("summary", "--bogus", "x.h5").exits(2).errContains("Unknown option: '--bogus'")
        .errContains("Usage: unroll summary [-hV] [--config=JSON] [--name=NAME] [--timesteps=N] FILE\n")
        .errContains("Try 'unroll summary --help' for more information.");
    assertTrue(r.out().isEmpty(), r.out());
  }

  @Test
  void aMissingFileParameterIsAUsageError() {
    Jar.Run r = run("declare").exits(2).errContains("Missing required parameter: 'FILE'");
    assertTrue(r.out().isEmpty(), r.out());
  }

  @Test
  void aBadOptionValueIsAUsageError() {
    run("declare", "--timesteps", "many", "x.h5").exits(2)
        .errContains("Invalid value for option '--timesteps': 'many' is not an int");
    run("declare", "--name", "not a name", "x.h5").exits(2)
        .errContains("--name must be a Java identifier, found 'not a name'");
    run("summary", "--timesteps", "-3", "x.h5").exits(2).errContains("--timesteps must be >= 0, found -3");
  }

  @Test
  void completionPrintsABashScriptForEveryCommand() {
    Jar.Run r = run("completion").exits(0);
    r.outContains("complete -F _complete_unroll");
    for (String c : new String[] {"declare", "summary", "check", "convert", "diagram"}) {
      r.outContains(c);
    }
    r.outContains("--classpath").outContains("--tolerance");
  }
}
