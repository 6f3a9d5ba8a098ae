package dev.unroll.processor;

import dev.unroll.processor.model.ModelSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import dev.unroll.processor.writer.ModelWriter;

/**
 * The checks of the annotated type itself, whatever its layers: its kind and modifiers, its
 * no-argument constructor (for a class), its methods against those the generated class implements,
 * overrides or declares, and the generated class's name. Each problem is reported on the type's
 * first layer annotation.
 */
final class TypeChecks {
  /** The private helpers of every generated class, by erased signature: a user method must not clash. */
  private static final Set<String> GENERATED_HELPERS = ModelWriter.PRIVATE_HELPERS;

  /** The public methods generated beside SequenceModel's, with their return types. */
  private static final Map<String, String> GENERATED_VIEWS = ModelWriter.PUBLIC_EXTRAS;

  private final Elements elements;
  private final Types types;
  private final Report report;

  TypeChecks(Elements elements, Types types, Report report) {
    this.elements = elements;
    this.types = types;
    this.report = report;
  }

  /** Checks the kind, modifiers, constructor and methods of the annotated type; {@code name} is its simple name. */
  void checkType(Declaration d, String name) {
    checkType(d, name, Set.of());
  }

  /**
   * As {@link #checkType(Declaration, String)}; {@code layerMethods} are the member form's layer
   * methods, which the generated class implements and the validator checks.
   */
  void checkType(Declaration d, String name, Set<ExecutableElement> layerMethods) {
    TypeElement type = d.type;
    switch (type.getKind()) {
      case INTERFACE:
      case CLASS:
        break;
      case ENUM:
        report.error(d, null, Messages.wrongKind("an enum", name));
        return;
      case ANNOTATION_TYPE:
        report.error(d, null, Messages.wrongKind("an annotation type", name));
        return;
      default:
        report.error(d, null, Messages.wrongKind(type.getKind() == ElementKind.RECORD ? "a record" : "a " + type.getKind(), name));
        return;
    }
    NestingKind nesting = type.getNestingKind();
    if (nesting == NestingKind.LOCAL || nesting == NestingKind.ANONYMOUS) {
      report.error(d, null, Messages.localType(name));
      return;
    }
    if (type.getModifiers().contains(Modifier.PRIVATE)) {
      report.error(d, null, Messages.privateType(name));
    }
    for (Element e = type.getEnclosingElement(); e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        report.error(d, null, Messages.privateEnclosing(name, ((TypeElement) e).getQualifiedName().toString()));
      }
    }
    if (!type.getTypeParameters().isEmpty()) {
      report.error(d, null, Messages.generic(name));
    }
    if (type.getKind() == ElementKind.CLASS) {
      if (nesting == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
        report.error(d, null, Messages.innerClass(name));
      }
      if (type.getModifiers().contains(Modifier.FINAL)) {
        report.error(d, null, Messages.finalClass(name));
      }
      Optional<ExecutableElement> noArg = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
          .filter(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE))
          .findFirst();
      if (noArg.isEmpty()) {
        report.error(d, null, Messages.noConstructor(name));
      } else {
        List<String> checked = noArg.get().getThrownTypes().stream()
            .filter(this::isChecked)
            .map(TypeMirror::toString)
            .collect(Collectors.toList());
        if (!checked.isEmpty()) {
          report.error(d, null, Messages.constructorThrows(name, String.join(", ", checked)));
        }
      }
    }
    if (type.getModifiers().contains(Modifier.SEALED)) {
      String generated = ModelSpec.generatedSimpleName(Validator.simpleNames(type));
      boolean permitted = type.getPermittedSubclasses().stream()
          .map(types::asElement)
          .anyMatch(e -> e != null && e.getSimpleName().contentEquals(generated));
      if (!permitted) {
        report.error(d, null, Messages.sealed(name, generated));
      }
    }
    checkMethods(d, name, layerMethods);
  }

  private boolean isChecked(TypeMirror thrown) {
    TypeElement runtime = elements.getTypeElement("java.lang.RuntimeException");
    TypeElement error = elements.getTypeElement("java.lang.Error");
    return thrown.getKind() == TypeKind.DECLARED
        && !types.isSubtype(thrown, runtime.asType())
        && !types.isSubtype(thrown, error.asType());
  }

  /**
   * Every abstract method must be one that the generated class implements (the abstract methods of
   * SequenceModel, and toString; in an interface also Object's public methods, which Object
   * implements); every method that the generated class overrides must let it (not final, not
   * static, with SequenceModel's return type); and no default method may clash with one of
   * SequenceModel's, which the generated class inherits too.
   */
  private void checkMethods(Declaration d, String name, Set<ExecutableElement> layerMethods) {
    TypeElement model = elements.getTypeElement("dev.unroll.SequenceModel");
    TypeElement object = elements.getTypeElement("java.lang.Object");
    Map<String, ExecutableElement> overridden = new HashMap<>();
    Map<String, ExecutableElement> defaults = new HashMap<>();
    if (model != null) {
      for (ExecutableElement m : ElementFilter.methodsIn(model.getEnclosedElements())) {
        (m.getModifiers().contains(Modifier.ABSTRACT) ? overridden : defaults).put(signature(m), m);
      }
    }
    ExecutableElement toString = ElementFilter.methodsIn(object.getEnclosedElements()).stream()
        .filter(m -> signature(m).equals("toString()"))
        .findFirst()
        .orElseThrow();
    overridden.put(signature(toString), toString);
    boolean isInterface = d.type.getKind() == ElementKind.INTERFACE;
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(d.type))) {
      Element owner = m.getEnclosingElement();
      Set<Modifier> modifiers = m.getModifiers();
      boolean inInterface = owner.getKind() == ElementKind.INTERFACE;
      if (owner.equals(object) || owner.equals(model) || modifiers.contains(Modifier.PRIVATE)
          || (inInterface && modifiers.contains(Modifier.STATIC))) {
        continue; // not inherited by the generated class, or already its own
      }
      String signature = signature(m);
      if (layerMethods.contains(m)) {
        continue; // a layer method of the member form, checked by the validator
      }
      ExecutableElement target = overridden.get(signature);
      if (target != null) {
        if (modifiers.contains(Modifier.FINAL) || modifiers.contains(Modifier.STATIC)) {
          report.error(d, null, Messages.notOverridable(name, describe(m),
              modifiers.contains(Modifier.FINAL) ? "final" : "static"));
        } else if (!types.isSameType(m.getReturnType(), target.getReturnType())) {
          report.error(d, null, Messages.wrongReturnType(name, describe(m), m.getReturnType().toString(),
              target.getReturnType().toString()));
        }
      } else if (GENERATED_HELPERS.contains(signature)) {
        report.error(d, null, Messages.reservedMethod(name, describe(m)));
      } else if (GENERATED_VIEWS.containsKey(signature) && !modifiers.contains(Modifier.ABSTRACT)) {
        if (modifiers.contains(Modifier.FINAL) || modifiers.contains(Modifier.STATIC)) {
          report.error(d, null, Messages.notOverridable(name, describe(m),
              modifiers.contains(Modifier.FINAL) ? "final" : "static"));
        } else if (!m.getReturnType().toString().equals(GENERATED_VIEWS.get(signature))) {
          report.error(d, null, Messages.wrongReturnType(name, describe(m), m.getReturnType().toString(),
              GENERATED_VIEWS.get(signature)));
        }
      } else if (modifiers.contains(Modifier.ABSTRACT)) {
        if (!(isInterface && isPublicObjectMethod(object, signature))) {
          report.error(d, null, Messages.abstractMethod(name, signature));
        }
      } else if (modifiers.contains(Modifier.DEFAULT) && defaults.containsKey(signature)
          && !types.isSubtype(types.erasure(owner.asType()), types.erasure(model.asType()))) {
        report.error(d, null, Messages.clashingDefault(name, describe(m), describe(defaults.get(signature))));
      }
    }
  }

  private boolean isPublicObjectMethod(TypeElement object, String signature) {
    return ElementFilter.methodsIn(object.getEnclosedElements()).stream()
        .anyMatch(m -> m.getModifiers().contains(Modifier.PUBLIC) && signature(m).equals(signature));
  }

  /** {@code Foo.paramCount()}: a method and the type that declares it. */
  private String describe(ExecutableElement m) {
    return ((TypeElement) m.getEnclosingElement()).getQualifiedName() + "." + signature(m);
  }

  private String signature(ExecutableElement m) {
    return m.getSimpleName() + m.getParameters().stream()
        .map(p -> types.erasure(p.asType()).toString())
        .collect(Collectors.joining(", ", "(", ")"));
  }

  /**
   * The generated name must be free: no user type of that name, and no other model claiming it.
   *
   * @param claimed the generated names already claimed in this compilation, and by whom; updated
   */
  void checkName(Declaration d, ModelSpec spec, Map<String, String> claimed) {
    String generated = Validator.qualified(spec.packageName(), spec.generatedSimpleName());
    String source = d.type.getQualifiedName().toString();
    String other = claimed.get(generated);
    if (other != null && !other.equals(source)) {
      report.error(d, null, Messages.nameClash(generated, spec.sourceName(), "the class generated for " + other));
      return;
    }
    TypeElement existing = elements.getTypeElement(generated);
    if (existing != null && !isOurs(existing)) {
      report.error(d, null, Messages.nameClash(generated, spec.sourceName(), "the existing type " + generated));
      return;
    }
    claimed.put(generated, source);
  }

  private boolean isOurs(TypeElement existing) {
    return existing.getAnnotationMirrors().stream()
        .anyMatch(a -> a.getAnnotationType().toString().equals("dev.unroll.UnrollGenerated"));
  }
}
