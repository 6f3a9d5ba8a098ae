package dev.unroll.processor.writer;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
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
  /** The first LSTM layer: it takes the initial state, and its gates have views. Often {@link #input}. */
  final LstmPorts first;
  /** The last layer, whose output is the model's. */
  final LayerWriter last;
  final int timesteps;

  ModelContext(ModelSpec model, Plan plan) {
    this.model = model;
    this.num = Numeric.of(model.float32());
    this.self = ClassName.get(model.packageName(), model.generatedSimpleName());
    List<LayerWriter> writers = new ArrayList<>();
    for (Layer layer : model.layers()) {
      writers.add(writer(layer, plan, num, self));
    }
    this.layers = List.copyOf(writers);
    this.input = layers.get(0);
    this.first = (LstmPorts) layers.stream().filter(LstmPorts.class::isInstance).findFirst().orElseThrow();
    this.last = layers.get(layers.size() - 1);
    this.timesteps = model.timesteps();
  }

  /** The one place that maps a layer kind to its writer. */
  private static LayerWriter writer(Layer layer, Plan plan, Numeric num, ClassName self) {
    if (layer instanceof LstmLayer lstm) {
      Plan.LayerPlan p = plan.of(lstm);
      return p.writtenOut() ? new ScalarLstmLayerWriter(lstm, p, num, self) : new LstmLayerWriter(lstm, p, num, self);
    }
    return new DenseLayerWriter((DenseLayer) layer, num, self);
  }

  /** The last layer as an LSTM that returns its state (Keras return_state), or null. */
  LstmPorts returnsState() {
    return last instanceof LstmPorts l && l.layer().returnState() ? l : null;
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
