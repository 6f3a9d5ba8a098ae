package dev.unroll.io;

/**
 * The memory one read may spend on arrays: every reader claims an array's values here, from the shape
 * its header states, before it allocates them, so that no file (inflated zip entries, huge shapes or
 * counts) makes a read allocate more than the limit plus a small constant. Not thread-safe: one per read.
 */
final class ReadBudget {
  /** Headers, configurations and HDF5 metadata a reader may hold besides the arrays. */
  static final long SLACK_BYTES = 4L << 20;

  private final long limitBytes;
  private final String reason;
  private long usedBytes;

  private ReadBudget(long limitBytes, String reason) {
    this.limitBytes = limitBytes;
    this.reason = reason;
  }

  /** The budget of {@link ModelFiles#read(java.nio.file.Path, java.nio.file.Path, long)}. */
  static ReadBudget ofLimit(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be > 0, found " + maxBytes);
    }
    return new ReadBudget(maxBytes, "the read limit of " + maxBytes + " bytes (ModelFiles.read(file, config,"
        + " maxBytes) raises it)");
  }

  /**
   * The budget of a checked load: room for the model's weights four times over (a PyTorch LSTM's two
   * biases, and the optimizer variables a Keras 3 file may hold beside them), as float64, plus
   * {@link #SLACK_BYTES}, so that a file of a somewhat larger model is still read whole and its
   * differences from the model reported.
   */
  static ReadBudget ofModel(long paramCount) {
    long bytes = Math.max(1, paramCount) * 8L * 4L + SLACK_BYTES;
    return new ReadBudget(bytes, "four times the " + paramCount + " weights the model declares, as float64,"
        + " plus 4 MiB");
  }

  /** Bytes still free for arrays. */
  long remainingBytes() {
    return limitBytes - usedBytes;
  }

  /** The most raw bytes a reader may take in for arrays and their metadata: what is left plus the slack. */
  long rawLimit() {
    return remainingBytes() + SLACK_BYTES;
  }

  /**
   * Claims {@code values} doubles for array {@code what}.
   *
   * @throws ModelFileException naming the file, the array and the limit if they do not fit
   */
  void claim(long values, String file, String what) throws ModelFileException {
    long bytes = values > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : values * 8;
    if (bytes > remainingBytes()) {
      throw tooLarge(file, what + " claims " + values + " values (" + bytes + " bytes as float64)");
    }
    usedBytes += bytes;
  }

  /** The error for {@code what} exceeding the budget. */
  ModelFileException tooLarge(String file, String what) {
    return new ModelFileException((file.isEmpty() ? "" : file + ": ") + what + ", more than the " + remainingBytes()
        + " bytes left of " + reason + "; is the file corrupt, or not this model's?");
  }
}
