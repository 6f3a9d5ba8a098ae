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
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
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
    if (m.memberForm() && !checkMemberForm(m, report, name)) {
      return Optional.empty();
    }
    typeChecks.checkType(primary, name, layerMethods(m));
    if (!m.memberForm() && !m.lstms.isEmpty() && !m.grus.isEmpty()) {
      report.error(m.grus.get(0), null, Messages.mixedRecurrentKinds());
      return Optional.empty();
    }
    if (m.lstms.isEmpty() && m.grus.isEmpty() && !m.maskings.isEmpty()) {
      report.error(m.maskings.get(0), null, Messages.maskingOnly(m.maskings.get(0).method.getSimpleName().toString()));
      return Optional.empty();
    }
    if (m.lstms.isEmpty() && m.grus.isEmpty()) {
      report.error(m.memberForm() ? m.members.get(0) : primary, null, Messages.denseWithoutLstm());
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
        layers, m.float32, isDeprecated(type), isSerializable(type), memberTypeNames(type), m.memberForm());
    typeChecks.checkName(primary, spec, claimed);
    return report.failed() ? Optional.empty() : Optional.of(spec);
  }

  /**
   * The rules of the member form that the stack inference does not see: @Input present and valid,
   * no layer annotation left on the type, each layer method abstract, without parameters, returning
   * {@code dev.unroll.Layer}, with one layer annotation.
   * Returns whether the stack can be inferred (an @Input is there).
   */
  private boolean checkMemberForm(ModelDeclaration m, Report report, String name) {
    for (Declaration d : m.typeLevel) {
      report.error(d, null, Messages.mixedForms(d.annotation));
    }
    for (Declaration d : m.extraOnMethod) {
      Declaration first = m.members.stream().filter(x -> x.method == d.method).findFirst().orElse(d);
      report.error(d, null, Messages.twoLayersOnMethod(d.method.getSimpleName().toString(), first.annotation,
          d.annotation));
    }
    for (Declaration d : m.strayBidirectional) {
      report.error(d, null, Messages.bidirectionalWithoutRecurrent(d.method.getSimpleName().toString()));
    }
    for (Declaration d : m.members) {
      if (d.bidirectional != null && (d.annotation.equals("@Dense") || d.annotation.equals("@Masking"))) {
        report.error(d.bidirectional, null, Messages.bidirectionalWithoutRecurrent(d.method.getSimpleName().toString()));
      }
    }
    if (m.input == null) {
      Declaration on = !m.members.isEmpty() ? m.members.get(0)
          : !m.extraOnMethod.isEmpty() ? m.extraOnMethod.get(0) : m.strayBidirectional.get(0);
      report.error(on, null, Messages.missingInput(name));
      return false;
    }
    if (m.members.isEmpty()) {
      report.error(m.input, null, Messages.inputWithoutLayers(name));
      return false;
    }
    checkInput(m.input, "timesteps", "the length of each input sequence", "24", report);
    checkInput(m.input, "features", "the number of values in each x_t", "3", report);
    TypeElement layer = elements.getTypeElement("dev.unroll.Layer");
    for (Declaration d : m.members) {
      ExecutableElement method = d.method;
      String methodName = method.getSimpleName().toString();
      Set<Modifier> modifiers = method.getModifiers();
      if (modifiers.contains(Modifier.STATIC)) {
        report.error(d, null, Messages.layerMethodNotAbstract(methodName, "static"));
      } else if (!modifiers.contains(Modifier.ABSTRACT)) {
        report.error(d, null, Messages.layerMethodNotAbstract(methodName,
            modifiers.contains(Modifier.DEFAULT) ? "a default method" : "a method with a body"));
      }
      if (!method.getParameters().isEmpty()) {
        report.error(d, null, Messages.layerMethodParameters(methodName, method.getParameters().size()));
      }
      String owner = reservedNoArgMethod(methodName);
      if (owner != null && method.getParameters().isEmpty()) {
        report.error(d, null, Messages.layerMethodClash(methodName, owner));
      }
      TypeMirror returns = method.getReturnType();
      if (layer == null || !types.isSameType(returns, layer.asType())) {
        report.error(d, null, Messages.layerMethodReturnType(methodName, returns.toString()));
      }
    }
    return true;
  }

  /** The type among SequenceModel and Object that has a method {@code name()} without parameters, or null. */
  private String reservedNoArgMethod(String name) {
    for (String owner : new String[] {"dev.unroll.SequenceModel", "java.lang.Object"}) {
      TypeElement t = elements.getTypeElement(owner);
      if (t != null && ElementFilter.methodsIn(t.getEnclosedElements()).stream()
          .anyMatch(x -> x.getParameters().isEmpty() && x.getSimpleName().contentEquals(name))) {
        return owner.substring(owner.lastIndexOf('.') + 1);
      }
    }
    return null;
  }

  private static void checkInput(Declaration input, String attribute, String meaning, String example, Report report) {
    if (input.isErroneous(attribute)) {
      report.fail();
    } else if (input.intValue(attribute) < 1) {
      report.error(input, attribute, Messages.inputPositive(attribute, input.intValue(attribute), meaning, example));
    }
  }

  /** The member form's layer methods, which the generated class implements (or the validator refuses). */
  private static Set<ExecutableElement> layerMethods(ModelDeclaration m) {
    Set<ExecutableElement> methods = new HashSet<>();
    if (m.memberForm()) {
      m.members.forEach(d -> methods.add(d.method));
      m.extraOnMethod.forEach(d -> methods.add(d.method));
    }
    return methods;
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
