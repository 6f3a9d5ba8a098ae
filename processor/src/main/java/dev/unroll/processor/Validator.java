package dev.unroll.processor;

import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.writer.ModelWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Checks one annotated type and its {@code @Lstm}, reporting every problem (each on the element,
 * annotation and attribute it concerns) before giving up; returns the model only if there were none.
 */
final class Validator {
  private final Messager messager;
  private final Elements elements;
  private final Types types;
  /** Generated names already claimed in this compilation, and by whom. */
  private final Map<String, String> claimed;
  private boolean failed;

  Validator(ProcessingEnvironment env, Map<String, String> claimed) {
    this.messager = env.getMessager();
    this.elements = env.getElementUtils();
    this.types = env.getTypeUtils();
    this.claimed = claimed;
  }

  Optional<ModelSpec> validate(Declaration d) {
    failed = false;
    TypeElement type = d.type;
    String name = type.getSimpleName().toString();
    checkType(d, name);
    LstmLayer layer = checkLayer(d);
    if (failed) {
      return Optional.empty();
    }
    ModelSpec spec = new ModelSpec(packageOf(type), simpleNames(type), type.getKind() == ElementKind.INTERFACE,
        List.of(layer));
    checkName(d, spec);
    return failed ? Optional.empty() : Optional.of(spec);
  }

  private void checkType(Declaration d, String name) {
    TypeElement type = d.type;
    switch (type.getKind()) {
      case INTERFACE:
      case CLASS:
        break;
      case ENUM:
        error(d, null, Messages.wrongKind("an enum", name));
        return;
      case ANNOTATION_TYPE:
        error(d, null, Messages.wrongKind("an annotation type", name));
        return;
      default:
        error(d, null, Messages.wrongKind(type.getKind() == ElementKind.RECORD ? "a record" : "a " + type.getKind(), name));
        return;
    }
    NestingKind nesting = type.getNestingKind();
    if (nesting == NestingKind.LOCAL || nesting == NestingKind.ANONYMOUS) {
      error(d, null, Messages.localType(name));
      return;
    }
    if (type.getModifiers().contains(Modifier.PRIVATE)) {
      error(d, null, Messages.privateType(name));
    }
    for (Element e = type.getEnclosingElement(); e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        error(d, null, Messages.privateEnclosing(name, ((TypeElement) e).getQualifiedName().toString()));
      }
    }
    if (!type.getTypeParameters().isEmpty()) {
      error(d, null, Messages.generic(name));
    }
    if (type.getKind() == ElementKind.CLASS) {
      if (nesting == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
        error(d, null, Messages.innerClass(name));
      }
      if (type.getModifiers().contains(Modifier.FINAL)) {
        error(d, null, Messages.finalClass(name));
      }
      boolean noArg = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
          .anyMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE));
      if (!noArg) {
        error(d, null, Messages.noConstructor(name));
      }
    }
    checkAbstractMethods(d, name);
  }

  /** Every abstract method must be one that the generated class implements: SequenceModel's. */
  private void checkAbstractMethods(Declaration d, String name) {
    TypeElement model = elements.getTypeElement("dev.unroll.SequenceModel");
    Set<String> implemented = new HashSet<>();
    if (model != null) {
      ElementFilter.methodsIn(elements.getAllMembers(model)).forEach(m -> implemented.add(signature(m)));
    }
    // an interface may redeclare Object's methods (toString, equals, hashCode) abstractly
    TypeElement object = elements.getTypeElement("java.lang.Object");
    ElementFilter.methodsIn(object.getEnclosedElements()).forEach(m -> implemented.add(signature(m)));
    for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(d.type))) {
      if (m.getModifiers().contains(Modifier.ABSTRACT) && !implemented.contains(signature(m))) {
        error(d, null, Messages.abstractMethod(name, signature(m)));
      }
    }
  }

  private String signature(ExecutableElement m) {
    return m.getSimpleName() + m.getParameters().stream()
        .map(p -> types.erasure(p.asType()).toString())
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private LstmLayer checkLayer(Declaration d) {
    long units = d.intValue("units");
    if (units < 1) {
      error(d, "units", Messages.units(units));
    }
    long timesteps = d.intValue("timesteps");
    if (!d.isStated("timesteps")) {
      error(d, null, Messages.missingTimesteps());
    } else if (timesteps < 1) {
      error(d, "timesteps", Messages.timesteps(timesteps));
    }
    long features = d.intValue("features");
    if (!d.isStated("features")) {
      error(d, null, Messages.missingFeatures());
    } else if (features < 1) {
      error(d, "features", Messages.features(features));
    }
    if (failed) {
      return null;
    }
    boolean useBias = d.booleanValue("useBias");
    long params = LstmLayer.paramCount(units, features, useBias);
    if (params > Messages.MAX_PARAMS) {
      error(d, "units", Messages.tooManyParams(units, features, params));
    }
    long perSample = Math.max(timesteps * 4 * units, Math.max((timesteps + 1) * units, timesteps * features));
    if (perSample > Messages.MAX_VALUES_PER_SAMPLE) {
      error(d, "timesteps", Messages.bufferTooLarge(timesteps, units, features, perSample));
    }
    if (failed) {
      return null;
    }
    LstmLayer layer = new LstmLayer("lstm", (int) units, (int) timesteps, (int) features,
        d.activation("activation"), d.activation("recurrentActivation"), useBias,
        d.booleanValue("unitForgetBias"), d.booleanValue("returnSequences"));
    assert ModelWriter.valuesPerSample(layer) == perSample;
    return layer;
  }

  /** The generated name must be free: no user type of that name, and no other model claiming it. */
  private void checkName(Declaration d, ModelSpec spec) {
    String generated = qualified(spec.packageName(), spec.generatedSimpleName());
    String source = d.type.getQualifiedName().toString();
    String other = claimed.get(generated);
    if (other != null && !other.equals(source)) {
      error(d, null, Messages.nameClash(generated, spec.sourceName(), "the class generated for " + other));
      return;
    }
    TypeElement existing = elements.getTypeElement(generated);
    if (existing != null && !isOurs(existing)) {
      error(d, null, Messages.nameClash(generated, spec.sourceName(), "the existing type " + generated));
      return;
    }
    claimed.put(generated, source);
  }

  private boolean isOurs(TypeElement existing) {
    return existing.getAnnotationMirrors().stream()
        .anyMatch(a -> a.getAnnotationType().toString().equals("dev.unroll.UnrollGenerated"));
  }

  private void error(Declaration d, String attribute, String message) {
    failed = true;
    AnnotationValue value = attribute == null ? null : d.explicit(attribute);
    if (value != null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, d.type, d.mirror, value);
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, message, d.type, d.mirror);
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
