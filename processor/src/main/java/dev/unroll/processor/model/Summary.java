package dev.unroll.processor.model;

import dev.unroll.internal.KerasSummary;

/**
 * The Keras (2.x) {@code model.summary()} table of a model: the runtime's {@link KerasSummary} of its
 * layers' {@link Layer#info()}, the same table the generated class builds from its {@code LAYERS}.
 */
public final class Summary {
  private Summary() {}

  public static String of(ModelSpec model) {
    return KerasSummary.of(model.sourceName(), model.layers().stream().map(Layer::info).toList());
  }
}
