package dev.unroll.train;

import dev.unroll.Tensor;
import java.lang.ref.WeakReference;
import java.util.List;

/**
 * An optimizer over all the weights of a model, with Keras's update rules and defaults: {@link SGD},
 * {@link Adam}, {@link RMSprop}. Each {@link #apply} is one Keras {@code optimizer.apply(grads)}:
 * clip the gradients ({@link #clipnorm}, {@link #globalClipnorm} or {@link #clipvalue}), take the
 * learning rate for the current step, update every weight, count the step.
 *
 * <p>An optimizer has state (the step count and, by kind, momenta or moment estimates) that it
 * creates on its first update and keeps across {@link Trainer#fit} calls, as a compiled Keras model
 * keeps its optimizer. It therefore serves one model: {@link Trainer} refuses to use it for a second
 * model until {@link #reset()} is called. Configure it before the first update. The arithmetic is
 * float64 (Keras computes in the weights' dtype, float32 by default).
 */
public abstract class Optimizer {
  private double learningRate;
  private LearningRateSchedule schedule;
  private double clipnorm;
  private double globalClipnorm;
  private double clipvalue;
  private long iterations;
  private int[] sizes;
  private WeakReference<Object> owner;

  /** An optimizer with the given default learning rate. */
  protected Optimizer(double learningRate) {
    this.learningRate = checkRate(learningRate);
  }

  /** Sets a constant learning rate. */
  public Optimizer learningRate(double learningRate) {
    this.learningRate = checkRate(learningRate);
    this.schedule = null;
    return this;
  }

  /** Sets a learning-rate schedule, asked for the rate before each update. */
  public Optimizer learningRate(LearningRateSchedule schedule) {
    if (schedule == null) {
      throw new NullPointerException("learningRate: schedule is null");
    }
    this.schedule = schedule;
    return this;
  }

  /**
   * Keras {@code clipnorm}: each weight's gradient g becomes {@code g · c / max(‖g‖, c)}, so that its
   * L2 norm is at most c. 0 turns it off.
   */
  public Optimizer clipnorm(double c) {
    this.clipnorm = checkClip("clipnorm", c);
    checkOneClip();
    return this;
  }

  /**
   * Keras {@code global_clipnorm}: all gradients are scaled together by {@code c / max(‖all‖, c)},
   * so that the norm of their concatenation is at most c. 0 turns it off.
   */
  public Optimizer globalClipnorm(double c) {
    this.globalClipnorm = checkClip("globalClipnorm", c);
    checkOneClip();
    return this;
  }

  /** Keras {@code clipvalue}: every gradient value is clipped to [−v, v]. 0 turns it off. */
  public Optimizer clipvalue(double v) {
    this.clipvalue = checkClip("clipvalue", v);
    checkOneClip();
    return this;
  }

  /** Whether the learning rate comes from a {@link LearningRateSchedule}. */
  public boolean hasSchedule() {
    return schedule != null;
  }

  /** The learning rate the next update will use. */
  public double learningRate() {
    return schedule == null ? learningRate : schedule.at(iterations);
  }

  /** The number of updates applied so far (Keras {@code optimizer.iterations}). */
  public long iterations() {
    return iterations;
  }

  /** The clip settings; 0 means off. */
  public double clipnorm() {
    return clipnorm;
  }

  /** See {@link #globalClipnorm(double)}; 0 means off. */
  public double globalClipnorm() {
    return globalClipnorm;
  }

  /** See {@link #clipvalue(double)}; 0 means off. */
  public double clipvalue() {
    return clipvalue;
  }

  /** Forgets the state: the step count, the slots, and the model it served. Settings stay. */
  public void reset() {
    iterations = 0;
    sizes = null;
    owner = null;
    resetSlots();
  }

  /**
   * One update of every weight, in place, allocating nothing once the slots exist.
   *
   * @param gradients d loss / d weight, aligned with {@code weights}; clipped in place. Modified.
   * @param weights the weights to update. Modified.
   * @throws IllegalArgumentException if the lists differ in length or sizes, or differ from the
   *     weights this optimizer was built for
   */
  public final void apply(List<Tensor> gradients, List<Tensor> weights) {
    int n = weights.size();
    if (gradients.size() != n) {
      throw new IllegalArgumentException(
          "apply: " + gradients.size() + " gradients for " + n + " weights");
    }
    if (sizes == null) {
      int[] s = new int[n];
      for (int i = 0; i < n; i++) {
        s[i] = weights.get(i).size();
      }
      createSlots(s);
      sizes = s;
    } else if (sizes.length != n) {
      throw new IllegalArgumentException("apply: this optimizer was built for " + sizes.length
          + " weights, found " + n + "; use a new optimizer or call reset()");
    }
    for (int i = 0; i < n; i++) {
      if (weights.get(i).size() != sizes[i] || gradients.get(i).size() != sizes[i]) {
        throw new IllegalArgumentException("apply: weight " + i + " has " + weights.get(i).size()
            + " values and its gradient " + gradients.get(i).size() + "; this optimizer was built for "
            + sizes[i] + "; use a new optimizer or call reset()");
      }
    }
    clip(gradients);
    double lr = learningRate();
    for (int i = 0; i < n; i++) {
      update(i, gradients.get(i).data(), weights.get(i).data(), lr);
    }
    iterations++;
  }

