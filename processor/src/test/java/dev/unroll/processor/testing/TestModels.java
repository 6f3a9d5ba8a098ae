package dev.unroll.processor.testing;

import com.google.testing.compile.Compilation;
import dev.unroll.Gradients;
import dev.unroll.Gate;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * The one catalogue of test models: compiles many model declarations (each a full set of
 * annotations: {@code @Lstm}, {@code @Dense}, {@code @Float32}) in one javac run (one run per model
 * would make the suite slow), with the real processor and {@link ModelCompiler#LINT}, and reaches
 * the generated classes' public extras (constants, gate views, {@code predictWithState},
 * {@code gradientsWithState}) by reflection. Only public members: never a private field or method of
 * a generated class.
 */
public final class TestModels {
  /** The package of every declaration compiled here. */
  public static final String PACKAGE = "models";

  /** The generated classes of one javac run, and the run itself (for the generated sources). */
  public static final class Compiled {
    public final Compilation compilation;
    public final Map<String, Class<?>> classes;

    Compiled(Compilation compilation, Map<String, Class<?>> classes) {
      this.compilation = compilation;
      this.classes = classes;
    }

    public Class<?> get(String name) {
      Class<?> c = classes.get(name);
      if (c == null) {
        throw new AssertionError("no model " + name + " was declared");
      }
      return c;
    }

    public SequenceModel model(String name) {
      return newModel(get(name), 1L);
    }

    /** The text of the generated source of declaration {@code name}. */
    public String source(String name) {
      JavaFileObject f = compilation.generatedSourceFile(PACKAGE + ".Unrolled" + name)
          .orElseThrow(() -> new AssertionError("no generated source for " + name));
      try {
        return f.getCharContent(true).toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private TestModels() {}

  /**
   * Declares {@code annotations interface Name {}} for each entry (simple name → annotations, e.g.
   * {@code @Lstm(units = 4, timesteps = 5, features = 3, returnSequences = true) @Dense(units = 2)}) in
   * package {@value #PACKAGE}, compiles them together with every lint warning an error and loads
   * {@code UnrolledName} for each.
   */
  public static Compiled compile(Map<String, String> declarations) {
    Map<String, String> types = new LinkedHashMap<>();
    declarations.forEach((name, annotations) -> types.put(name, annotations + "\ninterface " + name + " {}\n"));
    return compileTypes(types);
  }

  /**
   * As {@link #compile}, each entry a whole type declaration (simple name → its annotations and body,
   * e.g. a member-form {@code @Input(timesteps = 5, features = 2) interface Name { @Gru(units = 4) Layer gru(); }}).
   */
  public static Compiled compileTypes(Map<String, String> declarations) {
    Map<String, String> sources = new LinkedHashMap<>();
    declarations.forEach((name, type) -> sources.put(PACKAGE + "." + name,
        "package " + PACKAGE + ";\n\nimport dev.unroll.*;\n\n" + type));
    Compilation c = ModelCompiler.compile(sources, ModelCompiler.LINT);
    if (c.status() != Compilation.Status.SUCCESS || !c.warnings().isEmpty()) {
      throw new AssertionError("compilation of " + declarations + " failed or warned:\n" + c.diagnostics());
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
    return new Compiled(c, classes);
  }

  /**
   * Declares {@code @Lstm(attributes) interface Name {}} for each entry (simple name → the attributes
   * of one {@code @Lstm}) and compiles them as {@link #compile} does.
   *
   * @return the generated classes, by the simple name of their declaration
   */
  public static Map<String, Class<?>> compileLstms(Map<String, String> attributes) {
    Map<String, String> declarations = new LinkedHashMap<>();
    attributes.forEach((name, a) -> declarations.put(name, "@Lstm(" + a + ")"));
    return compile(declarations).classes;
  }

  /** Compiles one {@code @Lstm(attributes)} declaration and returns its generated class. */
  public static Class<?> compileOne(String attributes) {
    return compileLstms(Map.of("M", attributes)).get("M");
  }

  /** A model from the generated class's no-argument constructor. */
  public static SequenceModel newModel(Class<?> type) {
    try {
      return (SequenceModel) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot instantiate " + type.getName(), e);
    }
  }

  /** The value of a public static constant of a generated class, e.g. {@code PARAM_COUNT}. */
  public static long constant(Class<?> type, String name) {
    try {
      return ((Number) type.getField(name).get(null)).longValue();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(type.getName() + " has no public constant " + name, e);
    }
  }

  /** Calls a gate view, {@code kernel(Gate)}, {@code recurrentKernel(Gate)} or {@code bias(Gate)}. */
  public static Tensor gateView(SequenceModel model, String method, Gate gate) {
    try {
      return (Tensor) model.getClass().getMethod(method, Gate.class).invoke(model, gate);
    } catch (InvocationTargetException e) {
      throw new AssertionError(method + "(" + gate + ") threw", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(model.getClass().getName() + " has no public " + method + "(Gate)", e);
    }
  }

  /** A model from the generated class's seed constructor. */
  public static SequenceModel newModel(Class<?> type, long seed) {
    try {
      return (SequenceModel) type.getConstructor(long.class).newInstance(seed);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot instantiate " + type.getName() + "(" + seed + ")", e);
    }
  }

  /** {@code predictWithState(x, initialState)}: [output, h_T, c_T]. */
  @SuppressWarnings("unchecked")
  public static List<Tensor> predictWithState(SequenceModel model, Tensor x, List<Tensor> initialState) {
    return (List<Tensor>) invoke(model, "predictWithState", new Class<?>[] {Tensor.class, List.class}, x,
        initialState);
  }

  /** {@code gradientsWithState(x, initialState, [dOut, dh_T, dc_T], into)}. */
  public static Gradients gradientsWithState(SequenceModel model, Tensor x, List<Tensor> initialState,
      List<Tensor> dOutputs, Gradients into) {
    return (Gradients) invoke(model, "gradientsWithState",
        new Class<?>[] {Tensor.class, List.class, List.class, Gradients.class}, x, initialState, dOutputs, into);
  }

  private static Object invoke(SequenceModel model, String name, Class<?>[] types, Object... args) {
    Method m;
    try {
      m = model.getClass().getMethod(name, types);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(model.getClass().getName() + " has no public " + name, e);
    }
    try {
      return m.invoke(model, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new AssertionError(name + " threw", cause);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }
}
