package dev.unroll.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Chooses, once per JVM, the implementation of {@link KernelSupport} that {@link Kernels} delegates
 * to, and logs the choice once, with how to enable the other (as Apache Lucene's
 * {@code VectorizationProvider} chooses its {@code VectorUtilSupport}).
 *
 * <p>A Vector API implementation pays only when the incubating module {@code jdk.incubator.vector}
 * is readable (the JVM was started with {@code --add-modules jdk.incubator.vector}) and C2 compiles
 * the code: under the interpreter or C1 the Vector API allocates a box per vector and is slower than
 * scalar loops. This version has the scalar implementation only ({@link ScalarKernels}, which C2
 * auto-vectorises); {@link #choose(Environment)} is the one place where a Vector API implementation,
 * when there is one, is chosen when both conditions hold, with the scalar one as the fallback.
 *
 * <p>The log goes to {@link System#getLogger(String) System.Logger} {@code dev.unroll.kernels}. When
 * the module is absent (the default), the line is logged at DEBUG, which the default configuration
 * does not print: a user who passes no flag sees nothing.
 */
public final class KernelProvider {
  private KernelProvider() {}

  /** The name of the incubating Vector API module. */
  static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** The logger of the choice. */
  static final String LOGGER = "dev.unroll.kernels";

  /** What the choice depends on: whether the Vector API module is readable, and whether C2 runs. */
  record Environment(boolean vectorModuleReadable, boolean c2, String vm) {
    /** This JVM's. */
    static Environment current() {
      return new Environment(KernelProvider.vectorModuleReadable(), c2Runs(), vmDescription());
    }
  }

  /** The implementation chosen, and the line that says so, at its level. */
  record Choice(KernelSupport kernels, Level level, String message) {}

  /** The implementation for this JVM, chosen and logged on first use. */
  public static KernelSupport kernels() {
    return Holder.KERNELS;
  }

  /** A holder, so that the choice is made (and logged) when first needed, once, without locking. */
  private static final class Holder {
    static final KernelSupport KERNELS = chooseAndLog();
  }

  private static KernelSupport chooseAndLog() {
    Choice choice = choose(Environment.current());
    Logger log = System.getLogger(LOGGER);
    if (log.isLoggable(choice.level())) {
      log.log(choice.level(), choice.message());
    }
    return choice.kernels();
  }

  /** The choice in a given environment; visible for tests. */
  static Choice choose(Environment env) {
    KernelSupport scalar = ScalarKernels.INSTANCE;
    String chosen = "Unroll kernels: " + scalar.name() + " (" + env.vm() + "). ";
    if (!env.vectorModuleReadable()) {
      return new Choice(scalar, Level.DEBUG, chosen + "The Vector API module " + VECTOR_MODULE
          + " is not readable; a Vector API implementation needs --add-modules " + VECTOR_MODULE + ".");
    }
    if (!env.c2()) {
      return new Choice(scalar, Level.INFO, chosen + VECTOR_MODULE + " is readable, but C2 does not run"
          + " (interpreter or C1 only), where the Vector API is slower than scalar loops; run with C2"
          + " (no -Xint, no -XX:TieredStopAtLevel below 4) for vector kernels.");
    }
    // The seam for a Vector API implementation: it is chosen here, when the module is readable and C2
    // runs, loaded by name so that this class links without the module; the scalar kernels remain
    // the fallback. This version has none.
    return new Choice(scalar, Level.INFO, chosen + VECTOR_MODULE + " is readable and C2 runs, but this"
        + " version of Unroll has no Vector API kernels: the scalar ones run.");
  }

  /**
   * Whether {@code jdk.incubator.vector} is in this class's module layer (or the boot layer, from the
   * class path), which is where {@code --add-modules} puts it; the unnamed module reads it then.
   */
  static boolean vectorModuleReadable() {
    ModuleLayer layer = KernelProvider.class.getModule().getLayer();
    java.util.Optional<Module> module = (layer != null ? layer : ModuleLayer.boot()).findModule(VECTOR_MODULE);
    return module.isPresent() && KernelProvider.class.getModule().canRead(module.get());
  }

  /**
   * Whether C2 compiles hot code: a HotSpot VM that runs neither interpreted only ({@code -Xint}) nor
   * with C1 only ({@code -XX:TieredStopAtLevel} below 4 or a client VM: "emulated-client" in
   * {@code java.vm.info}).
   */
  static boolean c2Runs() {
    String name = System.getProperty("java.vm.name", "");
    String info = System.getProperty("java.vm.info", "");
    boolean hotspot = name.contains("HotSpot") || name.contains("OpenJDK");
    return hotspot && !info.contains("interpreted mode") && !info.contains("emulated-client")
        && !name.contains("Client");
  }

  private static String vmDescription() {
    return System.getProperty("java.vm.name", "?") + " " + System.getProperty("java.vm.version", "?")
        + ", " + System.getProperty("java.vm.info", "?");
  }
}
