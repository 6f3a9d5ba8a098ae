package dev.unroll.processor.testing;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.unroll.SequenceModel;
import dev.unroll.processor.UnrollProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * Compiles model declarations with the real processor, in memory, and loads the generated classes,
 * so that tests can declare models at any shape (including random ones) and run them.
 */
public final class ModelCompiler {
  private ModelCompiler() {}

  /**
   * Every lint warning an error, except javac's note that nothing claimed {@code @Generated} and
   * {@code @UnrollGenerated} in the generated code: that concerns the processor path of this test
   * compiler (where Unroll is the only processor), not the code.
   */
  public static final String[] LINT = {"-Xlint:all,-processing", "-Werror"};

  /** Compiles sources (given as fully qualified name → text) with the processor and the options. */
  public static Compilation compile(Map<String, String> sources, String... options) {
    List<JavaFileObject> files = new ArrayList<>();
    sources.forEach((name, text) -> files.add(JavaFileObjects.forSourceString(name, text)));
    return javac().withProcessors(new UnrollProcessor()).withOptions((Object[]) options).compile(files);
  }

  /** Compiles one source file with the processor and the options. */
  public static Compilation compile(String qualifiedName, String source, String... options) {
    return compile(Map.of(qualifiedName, source), options);
  }

  /**
   * Declares {@code @Lstm(attributes) interface M {}} in package {@code test}, compiles it with
   * {@link #LINT}, and returns a new instance of {@code test.UnrolledM}.
   *
   * @param attributes the annotation's attributes, e.g. {@code "units = 4, timesteps = 5, features = 3"}
   */
  public static SequenceModel model(String attributes) {
    return model(attributes, null);
  }

  /** As {@link #model(String)}, with the generated class's seed constructor. */
  public static SequenceModel model(String attributes, Long seed) {
    String source = "package test;\n\nimport dev.unroll.*;\n\n@Lstm(" + attributes + ")\ninterface M {}\n";
    Compilation c = compile("test.M", source, LINT);
    if (c.status() != Compilation.Status.SUCCESS) {
      throw new AssertionError("compilation of @Lstm(" + attributes + ") failed:\n" + c.diagnostics());
    }
    return newInstance(c, "test.UnrolledM", seed);
  }

  /** A new instance of a class generated and compiled by {@code c}. */
  public static SequenceModel newInstance(Compilation c, String className, Long seed) {
    try {
      Class<?> type = classLoader(c).loadClass(className);
      Object o = seed == null ? type.getConstructor().newInstance()
          : type.getConstructor(long.class).newInstance(seed);
      return (SequenceModel) o;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot instantiate " + className, e);
    }
  }

  /** The bytes of every class file {@code c} wrote, by binary name. */
  public static Map<String, byte[]> classFiles(Compilation c) {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String path = f.toUri().getPath();
      String name = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(), path.length() - ".class".length())
          .replace('/', '.');
      try (InputStream in = f.openInputStream()) {
        classes.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return classes;
  }

  /** A class loader over the classes {@code c} compiled, delegating the runtime to the test's. */
  public static ClassLoader classLoader(Compilation c) {
    Map<String, byte[]> classes = classFiles(c);
    return new ClassLoader(ModelCompiler.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
  }
}
