package dev.unroll;

import dev.unroll.internal.Checks;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A model that splits each batch over several instances of one generated class, one thread each, and
 * puts the results back together: a drop-in {@link SequenceModel} for {@code predict}, {@code gradients},
 * {@code backward} and training with {@code Trainer.fit}.
 *
 * <pre>{@code
 * UnrolledForecaster model = new UnrolledForecaster();
 * try (ParallelModel both = ParallelModel.of(model, 2)) {  // model, and one copy on a second thread
 *   both.predict(x, out);                                     // rows [0, 16) here, [16, 32) there
 *   Trainer.fit(both, x, y, config);                          // trains model (and the copy)
 * }
 * }</pre>
 *
 * <p>Instance 0 is the model given to {@link #of}, and runs on the calling thread; the others are new
 * instances of its class with its weights, each on a daemon thread of its own. A batch of n samples is
 * cut into consecutive slices of ⌈n/threads⌉ or ⌊n/threads⌋ rows (fewer slices when n is smaller than
 * the number of threads).
 *
 * <p>What comes back equals one instance's result: predictions, dL/dx and the initial-state gradients are
 * the same numbers (each sample is computed alone); the weights' gradients are the sum of the slices'
 * sums, added in slice order, so they differ from one instance's only in the order of additions
 * (a few ulps). Weights are set on every instance and read from instance 0.
 *
 * <p>Like a generated model, a {@code ParallelModel} serves one calling thread at a time, and allocates
 * nothing per call once it has seen a batch size (the buffers of each slice are kept). {@link #close()}
 * stops its threads; they are daemon threads, so an unclosed model does not keep a JVM alive.
 */
public final class ParallelModel implements SequenceModel, AutoCloseable {
  private static final int PREDICT = 1;
  private static final int BACKWARD = 2;
  /** Spins before parking: a slice of a small model takes microseconds, a park/unpark about as long. */
  private static final int SPINS = 1 << 12;

  private final SequenceModel[] parts;
  private final Worker[] workers;
  private final int[] inShape;
  private final int[] outShape;
  private final int[][] weightShapes;
  private final int inPerSample;
  private final int outPerSample;
  private final AtomicInteger pending = new AtomicInteger();
  private final Throwable[] failures;
  private volatile Thread caller;
  private volatile boolean closed;

  /** The batch the slice buffers are sized for, and its cut: slice p is rows [from[p], from[p + 1]). */
  private int batch;
  private int active;
  private int[] from;
  private Tensor[] x;
  private Tensor[] out;
  private Tensor[] dOut;
  private Gradients[] grads;
  private List<Tensor>[] states;
  private List<Tensor> stateShapes;
  private Tensor mask;
  /** Whether every slice's instance holds the forward pass of the last call (false after a failed one). */
  private boolean kept;

  /** The work of the current call, read by the workers after {@link #pending} is set. */
  private int task;
  private Tensor taskX;
  private List<Tensor> taskState;
  private Tensor taskOut;
  private Tensor taskDOut;

  private ParallelModel(SequenceModel model, SequenceModel[] others) {
    int n = others.length + 1;
    parts = new SequenceModel[n];
    parts[0] = model;
    List<Tensor> weights = model.getWeights();
    for (int p = 1; p < n; p++) {
      SequenceModel other = others[p - 1];
      if (other == null || other == model || other.getClass() != model.getClass()) {
        throw new IllegalArgumentException("ParallelModel: instance " + p + " must be a new "
            + model.getClass().getName() + ", found " + (other == null ? "null"
            : other == model ? "the model itself" : other.getClass().getName()));
      }
      other.setWeights(weights);
      parts[p] = other;
    }
    inShape = model.inputShape();
    outShape = model.outputShape();
    weightShapes = new int[weights.size()][];
    for (int k = 0; k < weightShapes.length; k++) {
      weightShapes[k] = weights.get(k).shape();
    }
    inPerSample = product(inShape);
    outPerSample = product(outShape);
    failures = new Throwable[n];
    workers = new Worker[n];
    for (int p = 1; p < n; p++) {
      workers[p] = new Worker(p);
      Thread t = new Thread(workers[p], "unroll-parallel-" + model.getClass().getSimpleName() + "-" + p);
      t.setDaemon(true);
      workers[p].thread = t;
      t.start();
    }
  }

  /**
   * {@code model} and {@code threads - 1} new instances of its class (made with its public no-argument
   * constructor, as every generated class has), with {@code model}'s weights.
   *
   * @throws IllegalArgumentException if {@code threads} is less than 1, or the class has no public
   *     no-argument constructor (then use {@link #of(SequenceModel, int, Supplier)})
   */
  public static ParallelModel of(SequenceModel model, int threads) {
    checkThreads(threads);
    java.lang.reflect.Constructor<? extends SequenceModel> ctor;
    try {
      ctor = model.getClass().getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("ParallelModel.of: " + model.getClass().getName()
          + " has no public no-argument constructor; pass one with of(model, threads, supplier)", e);
    }
    return of(model, threads, () -> {
      try {
        return ctor.newInstance();
      } catch (InstantiationException | IllegalAccessException e) {
        throw new IllegalArgumentException("ParallelModel.of: cannot make a " + model.getClass().getName(), e);
      } catch (InvocationTargetException e) {
        throw new IllegalStateException("ParallelModel.of: " + model.getClass().getName() + "() threw", e.getCause());
      }
    });
  }

  /**
   * {@code model} and {@code threads - 1} instances from {@code newInstance}, which must return new
   * instances of {@code model}'s class; they get {@code model}'s weights.
   *
   * @throws IllegalArgumentException if {@code threads} is less than 1 or an instance is not a new one of
   *     {@code model}'s class
   */
  public static ParallelModel of(SequenceModel model, int threads, Supplier<? extends SequenceModel> newInstance) {
    checkThreads(threads);
    SequenceModel[] others = new SequenceModel[threads - 1];
    for (int p = 0; p < others.length; p++) {
      others[p] = newInstance.get();
    }
    return new ParallelModel(model, others);
  }

  private static void checkThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("ParallelModel: threads must be at least 1, found " + threads);
    }
  }

  /** The number of instances, one per thread (the calling thread included). */
  public int threads() {
    return parts.length;
  }

  /** Instance {@code p}: 0 is the model given to {@link #of}. */
  public SequenceModel instance(int p) {
    return parts[p];
  }

  @Override
  public int paramCount() {
    return parts[0].paramCount();
  }

  @Override
  public String summary() {
    return parts[0].summary();
  }

  @Override
  public List<LayerInfo> layers() {
    return parts[0].layers();
  }

  @Override
  public int[] inputShape() {
    return parts[0].inputShape();
  }

  @Override
  public int[] outputShape() {
    return parts[0].outputShape();
  }

  /**
   * Each slice of {@code x} (and of the initial state) through its instance, at the same time; the
   * outputs in {@code out}, in the rows of their samples.
   */
  @Override
  public Tensor predict(Tensor x, List<Tensor> initialState, Tensor out) {
    int n = Checks.batchOf(x, "predict: x", inShape);
    if (out == null) {
      out = Tensor.zeros(withBatch(n, outShape));
    } else {
      Checks.batchShape(out, "predict: out", n, outShape);
    }
    checkInitialState(initialState, n);
    resize(n, initialState);
    taskX = x;
    taskState = initialState;
    taskOut = out;
    kept = false; // until every slice has run: a failed slice leaves no pass to backpropagate
    run(PREDICT);
    kept = true;
    return out;
  }

  @Override
  public Gradients gradients(Tensor x, List<Tensor> initialState, Tensor dOutput, Gradients into) {
    int n = Checks.batchOf(x, "gradients: x", inShape);
    Checks.batchShape(dOutput, "gradients: dOutput", n, outShape);
    checkInitialState(initialState, n);
    if (into != null) {
      checkInto(into, n, "gradients");
    }
    resize(n, initialState);
    taskX = x;
    taskState = initialState;
    taskOut = null; // each instance keeps its slice's output; only the gradients are wanted
    kept = false;
    run(PREDICT);
    kept = true;
    return backward(dOutput, into);
  }

  /**
   * Backpropagation of each slice through the forward pass its instance kept, at the same time; then
   * dL/dx and the initial state's gradients in the rows of their samples, and the weights' gradients
   * as the sum of the slices' sums, added in slice order.
   */
  @Override
  public Gradients backward(Tensor dOutput, Gradients into) {
    if (!kept) {
      throw new IllegalStateException("backward: no forward pass is kept; call predict first"
          + " (setWeights, and a predict that failed, discard the last one)");
    }
    Checks.batchShape(dOutput, "backward: dOutput", batch, outShape);
    if (into != null) {
      checkInto(into, batch, "backward");
    }
    taskDOut = dOutput;
    run(BACKWARD);
    if (into == null) {
      into = newGradients();
    }
    List<Tensor> sum = into.weights();
    for (int k = 0; k < sum.size(); k++) {
      double[] s = sum.get(k).data();
      System.arraycopy(grads[0].weights().get(k).data(), 0, s, 0, s.length);
      for (int p = 1; p < active; p++) {
        double[] g = grads[p].weights().get(k).data();
        for (int i = 0; i < s.length; i++) {
          s[i] += g[i];
        }
      }
    }
    for (int p = 0; p < active; p++) {
      int rows = from[p + 1] - from[p];
      Gradients g = grads[p];
      System.arraycopy(g.input().data(), 0, into.input().data(), from[p] * inPerSample, rows * inPerSample);
      List<Tensor> dState = into.initialState();
      for (int s = 0; s < dState.size() && s < g.initialState().size(); s++) {
        int per = g.initialState().get(s).size() / rows;
        System.arraycopy(g.initialState().get(s).data(), 0, dState.get(s).data(), from[p] * per, rows * per);
      }
    }
    return into;
  }

  /** Instance 0's weights. */
  @Override
  public List<Tensor> getWeights() {
    return parts[0].getWeights();
  }

  /**
   * Sets the weights of every instance; instance 0 checks them first, so that on error none is changed.
   */
  @Override
  public void setWeights(List<Tensor> weights) {
    parts[0].setWeights(weights);
    for (int p = 1; p < parts.length; p++) {
      parts[p].setWeights(weights);
    }
    kept = false; // no instance keeps a forward pass of these weights
  }

  /** The slices' output masks, in their rows; null when the model's output has none. */
  @Override
  public Tensor outputMask() {
    if (!kept || parts[0].outputMask() == null) {
      return null;
    }
    Tensor first = parts[0].outputMask();
    int per = first.size() / (from[1] - from[0]);
    if (mask == null || mask.dim(0) != batch) {
      int[] shape = first.shape();
      shape[0] = batch;
      mask = Tensor.zeros(shape);
    }
    for (int p = 0; p < active; p++) {
      Tensor m = parts[p].outputMask();
      System.arraycopy(m.data(), 0, mask.data(), from[p] * per, m.size());
    }
    return mask;
  }

  /** A stepper of instance 0 (a stream is one sample at a time). */
  @Override
  public Stepper stepper() {
    return parts[0].stepper();
  }

  /** Instance 0's self-check. */
  @Override
  public SelfCheck selfCheck() {
    return parts[0].selfCheck();
  }

  /** Stops the threads; the model must not be called after. */
  @Override
  public void close() {
    closed = true;
    for (int p = 1; p < workers.length; p++) {
      LockSupport.unpark(workers[p].thread);
    }
  }

  @Override
  public String toString() {
    return "ParallelModel (" + parts.length + " x " + parts[0] + ")";
  }

  /** Runs {@code what} on every active slice, instance 0 on this thread; rethrows the first failure. */
  private void run(int what) {
    if (closed) {
      throw new IllegalStateException("ParallelModel: closed");
    }
    task = what;
    caller = Thread.currentThread();
    Arrays.fill(failures, null);
    pending.set(active - 1);
    for (int p = 1; p < active; p++) {
      workers[p].start();
    }
    try {
      slice(0);
    } catch (Throwable t) {
      failures[0] = t;
    }
    for (int spin = 0; pending.get() > 0; spin++) {
      if (spin < SPINS) {
        Thread.onSpinWait();
      } else {
        LockSupport.park(this);
      }
    }
    for (Throwable t : failures) {
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
      if (t != null) {
        throw new IllegalStateException("ParallelModel: a slice failed", t);
      }
    }
  }

  /** Slice p's share of the current task: copy its rows in, run its instance, copy its rows out. */
  private void slice(int p) {
    int rows = from[p + 1] - from[p];
    if (task == PREDICT) {
      System.arraycopy(taskX.data(), from[p] * inPerSample, x[p].data(), 0, rows * inPerSample);
      List<Tensor> state = null;
      if (taskState != null) {
        state = states[p];
        for (int s = 0; s < state.size(); s++) {
          int per = state.get(s).size() / rows;
          System.arraycopy(taskState.get(s).data(), from[p] * per, state.get(s).data(), 0, rows * per);
        }
      }
      parts[p].predict(x[p], state, out[p]);
      if (taskOut != null) {
        System.arraycopy(out[p].data(), 0, taskOut.data(), from[p] * outPerSample, rows * outPerSample);
      }
    } else {
      System.arraycopy(taskDOut.data(), from[p] * outPerSample, dOut[p].data(), 0, rows * outPerSample);
      grads[p] = parts[p].backward(dOut[p], grads[p]);
    }
  }

  /** Cuts a batch of n into slices and sizes their buffers; allocates only when n changes. */
  @SuppressWarnings("unchecked")
  private void resize(int n, List<Tensor> initialState) {
    if (n != batch) {
      active = Math.min(parts.length, n);
      from = new int[active + 1];
      for (int p = 0; p < active; p++) {
        from[p + 1] = from[p] + n / active + (p < n % active ? 1 : 0);
      }
      x = new Tensor[active];
      out = new Tensor[active];
      dOut = new Tensor[active];
      grads = new Gradients[active];
      states = new List[active];
      for (int p = 0; p < active; p++) {
        int rows = from[p + 1] - from[p];
        x[p] = Tensor.zeros(withBatch(rows, inShape));
        out[p] = Tensor.zeros(withBatch(rows, outShape));
        dOut[p] = Tensor.zeros(withBatch(rows, outShape));
      }
      stateShapes = null;
      batch = n;
    }
    if (initialState != null && !sameShapes(initialState)) {
      stateShapes = initialState;
      for (int p = 0; p < active; p++) {
        int rows = from[p + 1] - from[p];
        List<Tensor> s = new ArrayList<>(initialState.size());
        for (Tensor t : initialState) {
          int[] shape = t.shape();
          shape[0] = rows;
          s.add(Tensor.zeros(shape));
        }
        states[p] = List.copyOf(s);
      }
    }
  }

  private boolean sameShapes(List<Tensor> initialState) {
    if (stateShapes == null || stateShapes.size() != initialState.size()) {
      return false;
    }
    for (int s = 0; s < initialState.size(); s++) {
      if (!Arrays.equals(stateShapes.get(s).shape(), initialState.get(s).shape())) {
        return false;
      }
    }
    return true;
  }

  private void checkInitialState(List<Tensor> initialState, int n) {
    if (initialState == null) {
      return;
    }
    for (int s = 0; s < initialState.size(); s++) {
      Tensor t = initialState.get(s);
      if (t == null || t.rank() < 1 || t.dim(0) != n) {
        throw new ShapeMismatchException("initialState[" + s + "]", "(" + n + ", ...)",
            t == null ? "null" : Tensor.format(t.shape()));
      }
    }
  }

  /** Gradients for the whole batch, shaped as instance 0's for its slice, with the batch's rows. */
  private Gradients newGradients() {
    List<Tensor> weights = new ArrayList<>();
    for (int[] shape : weightShapes) {
      weights.add(Tensor.zeros(shape));
    }
    Tensor input = Tensor.zeros(withBatch(batch, inShape));
    List<Tensor> state = new ArrayList<>();
    for (Tensor t : grads[0].initialState()) {
      int[] shape = t.shape();
      shape[0] = batch;
      state.add(Tensor.zeros(shape));
    }
    return new Gradients(weights, input, state);
  }

  private void checkInto(Gradients into, int n, String what) {
    if (into.weights().size() != weightShapes.length) {
      throw new IllegalArgumentException(what + ": into.weights() must hold " + weightShapes.length
          + " tensors, found " + into.weights().size());
    }
    for (int k = 0; k < weightShapes.length; k++) {
      if (!into.weights().get(k).hasShape(weightShapes[k])) {
        throw new ShapeMismatchException(what + ": into.weights()[" + k + "]", Tensor.format(weightShapes[k]),
            Tensor.format(into.weights().get(k).shape()));
      }
    }
    // a literal, not what + "...": a string joined on every call would be an allocation per call
    Checks.batchShape(into.input(), what.equals("backward") ? "backward: into.input()" : "gradients: into.input()", n,
        inShape);
    for (int s = 0; s < into.initialState().size(); s++) {
      Tensor t = into.initialState().get(s);
      if (t.dim(0) != n) {
        throw new ShapeMismatchException(what + ": into.initialState()[" + s + "]", "(" + n + ", ...)",
            Tensor.format(t.shape()));
      }
    }
  }

  private static int[] withBatch(int n, int[] shape) {
    int[] s = new int[shape.length + 1];
    s[0] = n;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  private static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** A thread that runs slice {@code part} of each task it is handed, then waits for the next. */
  private final class Worker implements Runnable {
    private final int part;
    private volatile int generation;
    private int seen;
    private Thread thread;

    Worker(int part) {
      this.part = part;
    }

    void start() {
      generation++;
      LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      while (true) {
        for (int spin = 0; generation == seen && !closed; spin++) {
          if (spin < SPINS) {
            Thread.onSpinWait();
          } else {
            LockSupport.park(this);
          }
        }
        if (closed) {
          return;
        }
        seen = generation;
        try {
          slice(part);
        } catch (Throwable t) {
          failures[part] = t;
        }
        if (pending.decrementAndGet() == 0) {
          LockSupport.unpark(caller);
        }
      }
    }
  }
}
