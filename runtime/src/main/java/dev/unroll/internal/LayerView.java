package dev.unroll.internal;

import dev.unroll.Gate;
import dev.unroll.GruGate;
import dev.unroll.Layer;
import dev.unroll.LayerInfo;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@link Layer} view of one layer of a model: its weights are the model's
 * {@link SequenceModel#getWeights()} from this layer's first one, so a view always reads the
 * current weights and never goes stale after {@code setWeights}.
 */
public final class LayerView implements Layer {
  private final SequenceModel model;
  private final LayerInfo info;
  private final int first;

  private LayerView(SequenceModel model, LayerInfo info, int first) {
    this.model = model;
    this.info = info;
    this.first = first;
  }

  /** The view of layer {@code index} of {@code model} (0 is the first after the input). */
  public static Layer of(SequenceModel model, int index) {
    List<LayerInfo> layers = model.layers();
    if (index < 0 || index >= layers.size()) {
      throw new IndexOutOfBoundsException("layer " + index + ": the model has " + layers.size()
          + " layers, 0 to " + (layers.size() - 1));
    }
    int first = 0;
    for (int i = 0; i < index; i++) {
      first += weightNames(layers.get(i)).size();
    }
    return new LayerView(model, layers.get(index), first);
  }

  /** The view of the layer named {@code name}. */
  public static Layer of(SequenceModel model, String name) {
    List<LayerInfo> layers = model.layers();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).name().equals(name)) {
        return of(model, i);
      }
      names.add(layers.get(i).name());
    }
    throw new IllegalArgumentException("no layer named \"" + name + "\"; the model's layers are " + names);
  }

  private static List<String> weightNames(LayerInfo info) {
    if (info.isBidirectional()) {
      List<String> names = new ArrayList<>();
      for (boolean backward : new boolean[] {false, true}) {
        LayerInfo d = info.direction(backward);
        for (String w : weightNames(d)) {
          names.add(d.name() + "/" + w);
        }
      }
      return names;
    }
    if (info.isMasking()) {
      return List.of();
    }
    if (info.isRecurrent()) {
      return info.useBias() ? List.of("kernel", "recurrent_kernel", "bias") : List.of("kernel", "recurrent_kernel");
    }
    return info.useBias() ? List.of("kernel", "bias") : List.of("kernel");
  }

  @Override
  public String name() {
    return info.name();
  }

  @Override
  public String kind() {
    return info.kind();
  }

  @Override
  public int[] outputShape() {
    return info.returnSequences() || (!info.isRecurrent() && info.timesteps() > 0)
        ? new int[] {info.timesteps(), info.outputWidth()}
        : new int[] {info.outputWidth()};
  }

  @Override
  public long paramCount() {
    return info.paramCount();
  }

  @Override
  public LayerInfo info() {
    return info;
  }

  @Override
  public List<String> weightNames() {
    return weightNames(info);
  }

  @Override
  public List<Tensor> weights() {
    return List.copyOf(model.getWeights().subList(first, first + weightNames(info).size()));
  }

  @Override
  public Tensor kernel(Gate gate) {
    gated("kernel");
    return Layout.gateBlock(model.getWeights().get(first).data(), info.inputs(), info.units(), gate);
  }

  @Override
  public Tensor recurrentKernel(Gate gate) {
    gated("recurrentKernel");
    return Layout.gateBlock(model.getWeights().get(first + 1).data(), info.units(), info.units(), gate);
  }

  @Override
  public Tensor bias(Gate gate) {
    gated("bias");
    if (!info.useBias()) {
      throw new UnsupportedOperationException("bias(" + gate + "): layer " + info.name()
          + " has no bias (useBias = false)");
    }
    return Layout.gateBlock(model.getWeights().get(first + 2).data(), 0, info.units(), gate);
  }

  @Override
  public Layer forwardLayer() {
    return direction(false);
  }

  @Override
  public Layer backwardLayer() {
    return direction(true);
  }

  private Layer direction(boolean backward) {
    if (!info.isBidirectional()) {
      throw new UnsupportedOperationException((backward ? "backwardLayer" : "forwardLayer") + "(): layer "
          + info.name() + " (" + info.kind() + ") is not Bidirectional");
    }
    LayerInfo d = info.direction(backward);
    return new LayerView(model, d, first + (backward ? weightNames(d).size() : 0));
  }

  private void gated(String view) {
    if (info.isBidirectional()) {
      throw new UnsupportedOperationException(view + ": layer " + info.name() + " is Bidirectional: take the gates "
          + "of one direction, forwardLayer()." + view + " or backwardLayer()." + view);
    }
    if (!info.isLstm()) {
      throw new UnsupportedOperationException(view + "(Gate): layer " + info.name() + " (" + info.kind()
          + (info.isGru() ? ") has the gates z, r, h: use " + view + "(GruGate)"
              : ") has no gates; its weights are " + weightNames(info) + ", see weights()"));
    }
  }

  private void gru(String view) {
    if (info.isBidirectional()) {
      gated(view);
    }
    if (!info.isGru()) {
      throw new UnsupportedOperationException(view + "(GruGate): layer " + info.name() + " (" + info.kind()
          + (info.isLstm() ? ") has the gates i, f, c, o: use " + view + "(Gate)"
              : ") has no gates; its weights are " + weightNames(info) + ", see weights()"));
    }
  }

  @Override
  public Tensor kernel(GruGate gate) {
    gru("kernel");
    return block(model.getWeights().get(first).data(), info.inputs(), 0, gate);
  }

  @Override
  public Tensor recurrentKernel(GruGate gate) {
    gru("recurrentKernel");
    return block(model.getWeights().get(first + 1).data(), info.units(), 0, gate);
  }

  @Override
  public Tensor bias(GruGate gate) {
    gru("bias");
    if (!info.useBias()) {
      throw new UnsupportedOperationException("bias(" + gate + "): layer " + info.name()
          + " has no bias (useBias = false)");
    }
    return block(model.getWeights().get(first + 2).data(), 0, 0, gate);
  }

  @Override
  public Tensor recurrentBias(GruGate gate) {
    gru("recurrentBias");
    if (!info.useBias() || !info.resetAfter()) {
      throw new UnsupportedOperationException("recurrentBias(" + gate + "): layer " + info.name()
          + " has no recurrent bias (" + (info.useBias() ? "resetAfter = false: one bias row" : "useBias = false")
          + ")");
    }
    return block(model.getWeights().get(first + 2).data(), 0, 3 * info.units(), gate);
  }

  /** Columns of one GRU gate from a matrix of 3·units columns ({@code rows} 0: a vector at {@code from}). */
  private Tensor block(double[] matrix, int rows, int from, GruGate gate) {
    int u = info.units();
    int n = Math.max(rows, 1);
    double[] out = new double[n * u];
    for (int r = 0; r < n; r++) {
      System.arraycopy(matrix, from + r * 3 * u + gate.offset(u), out, r * u, u);
    }
    return rows == 0 ? Tensor.wrap(out, u) : Tensor.wrap(out, rows, u);
  }

  @Override
  public String toString() {
    return info.name() + " (" + info.kind() + ") " + Arrays.toString(outputShape()).replace('[', '(').replace(']', ')')
        + ", " + info.paramCount() + " params";
  }
}
