package dev.unroll.spark;

import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights of a model, as Spark broadcasts them: the values and shapes of
 * {@link SequenceModel#getWeights()}, in Keras order, and nothing else (no class, no buffers).
 */
public final class ModelWeights implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[][] shapes;
  private final double[][] values;

  private ModelWeights(int[][] shapes, double[][] values) {
    this.shapes = shapes;
    this.values = values;
  }

  /** A copy of {@code weights}. */
  public static ModelWeights of(List<Tensor> weights) {
    int n = weights.size();
    int[][] shapes = new int[n][];
    double[][] values = new double[n][];
    for (int i = 0; i < n; i++) {
      shapes[i] = weights.get(i).shape();
      values[i] = weights.get(i).data().clone();
    }
    return new ModelWeights(shapes, values);
  }

  /** A copy of the weights of {@code model}. */
  public static ModelWeights of(SequenceModel model) {
    return of(model.getWeights());
  }

  /** New tensors holding these weights. */
  public List<Tensor> toTensors() {
    List<Tensor> out = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      out.add(Tensor.wrap(values[i].clone(), shapes[i]));
    }
    return out;
  }

  /** Sets these weights on {@code model} (shape-checked by the model; all or nothing). */
  public void applyTo(SequenceModel model) {
    List<Tensor> out = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      out.add(Tensor.wrap(values[i], shapes[i]));
    }
    model.setWeights(out);
  }

  /** The number of weight tensors. */
  public int count() {
    return values.length;
  }

  /** The total number of values, the model's parameter count. */
  public int size() {
    int n = 0;
    for (double[] v : values) {
      n += v.length;
    }
    return n;
  }
}
