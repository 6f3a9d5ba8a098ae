package dev.unroll.processor;

import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.ModelSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Checks one annotated type and its layer annotations, and builds its model: the type itself
 * ({@link TypeChecks}), then its layers in stack order, inferring each layer's shapes from the one
 * before ({@link StackInference}, against {@link Limits}), then the generated name. Reports every
 * problem (each on the annotation and attribute it concerns, in the words of {@link Messages})
 * before giving up, and returns the model only if there were none.
 */
final class Validator {
  private final Messager messager;
  private final Elements elements;
  private final Types types;
  /** Generated names already claimed in this compilation, and by whom. */
  private final Map<String, String> claimed;

  Validator(ProcessingEnvironment env, Map<String, String> claimed) {
    this.messager = env.getMessager();
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
    this.claimed = claimed;
  }

  Optional<ModelSpec> validate(ModelDeclaration m) {
    TypeElement type = m.type;
    String name = type.getSimpleName().toString();
    Declaration primary = m.primary();
    if (primary == null) {
      // only @Float32, or a container written by hand and empty: @Lstm.List({})
      if (m.float32) {
        messager.printMessage(Diagnostic.Kind.ERROR, Messages.float32WithoutLstm(), type, m.float32Mirror);
      } else if (m.emptyContainer != null) {
        messager.printMessage(Diagnostic.Kind.ERROR,
            Messages.noLayers("@" + m.emptyContainer.getAnnotationType().asElement().getEnclosingElement()
                .getSimpleName() + ".List"), type, m.emptyContainer);
      }
      return Optional.empty();
    }
    Report report = new Report(messager);
    TypeChecks typeChecks = new TypeChecks(elements, types, report);
    StackInference stack = new StackInference(report);
    typeChecks.checkType(primary, name);
    if (m.lstms.isEmpty()) {
      report.error(primary, null, Messages.denseWithoutLstm());
      return Optional.empty();
    }
    if (!stack.checkCount(m)) {
      return Optional.empty();
    }
    List<Layer> layers = stack.checkLayers(m);
    if (report.failed()) {
      return Optional.empty();
    }
    ModelSpec spec = new ModelSpec(packageOf(type), simpleNames(type), type.getKind() == ElementKind.INTERFACE,
        layers, m.float32, isDeprecated(type), isSerializable(type), memberTypeNames(type));
    typeChecks.checkName(primary, spec, claimed);
    return report.failed() ? Optional.empty() : Optional.of(spec);
  }

  private boolean isDeprecated(TypeElement type) {
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (elements.isDeprecated(e)) {
        return true;
      }
    }
    return false;
  }

  private boolean isSerializable(TypeElement type) {
    TypeElement serializable = elements.getTypeElement("java.io.Serializable");
    return serializable != null && types.isSubtype(types.erasure(type.asType()), serializable.asType());
  }

  /**
   * The simple names of the member types the generated class inherits (from the model type and its
   * supertypes): they would hide the runtime types the generated code imports, so the writer
   * qualifies those names.
   */
  private List<String> memberTypeNames(TypeElement type) {
    Set<String> names = new TreeSet<>();
    collectMemberTypes(type.asType(), names, new HashSet<>());
    return new ArrayList<>(names);
  }

  private void collectMemberTypes(TypeMirror t, Set<String> names, Set<String> seen) {
    Element e = types.asElement(t);
    if (!(e instanceof TypeElement) || !seen.add(((TypeElement) e).getQualifiedName().toString())) {
      return;
    }
    for (TypeElement member : ElementFilter.typesIn(e.getEnclosedElements())) {
      names.add(member.getSimpleName().toString());
    }
    for (TypeMirror s : types.directSupertypes(t)) {
      collectMemberTypes(s, names, seen);
    }
  }

  static String packageOf(TypeElement type) {
    Element e = type;
    while (!(e instanceof PackageElement)) {
      e = e.getEnclosingElement();
    }
    PackageElement p = (PackageElement) e;
    return p.isUnnamed() ? "" : p.getQualifiedName().toString();
  }

  static List<String> simpleNames(TypeElement type) {
    List<String> names = new ArrayList<>();
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      names.add(0, e.getSimpleName().toString());
    }
    return names;
  }

  static String qualified(String pkg, String simple) {
    return pkg.isEmpty() ? simple : pkg + "." + simple;
  }
}
