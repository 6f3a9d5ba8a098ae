package dev.unroll.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import dev.unroll.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;

/**
 * One {@code @Lstm} or {@code @Dense} annotation as javac sees it: the annotated type, the
 * annotation mirror, each attribute's value, and, where the compiler's tree API is available, the
 * annotation's own tree, so that a message lands on the attribute that is wrong even when the
 * annotation is one of several repeated ones (javac puts a message given with the synthesized
 * container's mirror on the type's line).
 */
final class Declaration {
  final TypeElement type;
  /** In the member form, the layer method the annotation is on; null for an annotation on the type. */
  final ExecutableElement method;
  final AnnotationMirror mirror;
  /** {@code @Lstm} or {@code @Dense}. */
  final String annotation;
  /** The position among the type's annotations of this kind, from 0. */
  final int index;
  private final Map<String, AnnotationValue> explicit = new LinkedHashMap<>();
  /** In the member form, the {@code @Bidirectional} on the same method, if any. */
  Declaration bidirectional;
  private final Map<String, AnnotationValue> withDefaults = new LinkedHashMap<>();
  private final Map<String, TypeMirror> types = new LinkedHashMap<>();
  private Trees trees;
  private CompilationUnitTree unit;
  private AnnotationTree tree;

  Declaration(TypeElement type, AnnotationMirror mirror, String annotation, int index, Elements elements) {
    this(type, null, mirror, annotation, index, elements);
  }

  /** An annotation on {@code method} of {@code type} (the member form), or on the type when it is null. */
  Declaration(TypeElement type, ExecutableElement method, AnnotationMirror mirror, String annotation, int index,
      Elements elements) {
    this.type = type;
    this.method = method;
    this.mirror = mirror;
    this.annotation = annotation;
    this.index = index;
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
      explicit.put(e.getKey().getSimpleName().toString(), e.getValue());
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(mirror).entrySet()) {
      withDefaults.put(e.getKey().getSimpleName().toString(), e.getValue());
      types.put(e.getKey().getSimpleName().toString(), e.getKey().getReturnType());
    }
  }

  /** Attaches the annotation's source tree, for precise positions. */
  void locate(Trees trees, CompilationUnitTree unit, AnnotationTree tree) {
    this.trees = trees;
    this.unit = unit;
    this.tree = tree;
  }

  /** The source line of the annotation, or 0 when unknown. */
  int line() {
    if (tree == null) {
      return 0;
    }
    long pos = trees.getSourcePositions().getStartPosition(unit, tree);
    return pos < 0 ? 0 : (int) unit.getLineMap().getLineNumber(pos);
  }

  /**
   * Where the annotation is, for messages that refer to it: {@code at line 12}, or, when the line is
   * unknown, {@code number 2} (its position among the type's annotations of its kind).
   */
  String where() {
    if (method != null) {
      return "on " + method.getSimpleName() + "()";
    }
    int line = line();
    return line > 0 ? "at line " + line : "number " + (index + 1);
  }

  /**
   * Reports a message on this annotation, or on its attribute when {@code attribute} is given and
   * stated.
   */
  void report(Messager messager, Diagnostic.Kind kind, String attribute, String message) {
    if (tree != null) {
      Tree at = tree;
      if (attribute != null) {
        for (ExpressionTree argument : tree.getArguments()) {
          if (argument instanceof AssignmentTree
              && ((AssignmentTree) argument).getVariable() instanceof IdentifierTree
              && ((IdentifierTree) ((AssignmentTree) argument).getVariable()).getName().contentEquals(attribute)) {
            at = argument;
          }
        }
      }
      trees.printMessage(kind, message, at, unit);
      return;
    }
    AnnotationValue value = attribute == null ? null : explicit(attribute);
    Element on = method != null ? method : type;
    if (value != null) {
      messager.printMessage(kind, message, on, mirror, value);
    } else {
      messager.printMessage(kind, message, on, mirror);
    }
  }

  /**
   * The Keras name of the layer this annotation declares: the method's name in the member form,
   * else {@code base} for the first of its kind and {@code base_i} for the others.
   */
  String layerName(String base) {
    if (method != null) {
      return method.getSimpleName().toString();
    }
    return index == 0 ? base : base + "_" + index;
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
      case DOUBLE:
        return !(v instanceof Double);
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

  double doubleValue(String attribute) {
    Object v = value(attribute);
    return v instanceof Double ? (Double) v : 0;
  }

  boolean booleanValue(String attribute) {
    return Boolean.TRUE.equals(value(attribute));
  }

  /** The name of the enum constant {@code attribute} holds: {@code CONCAT}. */
  String enumName(String attribute) {
    return ((VariableElement) value(attribute)).getSimpleName().toString();
  }

  Activation activation(String attribute) {
    Object v = value(attribute);
    return Activation.valueOf(((VariableElement) v).getSimpleName().toString());
  }

  private Object value(String attribute) {
    AnnotationValue v = withDefaults.get(attribute);
    if (v == null) {
      throw new IllegalStateException(annotation + " has no attribute " + attribute);
    }
    return v.getValue();
  }
}
