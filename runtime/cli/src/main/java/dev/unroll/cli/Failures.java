package dev.unroll.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns what a command throws into a message on stderr and exit status 1: a file that cannot be read,
 * does not fit, or a class that cannot be found. Anything else is a bug in Unroll: its trace is printed
 * too.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    String prefix = cl.getCommandName().equals("unroll") ? "unroll: " : "unroll " + cl.getCommandName() + ": ";
    if (e instanceof CliException || e instanceof IOException) {
      cl.getErr().println(prefix + message(e));
    } else {
      cl.getErr().println(prefix + "internal error, please report it: " + e);
      e.printStackTrace(cl.getErr());
    }
    cl.getErr().flush();
    return CliException.FAILED;
  }

  /** The message of an I/O failure, naming the file. */
  static String message(Exception e) {
    if (e instanceof NoSuchFileException n) {
      String reason = n.getReason();
      return n.getFile() + ": " + (reason == null ? "no such file" : reason);
    }
    if (e instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
