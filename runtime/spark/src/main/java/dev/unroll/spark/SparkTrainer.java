package dev.unroll.spark;

import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.train.Loss;
import dev.unroll.train.Optimizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Data-parallel training of a generated model on a {@code Dataset}: synchronous mini-batch training
 * with the losses and optimisers of {@code unroll-train}.
 *
 * <pre>{@code
 * UnrolledForecaster model = new UnrolledForecaster(seed);     // the driver's model: the starting weights
 * SparkTrainer.Result r = new SparkTrainer(UnrolledForecaster::new)
 *     .loss(MeanSquaredError::new)
 *     .optimizer(new Adam().learningRate(1e-3))
 *     .batchSize(512).epochs(5).seed(7)
 *     .featuresCol("x").labelCol("y")
 *     .fit(data, model);                                       // model ends with the trained weights
 * }</pre>
 *
 * <p>Each step: the driver broadcasts the weights; every partition computes, with its task thread's
 * model, the gradients of the loss over its rows of the step's global batch; {@code treeAggregate}
 * sums them; the driver applies the optimiser step. The batches are those of {@code Trainer.fit}:
 * each epoch the sample indices (the rows' order in {@code data}) are shuffled with
 * {@code SplittableRandom(seed)} by Fisher-Yates on the previous order and cut into batches of
 * {@code batchSize} (the last may be smaller). A partition's share of a batch of n rows, c of them
 * its own, is its loss gradient scaled by c / n, so the sum is the gradient of the mean over the
 * whole batch, and the result equals {@code Trainer.fit} on one machine with the same seed, data and
 * configuration, up to the order of floating-point additions (about 1e-15 relative; the test checks
 * 1e-12). The order in which partitions' sums arrive varies, so two runs agree to that precision,
 * not bit for bit.
 *
 * <p>The data are read once into one block per partition (cached in memory, deserialised); the
 * driver holds one int per sample for the shuffle and broadcasts it once per epoch. Each step is one
 * Spark job, so steps should be large enough (hundreds of samples per partition) to outweigh the
 * job's latency (tens of milliseconds). Training stops at the first step whose loss or new weights
 * are not finite, and the result says where.
 */
public final class SparkTrainer {
  private final SerializableSupplier<? extends SequenceModel> factory;
  private SerializableSupplier<? extends Loss> loss;
  private Optimizer optimizer;
  private int batchSize = 32;
  private int epochs = 1;
  private long seed;
  private boolean shuffle = true;
  private String featuresCol = "x";
  private String labelCol = "y";
  private int depth = 2;

  /** A trainer of the model {@code factory} makes, e.g. {@code UnrolledForecaster::new}. */
  public SparkTrainer(SerializableSupplier<? extends SequenceModel> factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** The loss, as a factory the executors call ({@code MeanSquaredError::new}). Required. */
  public SparkTrainer loss(SerializableSupplier<? extends Loss> loss) {
    this.loss = Objects.requireNonNull(loss, "loss");
    return this;
  }

  /** The optimiser; it runs on the driver only and keeps its state across {@link #fit} calls. Required. */
  public SparkTrainer optimizer(Optimizer optimizer) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    return this;
  }

  /** Samples per step, over all partitions together (the global batch); 32 unless set. */
  public SparkTrainer batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, found " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /** Passes over the data; 1 unless set. */
  public SparkTrainer epochs(int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, found " + epochs);
    }
    this.epochs = epochs;
    return this;
  }

  /** The seed of the shuffle, as {@code FitConfig.seed}; 0 unless set. */
  public SparkTrainer seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Whether each epoch shuffles the samples; true unless set. */
  public SparkTrainer shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return this;
  }

  /** The column of input sequences (see {@link SparkScorer} for its types); {@code x} unless set. */
  public SparkTrainer featuresCol(String name) {
    this.featuresCol = Objects.requireNonNull(name, "featuresCol");
    return this;
  }

  /** The column of targets: a number, or {@code array<double>} of the output's values; {@code y} unless set. */
  public SparkTrainer labelCol(String name) {
    this.labelCol = Objects.requireNonNull(name, "labelCol");
    return this;
  }

  /** The depth of {@code treeAggregate}; 2 unless set. */
  public SparkTrainer aggregationDepth(int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("aggregationDepth must be at least 1, found " + depth);
    }
    this.depth = depth;
    return this;
  }

  /** What a training run did. */
  public record Result(double[] epochLoss, long steps, String nonFinite) {
    /** The loss of each epoch run: the mean of its batch losses weighted by batch size, as {@code Trainer.fit} logs. */
    @Override
    public double[] epochLoss() {
      return epochLoss.clone();
    }

    @Override
    public String toString() {
      return "Result[epochLoss=" + Arrays.toString(epochLoss) + ", steps=" + steps
          + (nonFinite == null ? "" : ", stopped: " + nonFinite) + "]";
    }
  }

  /**
   * Trains {@code model} on {@code data}: from its weights, ending with the trained weights set on it.
   * If a step's loss or new weights are not finite, training stops after that step, the model keeps the
   * weights it had before {@code fit}, and {@link Result#nonFinite()} says where (for example
   * {@code "epoch 1, step 2: loss NaN"}).
   *
   * @param data one row per sample with {@link #featuresCol} and {@link #labelCol}
   * @param model the driver's model, of the factory's class
   * @throws IllegalArgumentException if a column is missing or has another type (naming what was
   *     expected), or the data are empty
   */
  public Result fit(Dataset<Row> data, SequenceModel model) {
    if (loss == null || optimizer == null) {
      throw new IllegalStateException("set the loss and the optimizer before fit");
    }
    Loss driverLoss = loss.get();
    Shapes shapes = new Shapes(model, driverLoss.sparseTargets());
    int xCol = Columns.sequenceColumn(data.schema(), featuresCol, shapes.timesteps, shapes.features);
    int yCol = Columns.targetColumn(data.schema(), labelCol, shapes.targets);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
    String job = "train-" + UUID.randomUUID();

    String xName = featuresCol;
    String yName = labelCol;
    JavaRDD<Block> blocks = data.javaRDD().zipWithIndex()
        .mapPartitions((Iterator<Tuple2<Row, Long>> it) -> List.of(Block.read(it, xCol, xName, yCol, yName, shapes))
            .iterator())
        .persist(StorageLevel.MEMORY_ONLY());
    JavaRDD<Planned> planned = null;
    Broadcast<int[]> orderB = null;
    try {
      long total = blocks.map(b -> (long) b.n).reduce(Long::sum);
      if (total == 0) {
        throw new IllegalArgumentException("fit: the data have no rows");
      }
      if (total > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("fit: " + total + " samples; at most " + Integer.MAX_VALUE
            + " per run (the driver keeps one int per sample)");
      }
      int n = (int) total;
      int batch = Math.min(batchSize, n);
      int steps = (n + batch - 1) / batch;
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      SplittableRandom rng = new SplittableRandom(seed);
      List<Tensor> master = model.getWeights();
      int params = 0;
      for (Tensor t : master) {
        params += t.size();
      }
      SerializableSupplier<? extends Loss> lossFactory = loss;
      SerializableSupplier<? extends SequenceModel> modelFactory = factory;
      double[] epochLoss = new double[epochs];
      long done = 0;
      String nonFinite = null;
      int epochsRun = 0;
      for (int epoch = 0; epoch < epochs && nonFinite == null; epoch++) {
        if (shuffle) {
          for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
          }
        }
        if (planned != null) { // the last epoch's plan, and the order it was made from
          planned.unpersist(false);
          orderB.destroy();
        }
        Broadcast<int[]> epochOrder = jsc.broadcast(order.clone());
        orderB = epochOrder;
        int stepsF = steps;
        int batchF = batch;
        planned = blocks.map(b -> b.plan(epochOrder.value(), batchF, stepsF)).persist(StorageLevel.MEMORY_ONLY());
        planned.count();
        double sum = 0;
        int seen = 0;
        for (int step = 0; step < steps; step++) {
          int count = Math.min(batch, n - step * batch);
          Broadcast<ModelWeights> wb = jsc.broadcast(ModelWeights.of(master));
          StepTask task = new StepTask(job, modelFactory, lossFactory, wb, step, count, shapes, params);
          double[] acc = planned.treeAggregate(new double[params + 1], task::add, StepTask::merge, depth);
          wb.destroy();
          double batchLoss = acc[params] / count;
          List<Tensor> grads = new ArrayList<>(master.size());
          int off = 0;
          for (Tensor t : master) {
            grads.add(Tensor.wrap(Arrays.copyOfRange(acc, off, off + t.size()), t.shape()));
            off += t.size();
          }
          optimizer.apply(grads, master);
          done++;
          sum += batchLoss * count;
          seen += count;
          String bad = Double.isFinite(batchLoss) ? firstNonFinite(master) : "loss " + batchLoss;
          if (bad != null) {
            nonFinite = "epoch " + (epoch + 1) + ", step " + (step + 1) + ": " + bad;
            break;
          }
        }
        epochLoss[epoch] = sum / seen;
        epochsRun++;
      }
      if (nonFinite == null) {
        model.setWeights(master);
      }
      return new Result(Arrays.copyOf(epochLoss, epochsRun), done, nonFinite);
    } finally {
      if (planned != null) {
        planned.unpersist(false);
      }
      if (orderB != null) {
        orderB.destroy();
      }
      blocks.unpersist(false);
    }
  }

  private static String firstNonFinite(List<Tensor> weights) {
    for (int w = 0; w < weights.size(); w++) {
      double[] d = weights.get(w).data();
      for (int i = 0; i < d.length; i++) {
        if (!Double.isFinite(d[i])) {
          return "weight [" + w + "] index " + i + " is " + d[i];
        }
      }
    }
    return null;
  }

  /** The model's shapes, as the executors need them. */
  static final class Shapes implements Serializable {
    private static final long serialVersionUID = 1L;
    final int timesteps;
    final int features;
    final int[] outputShape;
    final int width;
    final int rowsPerSample;
    final int targets;

    Shapes(SequenceModel model, boolean sparse) {
      int[] in = model.inputShape();
      timesteps = in[0];
      features = in[1];
      outputShape = model.outputShape();
      int out = 1;
      for (int d : outputShape) {
        out *= d;
      }
      width = outputShape[outputShape.length - 1];
      rowsPerSample = out / width;
      targets = sparse ? rowsPerSample : out;
    }

    int inPerSample() {
      return timesteps * features;
    }
  }

  /** A partition's samples, read once: their global indices are first, first + 1, ..., first + n - 1. */
  static final class Block implements Serializable {
    private static final long serialVersionUID = 1L;
    final long first;
    final int n;
    final double[] x;
    final double[] y;

    Block(long first, int n, double[] x, double[] y) {
      this.first = first;
      this.n = n;
      this.x = x;
      this.y = y;
    }

    static Block read(Iterator<Tuple2<Row, Long>> it, int xCol, String xName, int yCol, String yName, Shapes s) {
      int per = s.inPerSample();
      double[] x = new double[1024 * per];
      double[] y = new double[1024 * s.targets];
      long first = -1;
      int n = 0;
      while (it.hasNext()) {
        Tuple2<Row, Long> t = it.next();
        if (first < 0) {
          first = t._2();
        } else if (t._2() != first + n) {
          throw new IllegalStateException("row indices of a partition are not consecutive: " + t._2() + " after "
              + (first + n - 1));
        }
        if ((n + 1) * per > x.length) {
          x = Arrays.copyOf(x, x.length * 2);
          y = Arrays.copyOf(y, y.length * 2);
        }
        Columns.readSequence(t._1(), xCol, xName, s.timesteps, s.features, x, n * per);
        Columns.readTarget(t._1(), yCol, yName, s.targets, y, n * s.targets);
        n++;
      }
      return new Block(Math.max(first, 0), n, Arrays.copyOf(x, n * per), Arrays.copyOf(y, n * s.targets));
    }

    /**
     * This partition's rows of each step of an epoch: the rows of step s are
     * {@code rows[start[s]], ..., rows[start[s + 1] - 1]}, in the order of the epoch's shuffle.
     */
    Planned plan(int[] order, int batch, int steps) {
      int[] rows = new int[n];
      int[] start = new int[steps + 1];
      int k = 0;
      for (int pos = 0; pos < order.length; pos++) {
        long local = order[pos] - first;
        if (local >= 0 && local < n) {
          rows[k++] = (int) local;
          start[pos / batch + 1] = k;
        }
      }
      for (int s = 1; s <= steps; s++) { // steps with none of this partition's rows
        start[s] = Math.max(start[s], start[s - 1]);
      }
      return new Planned(this, rows, start);
    }
  }

  /** A block and its rows for each step of the current epoch. */
  record Planned(Block block, int[] rows, int[] start) implements Serializable {}

  /** A thread's work buffers, grown to the largest share of a batch it has seen. */
  private static final class Work {
    Tensor x;
    Tensor y;
    Tensor pred;
    Tensor dPred;
    Gradients gradients;
    int capacity;
    Loss loss;

    void ensure(int rows, Shapes s) {
      if (rows <= capacity) {
        return;
      }
      capacity = Math.max(rows, capacity + capacity / 8);
      x = Tensor.zeros(capacity, s.timesteps, s.features);
      y = Tensor.zeros(capacity, s.targets);
      int[] shape = new int[s.outputShape.length + 1];
      shape[0] = capacity;
      System.arraycopy(s.outputShape, 0, shape, 1, s.outputShape.length);
      pred = Tensor.zeros(shape);
      dPred = Tensor.zeros(shape);
      gradients = null;
    }
  }

  /** One step on the executors: each partition adds the gradients of its share of the batch. */
  private record StepTask(String job, SerializableSupplier<? extends SequenceModel> factory,
      SerializableSupplier<? extends Loss> loss, Broadcast<ModelWeights> weights, int step, int count,
      Shapes shapes, int params) implements Serializable {

    double[] add(double[] acc, Planned p) {
      int from = p.start()[step];
      int c = p.start()[step + 1] - from;
      if (c == 0) {
        return acc;
      }
      TaskModels.Entry e = TaskModels.get(job, factory, weights.id(), id -> weights.value());
      if (!(e.buffers instanceof Work)) {
        e.buffers = new Work();
      }
      Work w = (Work) e.buffers;
      if (w.loss == null) {
        w.loss = loss.get();
      }
      w.ensure(c, shapes);
      Block b = p.block();
      int per = shapes.inPerSample();
      int tps = shapes.targets;
      double[] x = w.x.data();
      double[] y = w.y.data();
      for (int r = 0; r < c; r++) {
        int row = p.rows()[from + r];
        System.arraycopy(b.x, row * per, x, r * per, per);
        System.arraycopy(b.y, row * tps, y, r * tps, tps);
      }
      Arrays.fill(x, c * per, x.length, 0.0); // padding rows: zero input, zero gradient below
      e.model.predict(w.x, null, w.pred);
      int rows = c * shapes.rowsPerSample;
      double[] d = w.dPred.data();
      double value = w.loss.compute(y, w.pred.data(), d, rows, shapes.width);
      // d(mean over this share)/d pred, times c / count: d(mean over the whole batch)/d pred
      double scale = (double) c / count;
      int used = rows * shapes.width;
      for (int i = 0; i < used; i++) {
        d[i] *= scale;
      }
      Arrays.fill(d, used, d.length, 0.0);
      w.gradients = e.model.backward(w.dPred, w.gradients);
      int off = 0;
      for (Tensor g : w.gradients.weights()) {
        double[] gd = g.data();
        for (int i = 0; i < gd.length; i++) {
          acc[off + i] += gd[i];
        }
        off += gd.length;
      }
      acc[params] += value * c;
      return acc;
    }

    static double[] merge(double[] a, double[] b) {
      for (int i = 0; i < a.length; i++) {
        a[i] += b[i];
      }
      return a;
    }
  }
}
