package dev.unroll.processor;

import dev.unroll.Activation;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.ModelSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Checks one annotated type and its layer annotations, inferring each layer's shapes from the one
 * before; reports every problem (each on the annotation and attribute it concerns) before giving
 * up, and returns the model only if there were none.
 */
final class Validator {
  /** The private helpers of every generated class, by erased signature: a user method must not clash. */
  private static final Set<String> GENERATED_HELPERS = Set.of(
      "forward(dev.unroll.Tensor, java.util.List, int)",
      "backward(dev.unroll.Tensor, dev.unroll.Tensor, dev.unroll.Tensor, dev.unroll.Gradients, int)",
      "checkInitialState(java.util.List, int, java.lang.String)",
      "checkGradients(dev.unroll.Gradients, int)",
      "checkWeights(java.util.List, java.lang.String)");

  /** The public methods generated beside SequenceModel's, with their return types. */
  private static final Map<String, String> GENERATED_VIEWS = Map.of(
      "kernel(dev.unroll.Gate)", "dev.unroll.Tensor",
      "recurrentKernel(dev.unroll.Gate)", "dev.unroll.Tensor",
      "bias(dev.unroll.Gate)", "dev.unroll.Tensor",
      "predictWithState(dev.unroll.Tensor, java.util.List)", "java.util.List<dev.unroll.Tensor>",
      "gradientsWithState(dev.unroll.Tensor, java.util.List, java.util.List, dev.unroll.Gradients)",
      "dev.unroll.Gradients");

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

