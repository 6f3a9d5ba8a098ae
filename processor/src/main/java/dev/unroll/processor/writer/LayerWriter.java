package dev.unroll.processor.writer;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.LayerInfo;
import dev.unroll.MergeMode;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.Weight;
import java.util.List;

/**
 * The writer of one layer's nested class, and its typed ports: everything the model class needs to
 * connect the layer to its neighbours and to the public API. The model's writers reach a layer only
 * through these methods, never through a field name of their own, so that a new layer kind is a new
 * implementation of this interface and nothing else in the model's writers.
 *
 * <p>Every layer class has the methods {@code initialize(SplittableRandom)}, {@code resize(int batch)},
 * {@code forward()}, {@code startBackward()} and {@code backward()}. Its buffers are time-major:
 * row {@code t*batch + b} holds sample b at step t. Expressions returned here are qualified by the
 * model's field holding the layer ({@code lstm.h}).
 */
interface LayerWriter {

  /** The layer this writes. */
  Layer layer();

  /** The nested class, {@code Lstm1} for {@code lstm_1}. */
  ClassName type();

  /** The model's field holding the layer, {@code lstm1} for {@code lstm_1}. */
  default String field() {
    return Names.layerField(layer().name());
  }

  /** The nested class itself. */
  TypeSpec write();

  /**
   * Layers this one is made of, each with its own nested class and a field of the model declared
   * before this layer's (a Bidirectional layer's two directions); none for a plain layer.
   */
  default List<LayerWriter> parts() {
    return List.of();
  }

  /** The initialiser of the model's field holding the layer. */
  default CodeBlock newInstance() {
    return CodeBlock.of("new $T()", type());
  }

  /** Whether a stepper can run the layer one timestep at a time. */
  default boolean streams() {
    return !layer().goBackwards();
  }

  /** The array holding weight {@code i} of {@link Layer#weights()}, flat in its Keras shape. */
  CodeBlock weight(int i);

  /** The array holding the gradient of weight {@code i} after {@code backward()}, shaped like it. */
  CodeBlock gradient(int i);

  /** The weights and their arrays, in Keras order. */
  default List<Weight> weights() {
    return layer().weights();
  }

  /** A statement to run after the weights were replaced, or an empty block. */
  CodeBlock onWeightsChanged();

  /** The array that receives the layer's input: every step of every sample, time-major rows. */
  CodeBlock input();

  /** The array holding the output of every step after {@code forward()}, when it returns sequences. */
  CodeBlock sequence();

  /** Where step 0 of {@link #sequence()} starts, an expression of {@code batch}. */
  CodeBlock sequenceOffset();

  /** The array holding the output of the last step (or the only output) after {@code forward()}. */
  CodeBlock last();

  /** Where {@link #last()} starts, an expression of {@code batch}. */
  CodeBlock lastOffset();

  /** After {@code startBackward()}: the array that takes dL/d(output) of every step, time-major. */
  CodeBlock dSequence();

  /** After {@code startBackward()}: the array that takes dL/d(output of the last step). */
  CodeBlock dLast();

  /** After {@code backward()}: dL/d(input), shaped like {@link #input()}. */
  CodeBlock dInput();

  /** {@code new LayerInfo(...)}: the layer's architecture, for {@code SequenceModel.layers()}. */
  default CodeBlock layerInfo() {
    return layerInfo(layer().info());
  }

  /**
   * {@code new LayerInfo(...)} with the shortest of its constructors that states {@code info}:
   * {@code LayerInfo.masking} for a Masking layer, the 11 values of an LSTM or a Dense layer, 12 with a
   * GRU's reset_after, 14 with the wrapped layer and merge mode of a Bidirectional one.
   */
  static CodeBlock layerInfo(LayerInfo info) {
    if (info.isMasking()) {
      return CodeBlock.of("$T.masking($S, $L, $L, $L)", Names.LAYER_INFO, info.name(), info.timesteps(), info.inputs(),
          info.maskValue());
    }
    CodeBlock.Builder b = CodeBlock.builder()
        .add("new $T($S, $S, $L, $L, $L, $T.$L, ", Names.LAYER_INFO, info.name(), info.kind(), info.units(),
            info.inputs(), info.timesteps(), Names.ACTIVATION, info.activation())
        .add(info.recurrentActivation() == null ? CodeBlock.of("null") : CodeBlock.of("$T.$L", Names.ACTIVATION,
            info.recurrentActivation()))
        .add(", $L, $L, $L, $L", info.useBias(), info.returnSequences(), info.returnState(), info.goBackwards());
    if (info.isBidirectional()) {
      b.add(", $L, $S, $T.$L", info.resetAfter(), info.wrapped(), ClassName.get(MergeMode.class), info.mergeMode());
    } else if (info.isGru()) {
      b.add(", $L", info.resetAfter());
    }
    return b.add(")").build();
  }

  /** The stepper's part of this layer: its arrays and its call. */
  StepperPart stepper(String input);

  /**
   * What a layer adds to the model's {@code Stepper}: its arrays (the saved ones are reset to zero by the
   * runtime's {@code GeneratedStepper}), the statement of one step, and the array holding the layer's
   * output after a step.
   *
   * @param fields the arrays it keeps per stream
   */
  record StepperPart(List<StateArray> fields, CodeBlock step, String output) {}

  /**
   * One array a stepper keeps per stream: {@code name}, of {@code length} values.
   *
   * @param saved what the array is called in a saved state ({@code h}, {@code c}), or null for a work
   *     array that each step overwrites before reading it, and that is therefore not state
   */
  record StateArray(String name, int length, String saved) {
    /** A work array, not saved with the state. */
    StateArray(String name, int length) {
      this(name, length, null);
    }
  }
}
