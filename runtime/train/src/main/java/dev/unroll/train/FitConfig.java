package dev.unroll.train;

import dev.unroll.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Trainer#fit} trains: Keras's {@code compile} and {@code fit} arguments in one immutable
 * value, made with a builder. Defaults are Keras's: RMSprop, 1 epoch, batches of 32, shuffled,
 * progress bar on; the shuffle seed defaults to 0 so that a run is reproducible.
 *
 * <pre>{@code
 * FitConfig config = FitConfig.builder()
 *     .loss(new MeanSquaredError())
 *     .optimizer(new Adam().learningRate(1e-3))
 *     .epochs(50).batchSize(16).seed(7)
 *     .validationSplit(0.2)
 *     .callbacks(new EarlyStopping().patience(5).restoreBestWeights(true))
 *     .build();
 * }</pre>
 *
 * <p>The optimizer is an object with state (see {@link Optimizer}): a config reused for a second
 * {@code fit} of the same model continues with the same optimizer state, as Keras does after one
 * {@code compile}.
 */
public final class FitConfig {
  private final Loss loss;
  private final Optimizer optimizer;
  private final List<Loss> metrics;
  private final int epochs;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final double validationSplit;
  private final Tensor validationX;
  private final Tensor validationY;
  private final List<Callback> callbacks;
  private final int verbose;
  private final PrintStream out;

  private FitConfig(Builder b) {
    this.loss = b.loss;
    this.optimizer = b.optimizer != null ? b.optimizer : new RMSprop();
    this.metrics = List.copyOf(b.metrics);
    this.epochs = b.epochs;
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.seed = b.seed;
    this.validationSplit = b.validationSplit;
    this.validationX = b.validationX;
    this.validationY = b.validationY;
    this.callbacks = List.copyOf(b.callbacks);
    this.verbose = b.verbose;
    this.out = b.out != null ? b.out : System.out;
  }

  /** A builder with Keras's defaults; {@link Builder#loss} must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change some of it. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.loss = loss;
    b.optimizer = optimizer;
    b.metrics.addAll(metrics);
    b.epochs = epochs;
    b.batchSize = batchSize;
    b.shuffle = shuffle;
    b.seed = seed;
    b.validationSplit = validationSplit;
    b.validationX = validationX;
    b.validationY = validationY;
    b.callbacks.addAll(callbacks);
    b.verbose = verbose;
    b.out = out;
    return b;
  }

  public Loss loss() {
    return loss;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /** Extra quantities logged per epoch (any {@link Loss}, e.g. MAE beside an MSE loss). */
  public List<Loss> metrics() {
    return metrics;
  }

  public int epochs() {
    return epochs;
  }

  public int batchSize() {
    return batchSize;
  }

  public boolean shuffle() {
    return shuffle;
  }

  public long seed() {
    return seed;
  }

  /** The fraction of the samples, taken from the end, held out for validation; 0 if none. */
  public double validationSplit() {
    return validationSplit;
  }

  /** Explicit validation inputs, or null. */
  public Tensor validationX() {
    return validationX;
  }

  /** Explicit validation targets, or null. */
  public Tensor validationY() {
    return validationY;
  }

  public List<Callback> callbacks() {
    return callbacks;
  }

  /** 0 quiet, 1 a progress bar per epoch, 2 one line per epoch. */
  public int verbose() {
    return verbose;
  }

  /** Where progress goes. */
  public PrintStream out() {
    return out;
  }

  @Override
  public String toString() {
    return "FitConfig[loss=" + loss + ", optimizer=" + optimizer + ", epochs=" + epochs + ", batchSize=" + batchSize
        + ", shuffle=" + shuffle + ", seed=" + seed + ", validationSplit=" + validationSplit
        + (validationX != null ? ", validationData" : "") + ", callbacks=" + callbacks.size() + ", verbose=" + verbose
        + "]";
  }

  /** Builds a {@link FitConfig}. */
  public static final class Builder {
    private Loss loss;
    private Optimizer optimizer;
    private final List<Loss> metrics = new ArrayList<>();
    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = true;
    private long seed;
    private double validationSplit;
    private Tensor validationX;
    private Tensor validationY;
    private final List<Callback> callbacks = new ArrayList<>();
    private int verbose = 1;
    private PrintStream out;

    private Builder() {}

    /** The loss to minimise (required; Keras {@code compile(loss=...)}). */
    public Builder loss(Loss loss) {
      this.loss = Objects.requireNonNull(loss, "loss");
      return this;
    }

    /** The optimizer (Keras {@code compile(optimizer=...)}); default {@code new RMSprop()}. */
    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
      return this;
    }

    /** Quantities to log beside the loss, each named by its {@link Loss#name()}. */
    public Builder metrics(Loss... metrics) {
      for (Loss m : metrics) {
        this.metrics.add(Objects.requireNonNull(m, "metric"));
      }
      return this;
    }

    /** Passes over the training data; at least 1 (default 1). */
    public Builder epochs(int epochs) {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /** Samples per update; at least 1 (default 32). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, found " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Whether to shuffle the training samples before each epoch (default true). */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /** The seed of the shuffle (default 0): the same seed, data and config give the same weights. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Holds out the last {@code fraction} of the samples (before any shuffling), as Keras's
     * {@code validation_split}: the first {@code floor(n · (1 − fraction))} samples train.
     */
    public Builder validationSplit(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("validationSplit must be in [0, 1), found " + fraction);
      }
      this.validationSplit = fraction;
      return this;
    }

    /** Explicit validation data (Keras {@code validation_data}); shapes as the training data. */
    public Builder validationData(Tensor x, Tensor y) {
      this.validationX = Objects.requireNonNull(x, "validation x");
      this.validationY = Objects.requireNonNull(y, "validation y");
      return this;
    }

    /** Callbacks, called in order. */
    public Builder callbacks(Callback... callbacks) {
      for (Callback c : callbacks) {
        this.callbacks.add(Objects.requireNonNull(c, "callback"));
      }
      return this;
    }

    /** 0 quiet, 1 a progress bar per epoch (default), 2 one line per epoch. */
    public Builder verbose(int verbose) {
      if (verbose < 0 || verbose > 2) {
        throw new IllegalArgumentException("verbose must be 0, 1 or 2, found " + verbose);
      }
      this.verbose = verbose;
      return this;
    }

    /** No output: {@code verbose(0)}. */
    public Builder quiet() {
      return verbose(0);
    }

    /** Where progress goes (default {@code System.out}). */
    public Builder out(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalStateException if no loss was set, or both a validation split and validation
     *     data were
     */
    public FitConfig build() {
      if (loss == null) {
        throw new IllegalStateException("FitConfig: set a loss, e.g. .loss(new MeanSquaredError())");
      }
      if (validationSplit > 0 && validationX != null) {
        throw new IllegalStateException("FitConfig: set either validationSplit or validationData, not both");
      }
      return new FitConfig(this);
    }
  }
}
