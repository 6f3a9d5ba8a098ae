package dev.unroll.cli;

import dev.unroll.SequenceModel;
import java.io.File;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a compiled model class on a user's class path: a generated {@code Unrolled<Type>} class, or the
 * declaration it was generated from ({@code com.acme.Forecaster} finds {@code com.acme.UnrolledForecaster},
 * a nested {@code Outer.Inner} finds {@code UnrolledOuter_Inner}).
 */
final class ModelClasses {
  private ModelClasses() {}

  /** A class loader over the entries of a class path (directories and jars, separated by the platform's separator). */
  static ClassLoader loader(String classpath) throws CliException {
    List<URL> urls = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path p = Path.of(entry);
      if (!Files.exists(p)) {
        throw new CliException("class path entry " + entry + " does not exist");
      }
      try {
        urls.add(p.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new CliException("class path entry " + entry + " is not a path: " + e.getMessage(), e);
      }
    }
    // parent: this jar, so that the model and the command share dev.unroll.SequenceModel
    return new URLClassLoader(urls.toArray(URL[]::new), ModelClasses.class.getClassLoader());
  }

  /** The generated class named, or generated from the declaration named. */
  static Class<?> generatedClass(String name, ClassLoader loader, String classpath) throws CliException {
    Class<?> c = find(name, loader);
    if (c == null) {
      throw new CliException("class " + name + " is not on the class path (" + classpath + "); give the fully"
          + " qualified name of the model's declaration or of its Unrolled class, and the directory or jar that"
          + " holds it with --classpath");
    }
    if (SequenceModel.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
      return c;
    }
    String generated = generatedName(c);
    Class<?> g = find(generated, loader);
    if (g == null) {
      throw new CliException("class " + c.getName() + " is not a model Unroll generated (it does not implement "
          + SequenceModel.class.getName() + "), and " + generated + ", the class Unroll would generate from it,"
          + " is not on the class path: was it compiled with the Unroll processor?");
    }
    if (!SequenceModel.class.isAssignableFrom(g)) {
      throw new CliException("class " + g.getName() + " does not implement " + SequenceModel.class.getName()
          + ": it is not a model Unroll generated");
    }
    return g;
  }

  /** A new instance of a generated model (default weights). */
  static SequenceModel instantiate(Class<?> c) throws CliException {
    try {
      var constructor = c.getDeclaredConstructor();
      constructor.setAccessible(true);
      return (SequenceModel) constructor.newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      Throwable cause = e instanceof java.lang.reflect.InvocationTargetException i ? i.getCause() : e;
      throw new CliException("cannot create " + c.getName() + " with its no-argument constructor: " + cause, cause);
    }
  }

  /** {@code p.Outer$Inner} → {@code p.UnrolledOuter_Inner}. */
  static String generatedName(Class<?> declaration) {
    String pkg = declaration.getPackageName();
    String binary = declaration.getName().substring(pkg.isEmpty() ? 0 : pkg.length() + 1);
    return (pkg.isEmpty() ? "" : pkg + ".") + "Unrolled" + binary.replace('$', '_');
  }

  private static Class<?> find(String name, ClassLoader loader) throws CliException {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      int dot = name.lastIndexOf('.');
      if (dot > 0) {
        // a nested class written with a dot: Outer.Inner
        try {
          return Class.forName(name.substring(0, dot) + "$" + name.substring(dot + 1), false, loader);
        } catch (ClassNotFoundException ignored) {
          return null;
        } catch (LinkageError le) {
          throw new CliException("class " + name + " cannot be loaded: " + le, le);
        }
      }
      return null;
    } catch (LinkageError e) {
      throw new CliException("class " + name + " cannot be loaded: " + e, e);
    }
  }
}
