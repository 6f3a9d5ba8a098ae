package dev.unroll.processor.dsl;

import com.google.testing.compile.Compilation;
import dev.unroll.Gradients;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;
import dev.unroll.processor.testing.ModelCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * Compiles many model declarations (each a full set of annotations: {@code @Lstm}, {@code @Dense},
 * {@code @Float32}) in one javac run, with the real processor and {@link ModelCompiler#LINT}, and
 * reaches what the generated classes add to {@link SequenceModel} ({@code predictWithState},
 * {@code gradientsWithState}) by reflection.
 */
final class DslModels {
  /** The package of every declaration compiled here. */
  static final String PACKAGE = "dsl";

  /** The generated classes of one javac run, and the run itself (for the generated sources). */
  static final class Compiled {
    final Compilation compilation;
    final Map<String, Class<?>> classes;

    Compiled(Compilation compilation, Map<String, Class<?>> classes) {
      this.compilation = compilation;
      this.classes = classes;
    }

    Class<?> get(String name) {
      Class<?> c = classes.get(name);
      if (c == null) {
        throw new AssertionError("no model " + name + " was declared");
      }
      return c;
    }

    SequenceModel model(String name) {
      return newModel(get(name), 1L);
    }

    /** The text of the generated source of declaration {@code name}. */
    String source(String name) {
      JavaFileObject f = compilation.generatedSourceFile(PACKAGE + ".Unrolled" + name)
          .orElseThrow(() -> new AssertionError("no generated source for " + name));
      try {
        return f.getCharContent(true).toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private DslModels() {}

  /**
   * Declares {@code annotations interface Name {}} for each entry (simple name → annotations, e.g.
   * {@code @Lstm(units = 4, timesteps = 5, features = 3, returnSequences = true) @Dense(units = 2)}) in
   * package {@value #PACKAGE}, compiles them together with every lint warning an error and loads
   * {@code UnrolledName} for each.
   */
  static Compiled compile(Map<String, String> declarations) {
    Map<String, String> sources = new LinkedHashMap<>();
    declarations.forEach((name, annotations) -> sources.put(PACKAGE + "." + name,
        "package " + PACKAGE + ";\n\nimport dev.unroll.*;\n\n" + annotations + "\ninterface " + name + " {}\n"));
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

  /** A model from the generated class's seed constructor. */
  static SequenceModel newModel(Class<?> type, long seed) {
    try {
      return (SequenceModel) type.getConstructor(long.class).newInstance(seed);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot instantiate " + type.getName() + "(" + seed + ")", e);
    }
  }

  /** {@code predictWithState(x, initialState)}: [output, h_T, c_T]. */
  @SuppressWarnings("unchecked")
  static List<Tensor> predictWithState(SequenceModel model, Tensor x, List<Tensor> initialState) {
    return (List<Tensor>) invoke(model, "predictWithState", new Class<?>[] {Tensor.class, List.class}, x,
        initialState);
  }

  /** {@code gradientsWithState(x, initialState, [dOut, dh_T, dc_T], into)}. */
  static Gradients gradientsWithState(SequenceModel model, Tensor x, List<Tensor> initialState,
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
