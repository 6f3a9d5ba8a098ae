package dev.unroll.processor.writer;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.BidirectionalLayer;
import dev.unroll.processor.model.GruLayer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.MaskingLayer;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.model.Plan;
import java.util.ArrayList;
import java.util.List;

import static javax.lang.model.element.Modifier.PUBLIC;

/**
 * What the writers of one model class share: the model, its plan, its number type, the generated
 * class's name and one {@link LayerWriter} per layer, input first.
 */
final class ModelContext {
  static final ParameterizedTypeName TENSOR_LIST = ParameterizedTypeName.get(Names.LIST, Names.TENSOR);

  final ModelSpec model;
  final Numeric num;
  final ClassName self;
  final List<LayerWriter> layers;
  /** The first layer: it takes the model's input. */
  final LayerWriter input;
  /** The first recurrent layer (LSTM or GRU): it takes the initial state. Often {@link #input}. */
  final RecurrentPorts first;
  /** The first LSTM layer, whose gates the model class offers as views ({@code kernel(Gate)}), or null. */
  final LstmPorts firstLstm;
  /** The last layer, whose output is the model's. */
  final LayerWriter last;
  /** The Masking layer (the first), or null. */
  final MaskingWriter masking;
  final int timesteps;

  ModelContext(ModelSpec model, Plan plan) {
    this.model = model;
    this.num = Numeric.of(model.float32());
    this.self = ClassName.get(model.packageName(), model.generatedSimpleName());
    List<LayerWriter> writers = new ArrayList<>();
    for (Layer layer : model.layers()) {
      writers.add(writer(layer, plan, num, self, model.masked(layer)));
    }
    this.layers = List.copyOf(writers);
    this.input = layers.get(0);
    this.masking = input instanceof MaskingWriter w ? w : null;
    this.first = (RecurrentPorts) layers.stream().filter(RecurrentPorts.class::isInstance).findFirst().orElseThrow();
    this.firstLstm = (LstmPorts) layers.stream().filter(LstmPorts.class::isInstance).findFirst().orElse(null);
    this.last = layers.get(layers.size() - 1);
    this.timesteps = model.timesteps();
  }

  /** The one place that maps a layer kind to its writer. */
  private static LayerWriter writer(Layer layer, Plan plan, Numeric num, ClassName self, boolean masked) {
    if (layer instanceof LstmLayer lstm) {
      Plan.LayerPlan p = plan.of(lstm);
      return p.writtenOut() ? new ScalarLstmLayerWriter(lstm, p, num, self, masked)
          : new LstmLayerWriter(lstm, p, num, self, masked);
    }
    if (layer instanceof GruLayer gru) {
      return new GruLayerWriter(gru, num, self, masked);
    }
    if (layer instanceof BidirectionalLayer bi) {
      return new BidirectionalWriter(bi, (RecurrentPorts) writer(bi.forward(), plan, num, self, masked),
          (RecurrentPorts) writer(bi.backward(), plan, num, self, masked), num, self, masked);
    }
    if (layer instanceof MaskingLayer m) {
      return new MaskingWriter(m, num, self);
    }
    return new DenseLayerWriter((DenseLayer) layer, num, self);
  }

  /** The last layer as a recurrent layer that returns its state (Keras return_state), or null. */
  RecurrentPorts returnsState() {
    return last instanceof RecurrentPorts l && l.returnState() ? l : null;
  }

  /** The names of the initial state's tensors, {@code h0, c0} or {@code h0}. */
  String stateList(String suffix) {
    return String.join(", ", first.stateNames().stream().map(n -> n + suffix).toList());
  }

  /** Whether a stepper can run the model one timestep at a time: no layer needs the whole sequence first. */
  boolean streams() {
    return layers.stream().allMatch(LayerWriter::streams);
  }

  /** The writers of the layers that see the Masking layer's mask (a Bidirectional layer's directions too). */
  List<LayerWriter> maskedLayers() {
    List<LayerWriter> out = new ArrayList<>();
    for (LayerWriter w : layers) {
      if (model.masked(w.layer()) && w.layer().recurrent()) {
        out.addAll(w.parts());
        out.add(w);
      }
    }
    return out;
  }

  /** Whether the model's output has a time axis. */
  boolean sequenceOutput() {
    return last.layer().returnsSequences();
  }

  /** The dimensions after the batch of the model's output, as arguments: {@code TIMESTEPS, OUTPUTS}. */
  String outputTrailing() {
    return sequenceOutput() ? "TIMESTEPS, OUTPUTS" : "OUTPUTS";
  }

  static MethodSpec.Builder override(String name, TypeName returns) {
    return MethodSpec.methodBuilder(name).addAnnotation(Names.OVERRIDE).addModifiers(PUBLIC).returns(returns);
  }

  static String plural(int n, String word) {
    return n == 1 ? word : word + "s";
  }
}
