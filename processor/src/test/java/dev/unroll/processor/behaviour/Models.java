package dev.unroll.processor.behaviour;

import com.google.testing.compile.Compilation;
import dev.unroll.Gate;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.ModelCompiler;
import java.lang.reflect.InvocationTargetException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiles many {@code @Lstm} declarations in one javac run (one run per model would make the suite
 * slow) with the real processor and {@link ModelCompiler#LINT}, and reaches the generated classes'
 * public extras (constants, gate views) by reflection.
 */
final class Models {
  /** The package of every declaration compiled here. */
  static final String PACKAGE = "behaviour";

  private Models() {}

  /**
   * Declares {@code @Lstm(attributes) interface Name {}} for each entry (simple name → attributes)
   * in package {@value #PACKAGE}, compiles them together and loads {@code UnrolledName} for each.
   *
   * @return the generated classes, by the simple name of their declaration
   */
  static Map<String, Class<?>> compile(Map<String, String> declarations) {
    Map<String, String> sources = new LinkedHashMap<>();
    declarations.forEach((name, attributes) -> sources.put(PACKAGE + "." + name,
        "package " + PACKAGE + ";\n\nimport dev.unroll.*;\n\n@Lstm(" + attributes + ")\ninterface " + name + " {}\n"));
    Compilation c = ModelCompiler.compile(sources, ModelCompiler.LINT);
    if (c.status() != Compilation.Status.SUCCESS) {
      throw new AssertionError("compilation of " + declarations + " failed:\n" + c.diagnostics());
    }
    ClassLoader loader = ModelCompiler.classLoader(c);
    Map<String, Class<?>> classes = new LinkedHashMap<>();
    for (String name : declarations.keySet()) {
      try {
        classes.put(name, loader.loadClass(PACKAGE + ".Unrolled" + name));
      } catch (ClassNotFoundException e) {
        throw new AssertionError("no generated class for " + name, e);
      }
    }
    return classes;
  }

  /** Compiles one declaration and returns its generated class. */
  static Class<?> compileOne(String attributes) {
    return compile(Map.of("M", attributes)).get("M");
  }

  /** A model from the generated class's no-argument constructor. */
  static SequenceModel newModel(Class<?> type) {
    try {
      return (SequenceModel) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot instantiate " + type.getName(), e);
    }
  }

  /** A model from the generated class's seed constructor. */
  static SequenceModel newModel(Class<?> type, long seed) {
    try {
      return (SequenceModel) type.getConstructor(long.class).newInstance(seed);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot instantiate " + type.getName() + "(" + seed + ")", e);
    }
  }

  /** The value of a public static constant of a generated class, e.g. {@code PARAM_COUNT}. */
  static long constant(Class<?> type, String name) {
    try {
      return ((Number) type.getField(name).get(null)).longValue();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(type.getName() + " has no public constant " + name, e);
    }
  }

  /** Calls a gate view, {@code kernel(Gate)}, {@code recurrentKernel(Gate)} or {@code bias(Gate)}. */
  static Tensor gateView(SequenceModel model, String method, Gate gate) {
    try {
      return (Tensor) model.getClass().getMethod(method, Gate.class).invoke(model, gate);
    } catch (InvocationTargetException e) {
      throw new AssertionError(method + "(" + gate + ") threw", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(model.getClass().getName() + " has no public " + method + "(Gate)", e);
    }
  }
}
