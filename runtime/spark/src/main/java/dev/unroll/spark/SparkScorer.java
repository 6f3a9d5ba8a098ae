package dev.unroll.spark;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Batch scoring of a {@code Dataset} of sequences with a generated model.
 *
 * <pre>{@code
 * UnrolledForecaster model = ...;                              // trained, on the driver
 * Dataset<Row> scored = SparkScorer.of(UnrolledForecaster::new, model)
 *     .inputCol("x")                                           // array<double> (24·3) or array<array<double>> (24 × 3)
 *     .outputCol("prediction")                                 // array<double>, the model's output, row-major
 *     .batchSize(256)
 *     .transform(sequences);                                   // every column of sequences, and prediction
 * }</pre>
 *
 * <p>The weights are broadcast once per {@link #transform}. On the executors each task thread makes
 * one model with the factory (the generated class must be in the application jar) and gives it the
 * broadcast weights once; a partition is scored in batches of {@link #batchSize(int)} rows, streamed
 * (a partition is never held in memory whole). What is serialised is the factory reference and the
 * weights, never a model. {@code transform} is lazy, as Spark's are: the work runs when the result is
 * written or counted.
 */
public final class SparkScorer {
  private final SerializableSupplier<? extends SequenceModel> factory;
  private final ModelWeights weights;
  private final int timesteps;
  private final int features;
  private final int outputs;
  private String inputCol = "x";
  private String outputCol = "prediction";
  private int batchSize = 256;

  private SparkScorer(SerializableSupplier<? extends SequenceModel> factory, SequenceModel model) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.weights = ModelWeights.of(Objects.requireNonNull(model, "model"));
    int[] in = model.inputShape();
    this.timesteps = in[0];
    this.features = in[1];
    int n = 1;
    for (int d : model.outputShape()) {
      n *= d;
    }
    this.outputs = n;
  }

  /**
   * A scorer of the model {@code factory} makes, with the weights {@code model} has now (copied).
   *
   * @param factory a constructor reference of the generated class, such as {@code UnrolledForecaster::new}
   * @param model a model of that class holding the weights to score with
   */
  public static SparkScorer of(SerializableSupplier<? extends SequenceModel> factory, SequenceModel model) {
    return new SparkScorer(factory, model);
  }

  /** The column holding the sequences; {@code x} unless set. */
  public SparkScorer inputCol(String name) {
    this.inputCol = Objects.requireNonNull(name, "inputCol");
    return this;
  }

  /** The column the predictions go to, {@code array<double>}; {@code prediction} unless set. */
  public SparkScorer outputCol(String name) {
    this.outputCol = Objects.requireNonNull(name, "outputCol");
    return this;
  }

  /** Rows per {@code predict} call on an executor; 256 unless set. */
  public SparkScorer batchSize(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, found " + rows);
    }
    this.batchSize = rows;
    return this;
  }

  /** The schema of {@link #transform}'s result for input of schema {@code schema}. */
  public StructType outputSchema(StructType schema) {
    Columns.sequenceColumn(schema, inputCol, timesteps, features);
    for (String name : schema.fieldNames()) {
      if (name.equals(outputCol)) {
        throw new IllegalArgumentException("output column " + outputCol + " is already in the data; choose another");
      }
    }
    return schema.add(outputCol, DataTypes.createArrayType(DataTypes.DoubleType, false), false);
  }

  /**
   * Every row of {@code data} with the model's output for its sequence in {@link #outputCol}.
   *
   * @throws IllegalArgumentException if the input column is missing or has another type (naming
   *     what was expected); a row of the wrong length fails its task with a message naming both
   */
  public Dataset<Row> transform(Dataset<Row> data) {
    StructType out = outputSchema(data.schema());
    int col = data.schema().fieldIndex(inputCol);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
    Broadcast<ModelWeights> broadcast = jsc.broadcast(weights);
    String job = "score-" + UUID.randomUUID();
    Partition p = new Partition(factory, broadcast, job, col, inputCol, timesteps, features, outputs, batchSize);
    return data.mapPartitions(p, Encoders.row(out));
  }

  /** What a task runs: scores its partition in batches. */
  private record Partition(SerializableSupplier<? extends SequenceModel> factory, Broadcast<ModelWeights> weights,
      String job, int col, String name, int timesteps, int features, int outputs, int batch)
      implements MapPartitionsFunction<Row, Row> {

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      TaskModels.Entry e = TaskModels.get(job, factory, weights.id(), id -> weights.value());
      if (!(e.buffers instanceof Buffers b) || b.x.dim(0) != batch) {
        e.buffers = new Buffers(Tensor.zeros(batch, timesteps, features), e.model.outputShape(), batch);
      }
      return new Scored(rows, e.model, (Buffers) e.buffers, this);
    }
  }

  /** A thread's input and output batch. */
  private static final class Buffers {
    final Tensor x;
    final Tensor y;

    Buffers(Tensor x, int[] outShape, int batch) {
      this.x = x;
      int[] shape = new int[outShape.length + 1];
      shape[0] = batch;
      System.arraycopy(outShape, 0, shape, 1, outShape.length);
      this.y = Tensor.zeros(shape);
    }
  }

  /** The scored rows of a partition, a batch at a time. */
  private static final class Scored implements Iterator<Row> {
    private final Iterator<Row> in;
    private final SequenceModel model;
    private final Buffers buffers;
    private final Partition p;
    private final List<Row> pending = new ArrayList<>();
    private int next;

    Scored(Iterator<Row> in, SequenceModel model, Buffers buffers, Partition p) {
      this.in = in;
      this.model = model;
      this.buffers = buffers;
      this.p = p;
    }

    @Override
    public boolean hasNext() {
      if (next < pending.size()) {
        return true;
      }
      if (!in.hasNext()) {
        return false;
      }
      fill();
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return pending.get(next++);
    }

    private void fill() {
      pending.clear();
      next = 0;
      double[] x = buffers.x.data();
      int per = p.timesteps * p.features;
      int n = 0;
      List<Row> inputs = new ArrayList<>(p.batch);
      while (n < p.batch && in.hasNext()) {
        Row row = in.next();
        Columns.readSequence(row, p.col, p.name, p.timesteps, p.features, x, n * per);
        inputs.add(row);
        n++;
      }
      if (n < p.batch) {
        java.util.Arrays.fill(x, n * per, x.length, 0.0); // the last, short batch: padding rows
      }
      model.predict(buffers.x, null, buffers.y);
      double[] y = buffers.y.data();
      for (int r = 0; r < n; r++) {
        Row row = inputs.get(r);
        int width = row.length();
        Object[] values = new Object[width + 1];
        for (int i = 0; i < width; i++) {
          values[i] = row.get(i);
        }
        double[] prediction = new double[p.outputs];
        System.arraycopy(y, r * p.outputs, prediction, 0, p.outputs);
        values[width] = prediction;
        pending.add(RowFactory.create(values));
      }
    }
  }
}