  /** Creates the per-weight state for weights of the given sizes (values each). */
  protected abstract void createSlots(int[] sizes);

  /** Drops the per-weight state. */
  protected abstract void resetSlots();

  /**
   * Keras's {@code update_step} for weight {@code index}.
   *
   * @param g its (clipped) gradient. Not modified.
   * @param w its values. Modified.
   * @param lr the learning rate of this step
   */
  protected abstract void update(int index, double[] g, double[] w, double lr);

  /** Binds the optimizer to the model it trains; refuses a second model. */
  void bindTo(Object model) {
    Object current = owner == null ? null : owner.get();
    if (current != null && current != model) {
      throw new IllegalStateException(this + " already trains another model (" + current.getClass().getSimpleName()
          + "); an optimizer keeps per-model state: give each model its own optimizer, or call reset()");
    }
    if (current == null && owner != null && sizes != null) {
      reset(); // its model is gone: start afresh
    }
    owner = new WeakReference<>(model);
  }

  private void clip(List<Tensor> gradients) {
    int n = gradients.size();
    if (clipnorm > 0) {
      // Keras _clip_by_norm: g * c / max(‖g‖, c)
      for (int i = 0; i < n; i++) {
        double[] g = gradients.get(i).data();
        double l2sum = 0.0;
        for (double v : g) {
          l2sum += v * v;
        }
        double l2norm = l2sum > 0 ? Math.sqrt(l2sum) : l2sum;
        double denominator = Math.max(l2norm, clipnorm);
        for (int k = 0; k < g.length; k++) {
          g[k] = g[k] * clipnorm / denominator;
        }
      }
    } else if (globalClipnorm > 0) {
      // Keras clip_by_global_norm: scale = c * min(1 / norm, 1 / c), NaN if the norm is not finite
      double squared = 0.0;
      for (int i = 0; i < n; i++) {
        for (double v : gradients.get(i).data()) {
          squared += v * v;
        }
      }
      double norm = Math.sqrt(squared);
      double scale = globalClipnorm * Math.min(1.0 / norm, 1.0 / globalClipnorm) + (norm - norm);
      for (int i = 0; i < n; i++) {
        double[] g = gradients.get(i).data();
        for (int k = 0; k < g.length; k++) {
          g[k] = g[k] * scale;
        }
      }
    } else if (clipvalue > 0) {
      for (int i = 0; i < n; i++) {
        double[] g = gradients.get(i).data();
        for (int k = 0; k < g.length; k++) {
          g[k] = Math.min(Math.max(g[k], -clipvalue), clipvalue);
        }
      }
    }
  }

  private void checkOneClip() {
    int set = (clipnorm > 0 ? 1 : 0) + (globalClipnorm > 0 ? 1 : 0) + (clipvalue > 0 ? 1 : 0);
    if (set > 1) {
      throw new IllegalArgumentException("set only one of clipnorm (" + clipnorm + "), globalClipnorm ("
          + globalClipnorm + ") and clipvalue (" + clipvalue + "): Keras applies only one of them");
    }
  }

  private static double checkClip(String what, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be 0 (off) or positive and finite, found " + v);
    }
    return v;
  }

  static double checkRate(double lr) {
    if (!(lr >= 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning rate must be non-negative and finite, found " + lr);
    }
    return lr;
  }

  /** The settings, for messages. */
  String describeClip() {
    if (clipnorm > 0) {
      return ", clipnorm=" + clipnorm;
    }
    if (globalClipnorm > 0) {
      return ", globalClipnorm=" + globalClipnorm;
    }
    return clipvalue > 0 ? ", clipvalue=" + clipvalue : "";
  }

  /** The learning rate setting, for messages. */
  String describeRate() {
    return schedule == null ? Double.toString(learningRate) : "schedule";
  }
}
