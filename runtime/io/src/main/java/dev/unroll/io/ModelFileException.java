package dev.unroll.io;

import java.io.IOException;

/**
 * A weight file cannot be used: it is truncated or corrupt, its layout is not one Unroll reads, it
 * holds layers Unroll does not have, or (as {@link ArchitectureMismatchException}) it describes
 * another model than the one it is loaded into. The message names the file and, where there is one,
 * the layer.
 */
public class ModelFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** @param message names the file and what is wrong */
  public ModelFileException(String message) {
    super(message);
  }

  /**
   * @param message names the file and what is wrong
   * @param cause the error of the underlying reader
   */
  public ModelFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