  Optional<ModelSpec> validate(ModelDeclaration m) {
    failed = false;
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
    checkType(primary, name);
    if (m.lstms.isEmpty()) {
      error(primary, null, Messages.denseWithoutLstm());
      return Optional.empty();
    }
    int count = m.lstms.size() + m.denses.size();
    if (count > Messages.MAX_LAYERS) {
      Declaration extra = m.denses.isEmpty() || m.lstms.size() > Messages.MAX_LAYERS
          ? m.lstms.get(Math.min(m.lstms.size() - 1, Messages.MAX_LAYERS))
          : m.denses.get(Messages.MAX_LAYERS - m.lstms.size());
      error(extra, null, Messages.tooManyLayers(count));
      return Optional.empty();
    }
    List<Layer> layers = checkLayers(m);
    if (failed) {
      return Optional.empty();
    }
    ModelSpec spec = new ModelSpec(packageOf(type), simpleNames(type), type.getKind() == ElementKind.INTERFACE,
        layers, m.float32, isDeprecated(type), isSerializable(type), memberTypeNames(type));
    checkName(primary, spec);
    return failed ? Optional.empty() : Optional.of(spec);
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
      Optional<ExecutableElement> noArg = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
          .filter(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE))
          .findFirst();
      if (noArg.isEmpty()) {
        error(d, null, Messages.noConstructor(name));
      } else {
        List<String> checked = noArg.get().getThrownTypes().stream()
            .filter(this::isChecked)
            .map(TypeMirror::toString)
            .collect(Collectors.toList());
        if (!checked.isEmpty()) {
          error(d, null, Messages.constructorThrows(name, String.join(", ", checked)));
        }
      }
    }
    if (type.getModifiers().contains(Modifier.SEALED)) {
      String generated = ModelSpec.generatedSimpleName(simpleNames(type));
      boolean permitted = type.getPermittedSubclasses().stream()
          .map(types::asElement)
          .anyMatch(e -> e != null && e.getSimpleName().contentEquals(generated));
      if (!permitted) {
        error(d, null, Messages.sealed(name, generated));
      }
    }
    checkMethods(d, name);
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
  private void checkMethods(Declaration d, String name) {
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
      ExecutableElement target = overridden.get(signature);
      if (target != null) {
        if (modifiers.contains(Modifier.FINAL) || modifiers.contains(Modifier.STATIC)) {
          error(d, null, Messages.notOverridable(name, describe(m),
              modifiers.contains(Modifier.FINAL) ? "final" : "static"));
        } else if (!types.isSameType(m.getReturnType(), target.getReturnType())) {
          error(d, null, Messages.wrongReturnType(name, describe(m), m.getReturnType().toString(),
              target.getReturnType().toString()));
        }
      } else if (GENERATED_HELPERS.contains(signature)) {
        error(d, null, Messages.reservedMethod(name, describe(m)));
      } else if (GENERATED_VIEWS.containsKey(signature) && !modifiers.contains(Modifier.ABSTRACT)) {
        if (modifiers.contains(Modifier.FINAL) || modifiers.contains(Modifier.STATIC)) {
          error(d, null, Messages.notOverridable(name, describe(m),
              modifiers.contains(Modifier.FINAL) ? "final" : "static"));
        } else if (!m.getReturnType().toString().equals(GENERATED_VIEWS.get(signature))) {
          error(d, null, Messages.wrongReturnType(name, describe(m), m.getReturnType().toString(),
              GENERATED_VIEWS.get(signature)));
        }
      } else if (modifiers.contains(Modifier.ABSTRACT)) {
        if (!(isInterface && isPublicObjectMethod(object, signature))) {
          error(d, null, Messages.abstractMethod(name, signature));
        }
      } else if (modifiers.contains(Modifier.DEFAULT) && defaults.containsKey(signature)
          && !types.isSubtype(types.erasure(owner.asType()), types.erasure(model.asType()))) {
        error(d, null, Messages.clashingDefault(name, describe(m), describe(defaults.get(signature))));
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
   * Checks every layer, in stack order. A layer that has a problem does not stop the checks of the
   * layers after it: they infer what they can (the units of the layer before, the model's
   * timesteps) and skip the checks that need what could not be inferred.
   */
  private List<Layer> checkLayers(ModelDeclaration m) {
    List<Layer> layers = new ArrayList<>();
    Declaration first = m.lstms.get(0);
    int timesteps = 0; // the model's, once known
    int width = 0; // the output width of the layer before, once known
    boolean sequences = false; // whether the layer before returns sequences
    for (int i = 0; i < m.lstms.size(); i++) {
      Declaration d = m.lstms.get(i);
      Declaration prev = i == 0 ? null : m.lstms.get(i - 1);
      Declaration next = i + 1 < m.lstms.size() ? m.lstms.get(i + 1) : m.denses.isEmpty() ? null : m.denses.get(0);
      LstmLayer layer = checkLstm(d, i, timesteps, width, prev, first, next);
      if (i == 0) {
        timesteps = known(d, "timesteps");
      }
      width = known(d, "units");
      sequences = !d.isErroneous("returnSequences") && d.booleanValue("returnSequences");
      if (layer != null) {
        layers.add(layer);
      }
    }
    for (int i = 0; i < m.denses.size(); i++) {
      Declaration d = m.denses.get(i);
      DenseLayer layer = checkDense(d, i, width, sequences ? timesteps : 0, sequences);
      width = known(d, "units");
      if (layer != null) {
        layers.add(layer);
      }
    }
    return layers;
  }

  /** The value of {@code attribute} if stated (or defaulted), evaluated and at least 1; else 0, unknown. */
  private static int known(Declaration d, String attribute) {
    return d.isErroneous(attribute) || d.intValue(attribute) < 1 ? 0 : d.intValue(attribute);
  }

  /**
   * @param modelTimesteps the timesteps the first @Lstm fixes, 0 if unknown
   * @param prevUnits the units of the @Lstm before, 0 if unknown (or if this is the first)
   */
  private LstmLayer checkLstm(Declaration d, int index, int modelTimesteps, int prevUnits, Declaration prevDecl,
      Declaration first, Declaration next) {
    boolean before = failed;
    failed = false;
    long units = d.intValue("units");
    if (d.isErroneous("units")) {
      failed = true; // javac has reported the value
    } else if (units < 1) {
      error(d, "units", Messages.units(units));
    }
    long timesteps = d.intValue("timesteps");
    long features = d.intValue("features");
    if (index == 0) {
      if (!d.isStated("timesteps")) {
        error(d, null, Messages.missingTimesteps());
      } else if (d.isErroneous("timesteps")) {
        failed = true;
      } else if (timesteps < 1) {
        error(d, "timesteps", Messages.timesteps(timesteps));
      }
      if (!d.isStated("features")) {
        error(d, null, Messages.missingFeatures());
      } else if (d.isErroneous("features")) {
        failed = true;
      } else if (features < 1) {
        error(d, "features", Messages.features(features));
      }
    } else {
      if (modelTimesteps > 0 && d.isStated("timesteps") && !d.isErroneous("timesteps")
          && timesteps != modelTimesteps) {
        error(d, "timesteps", Messages.disagrees("timesteps", timesteps, modelTimesteps,
            "every layer sees the sequence length that the first @Lstm (" + first.where() + ") fixes"));
      }
      if (prevUnits > 0 && d.isStated("features") && !d.isErroneous("features") && features != prevUnits) {
        error(d, "features", Messages.disagrees("features", features, prevUnits,
            "its input is the output of the @Lstm " + prevDecl.where() + ", which has units = " + prevUnits));
      }
      if (!prevDecl.isErroneous("returnSequences") && !prevDecl.booleanValue("returnSequences")) {
        String sequence = "(batch, " + (modelTimesteps > 0 ? modelTimesteps : "timesteps") + ", "
            + (prevUnits > 0 ? prevUnits : "units") + ")";
        error(prevDecl, "returnSequences", Messages.notSequences(prevDecl.where(), d.where(), sequence));
      }
      timesteps = modelTimesteps;
      features = prevUnits;
    }
    for (String attribute : new String[] {"activation", "recurrentActivation"}) {
      if (!d.isErroneous(attribute) && d.activation(attribute) == Activation.SOFTMAX) {
        error(d, attribute, Messages.softmaxInLstm(attribute));
      }
    }
    boolean useBias = d.booleanValue("useBias");
    if (!d.isErroneous("useBias") && !useBias && d.isStated("unitForgetBias") && d.booleanValue("unitForgetBias")) {
      error(d, "unitForgetBias", Messages.forgetBiasWithoutBias());
    }
    if (d.booleanValue("returnState") && next != null) {
      error(d, "returnState", Messages.returnStateNotLast(next.annotation, next.where()));
    }
    if (d.hasErroneousValue()) {
      failed = true;
    }
    if (!failed && timesteps > 0 && features > 0) {
      // exact: with units and features near Integer.MAX_VALUE these products overflow a long
      BigInteger u = BigInteger.valueOf(units);
      BigInteger t = BigInteger.valueOf(timesteps);
      BigInteger f = BigInteger.valueOf(features);
      BigInteger params = BigInteger.valueOf(4)
          .multiply(f.multiply(u).add(u.multiply(u)).add(useBias ? u : BigInteger.ZERO));
      if (params.compareTo(BigInteger.valueOf(Messages.MAX_PARAMS)) > 0) {
        error(d, "units", Messages.tooManyParams(units, features, useBias, params));
      }
      // the largest work buffer: z and its gradient, (T, 4U), or x and dx, (T, F); h and c, (T+1, U), are smaller
      BigInteger gates = t.multiply(u).multiply(BigInteger.valueOf(4));
      BigInteger inputs = t.multiply(f);
      BigInteger perSample = gates.max(inputs);
      if (perSample.compareTo(BigInteger.valueOf(Messages.MAX_VALUES_PER_SAMPLE)) > 0) {
        error(d, index == 0 ? "timesteps" : "units",
            Messages.bufferTooLarge(timesteps, units, features, perSample, inputs.compareTo(gates) > 0));
      }
    }
    boolean ok = !failed && timesteps > 0 && features > 0;
    failed = before || failed;
    if (!ok) {
      return null;
    }
    return new LstmLayer(index == 0 ? "lstm" : "lstm_" + index, (int) units, (int) timesteps, (int) features,
        d.activation("activation"), d.activation("recurrentActivation"), useBias,
        d.booleanValue("unitForgetBias"), d.booleanValue("returnSequences"), d.booleanValue("returnState"),
        d.booleanValue("goBackwards"));
  }

  /**
   * @param inputs the output width of the layer before, 0 if unknown
   * @param timesteps the timesteps of the sequence it applies to, 0 if unknown or if it applies to the
   *     last output only
   * @param perTimestep whether the layer before returns sequences
   */
  private DenseLayer checkDense(Declaration d, int index, int inputs, int timesteps, boolean perTimestep) {
    boolean before = failed;
    failed = false;
    long units = d.intValue("units");
    if (d.isErroneous("units")) {
      failed = true;
    } else if (units < 1) {
      error(d, "units", Messages.denseUnits(units));
    }
    if (d.hasErroneousValue()) {
      failed = true;
    }
    if (!failed && inputs > 0) {
      BigInteger params = BigInteger.valueOf(inputs).multiply(BigInteger.valueOf(units))
          .add(d.booleanValue("useBias") ? BigInteger.valueOf(units) : BigInteger.ZERO);
      if (params.compareTo(BigInteger.valueOf(Messages.MAX_PARAMS)) > 0) {
        error(d, "units", Messages.denseTooLarge(inputs, units, params));
      }
    }
    if (!failed && perTimestep && timesteps > 0) {
      // the output and its gradient, (T, units) per sample
      BigInteger values = BigInteger.valueOf(timesteps).multiply(BigInteger.valueOf(units));
      if (values.compareTo(BigInteger.valueOf(Messages.MAX_VALUES_PER_SAMPLE)) > 0) {
        error(d, "units", Messages.denseBufferTooLarge(timesteps, units, values));
      }
    }
    if (!d.isErroneous("units") && units == 1 && !d.isErroneous("activation")
        && d.activation("activation") == Activation.SOFTMAX) {
      d.report(messager, Diagnostic.Kind.WARNING, "activation", Messages.softmaxOfOne());
    }
    boolean ok = !failed && inputs > 0 && (!perTimestep || timesteps > 0);
    failed = before || failed;
    if (!ok) {
      return null;
    }
    return new DenseLayer(index == 0 ? "dense" : "dense_" + index, (int) units, inputs, timesteps,
        d.activation("activation"), d.booleanValue("useBias"));
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
    d.report(messager, Diagnostic.Kind.ERROR, attribute, message);
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
