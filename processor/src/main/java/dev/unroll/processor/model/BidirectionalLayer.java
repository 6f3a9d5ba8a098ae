package dev.unroll.processor.model;

import dev.unroll.LayerInfo;
import dev.unroll.MergeMode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Keras {@code Bidirectional} wrapper of an LSTM or GRU layer: a forward copy, and a backward
 * copy with its own weights that reads the sequence from the last step (go_backwards), whose
 * output sequence is reversed back to input order before the two are merged.
 *
 * @param name the Keras layer name: the layer method's name
 * @param forward the forward direction, named {@code <name>_forward} (its Keras name is
 *     {@code forward_lstm} or {@code forward_gru})
 * @param mergeMode how the two outputs combine
 */
public record BidirectionalLayer(String name, Layer forward, MergeMode mergeMode) implements Layer {

  /** The backward direction: the forward layer's attributes, go_backwards, its own weights. */
  public Layer backward() {
    String n = name + "_backward";
    if (forward instanceof LstmLayer l) {
      return new LstmLayer(n, l.units(), l.timesteps(), l.features(), l.activation(), l.recurrentActivation(),
          l.useBias(), l.unitForgetBias(), l.returnSequences(), false, true);
    }
    GruLayer g = (GruLayer) forward;
    return new GruLayer(n, g.units(), g.timesteps(), g.features(), g.activation(), g.recurrentActivation(),
        g.useBias(), g.resetAfter(), g.returnSequences(), false, true);
  }

  /** {@code lstm} or {@code gru}: how Keras names the directions, {@code forward_lstm}, {@code backward_lstm}. */
  public String wrappedName() {
    return forward.kerasClass().toLowerCase(java.util.Locale.ROOT);
  }

  /** The units of each direction. */
  public int units() {
    return forward.outputWidth();
  }

  @Override
  public List<Weight> weights() {
    List<Weight> all = new ArrayList<>();
    for (String direction : new String[] {"forward", "backward"}) {
      for (Weight w : forward.weights()) {
        all.add(new Weight(direction + "_" + wrappedName() + "/" + w.name(),
            w.symbol() + (direction.equals("forward") ? "→" : "←"), w.shape()));
      }
    }
    return all;
  }

  @Override
  public String paramFormula() {
    return "2*" + forward.paramFormula().replace(" = ", " = 2*");
  }

  /** The wrapped layer's attributes, with the units of each direction and the merge mode. */
  @Override
  public LayerInfo info() {
    LayerInfo inner = forward.info();
    return new LayerInfo(name, kerasClass(), units(), inputWidth(), timesteps(), inner.activation(),
        inner.recurrentActivation(), inner.useBias(), returnsSequences(), false, false, inner.resetAfter(),
        forward.kerasClass(), mergeMode);
  }

  @Override
  public String kerasClass() {
    return "Bidirectional";
  }

  @Override
  public int timesteps() {
    return forward.timesteps();
  }

  @Override
  public boolean recurrent() {
    return true;
  }

  @Override
  public boolean returnsSequences() {
    return forward.returnsSequences();
  }

  @Override
  public int inputWidth() {
    return forward.inputWidth();
  }

  /** Twice the units with CONCAT, else the units. */
  @Override
  public int outputWidth() {
    return mergeMode == MergeMode.CONCAT ? 2 * units() : units();
  }

  @Override
  public int[] outputShape() {
    return returnsSequences() ? new int[] {timesteps(), outputWidth()} : new int[] {outputWidth()};
  }

  /** Each direction's buffers, or the merged output (T, 2U). */
  @Override
  public long valuesPerSample() {
    return Math.max(forward.valuesPerSample(), (long) Math.max(1, timesteps()) * outputWidth());
  }
}
