package dev.unroll.processor;

import dev.unroll.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * One {@code @Lstm} annotation as javac sees it: the annotated type, the annotation mirror, and
 * each attribute's value, kept so that a message can point at the attribute that is wrong.
 */
final class Declaration {
  final TypeElement type;
  final AnnotationMirror mirror;
  private final Map<String, AnnotationValue> explicit = new LinkedHashMap<>();
  private final Map<String, AnnotationValue> withDefaults = new LinkedHashMap<>();
  private final Map<String, TypeMirror> types = new LinkedHashMap<>();

  Declaration(TypeElement type, AnnotationMirror mirror, Elements elements) {
    this.type = type;
    this.mirror = mirror;
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
      explicit.put(e.getKey().getSimpleName().toString(), e.getValue());
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(mirror).entrySet()) {
      withDefaults.put(e.getKey().getSimpleName().toString(), e.getValue());
      types.put(e.getKey().getSimpleName().toString(), e.getKey().getReturnType());
    }
  }

  /** The value the user wrote for {@code attribute}, or null if it takes its default. */
  AnnotationValue explicit(String attribute) {
    return explicit.get(attribute);
  }

  boolean isStated(String attribute) {
    return explicit.containsKey(attribute);
  }

  /**
   * Whether javac could not evaluate the value of {@code attribute} ({@code units = NOPE}): it has
   * reported that error on the value, so Unroll reports nothing more about it.
   */
  boolean isErroneous(String attribute) {
    Object v = value(attribute);
    switch (types.get(attribute).getKind()) {
      case INT:
        return !(v instanceof Integer);
      case BOOLEAN:
        return !(v instanceof Boolean);
      case DECLARED:
        return !(v instanceof VariableElement);
      default:
        return v == null;
    }
  }

  /** Whether javac could not evaluate the value of some attribute: see {@link #isErroneous}. */
  boolean hasErroneousValue() {
    return withDefaults.keySet().stream().anyMatch(this::isErroneous);
  }

  int intValue(String attribute) {
    Object v = value(attribute);
    return v instanceof Integer ? (Integer) v : 0;
  }

  boolean booleanValue(String attribute) {
    return Boolean.TRUE.equals(value(attribute));
  }

  Activation activation(String attribute) {
    Object v = value(attribute);
    return Activation.valueOf(((VariableElement) v).getSimpleName().toString());
  }

  private Object value(String attribute) {
    AnnotationValue v = withDefaults.get(attribute);
    if (v == null) {
      throw new IllegalStateException("@Lstm has no attribute " + attribute);
    }
    return v.getValue();
  }
}
