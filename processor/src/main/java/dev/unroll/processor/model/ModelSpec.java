package dev.unroll.processor.model;

import java.util.List;

/**
 * A validated model: the annotated type's names and its layers, free of javac types so that the
 * planner and the writer can be tested without a compiler.
 *
 * @param packageName the package of the annotated type, empty for the unnamed package
 * @param simpleNames the annotated type's simple name, preceded by those of its enclosing types
 * @param isInterface whether the annotated type is an interface (else the generated class extends it)
 * @param layers the layers in order, input first
 */
public record ModelSpec(String packageName, List<String> simpleNames, boolean isInterface, List<LstmLayer> layers) {

  public ModelSpec {
    simpleNames = List.copyOf(simpleNames);
    layers = List.copyOf(layers);
  }

  /** {@code Unrolled} and the simple names joined by {@code _}: {@code UnrolledOuter_Inner}. */
  public String generatedSimpleName() {
    return generatedSimpleName(simpleNames);
  }

  public static String generatedSimpleName(List<String> simpleNames) {
    return "Unrolled" + String.join("_", simpleNames);
  }

  /** The name users write for the annotated type, {@code Outer.Inner}. */
  public String sourceName() {
    return String.join(".", simpleNames);
  }

  /** The first layer, which takes the model's input. */
  public LstmLayer input() {
    return layers.get(0);
  }

  /** The last layer, whose output is the model's. */
  public LstmLayer output() {
    return layers.get(layers.size() - 1);
  }

  public long paramCount() {
    return layers.stream().mapToLong(LstmLayer::paramCount).sum();
  }
}
