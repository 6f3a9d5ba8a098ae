package dev.unroll.cli;

/** A command failed for a reason its message states (exit status 1); no trace is printed. */
final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The exit status of a command whose file cannot be read or does not fit. */
  static final int FAILED = 1;

  CliException(String message) {
    super(message);
  }

  CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
