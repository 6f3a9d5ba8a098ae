package dev.unroll.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chooses, once per JVM, the implementation of {@link KernelSupport} that {@link Kernels} delegates
 * to, and logs the choice once, with how to enable the other (as Apache Lucene's
 * {@code VectorizationProvider} chooses its {@code VectorUtilSupport}).
 *
 * <p>The Vector API implementation ({@code VectorKernels}) pays only when the incubating module
 * {@code jdk.incubator.vector} is readable (the JVM was started with {@code --add-modules
 * jdk.incubator.vector}), C2 compiles the code (under the interpreter or C1 the Vector API allocates
 * a box per vector and is slower than scalar loops), Java is at least {@value #VECTOR_MIN_JAVA} (JDK 17's
 * C2 leaves some vectors boxed, so that calls allocate), the CPU has fused multiply-add ({@code -XX:+UseFMA},
 * without which the API emulates {@code fma} lane by lane) and C2 has vectors of at least 128 bits.
 * Then it runs; otherwise the scalar kernels ({@link ScalarKernels}, which C2 auto-vectorises where it
 * can). {@code VectorKernels} is loaded by name through a method handle, only when the module is
 * readable, so that this class links without the module.
 *
 * <p>The system property {@value #PROPERTY} overrides the choice: {@code scalar} runs the scalar
 * kernels; {@code vector} requires the Vector API kernels and fails ({@link IllegalStateException}
 * when {@link Kernels} is first used) when they cannot run, so that a test run meant for them cannot
 * silently fall back; {@code auto} (the default) chooses as above.
 *
 * <p>The log goes to {@link System#getLogger(String) System.Logger} {@code dev.unroll.kernels}. When
 * the module is absent (the default), the line is logged at DEBUG, which the default configuration
 * does not print: a user who passes no flag sees nothing. A user who passed {@code --add-modules}
 * sees one INFO line naming the implementation that runs.
 */
public final class KernelProvider {
  private KernelProvider() {}

  /** The name of the incubating Vector API module. */
  static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** The logger of the choice. */
  static final String LOGGER = "dev.unroll.kernels";

  /** The system property that overrides the choice: auto (default), scalar or vector. */
  public static final String PROPERTY = "unroll.kernels";

  /**
   * The first Java version whose C2 runs the Vector API kernels without allocating: JDK 17's C2 leaves
   * some vectors boxed (AllocCheck: 0.2 KB per streaming step to 27 MB per big batch), JDK 25's none.
   * JDK 21 to 24 are not measured. Below it, {@code -Dunroll.kernels=vector} still runs them (the
   * tests do, on 17).
   */
  static final int VECTOR_MIN_JAVA = 25;

  /** The Vector API implementation's class, loaded by name. */
  private static final String VECTOR_CLASS = "dev.unroll.internal.VectorKernels";

  /**
   * What the choice depends on: whether the Vector API module is readable, whether C2 runs, whether
   * the CPU has fused multiply-add, the value of {@value #PROPERTY} and the VM, for the log.
   */
  record Environment(boolean vectorModuleReadable, boolean c2, boolean fma, int javaFeature, String requested,
      String vm) {
    /** This JVM's. */
    static Environment current() {
      // C2 and FMA are asked of the management API only when the module is readable: a user who
      // passes no flag loads nothing more than before
      boolean readable = KernelProvider.vectorModuleReadable();
      return new Environment(readable, readable && c2Runs(), readable && fmaEnabled(), Runtime.version().feature(),
          System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT), vmDescription());
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
    Choice choice = choose(Environment.current(), KernelProvider::vectorKernels);
    Logger log = System.getLogger(LOGGER);
    if (log.isLoggable(choice.level())) {
      log.log(choice.level(), choice.message());
    }
    return choice.kernels();
  }

  /**
   * The choice in a given environment; visible for tests.
   *
   * @param vector makes the Vector API implementation; called only when the environment allows it,
   *     and may throw (an unsupported vector size, a missing class), which is a reason for the scalar
   *     kernels, or a failure when {@code vector} is required
   * @throws IllegalStateException when {@value #PROPERTY} is {@code vector} and the Vector API kernels
   *     cannot run, or when it has a value other than auto, scalar or vector
   */
  static Choice choose(Environment env, Supplier<KernelSupport> vector) {
    KernelSupport scalar = ScalarKernels.INSTANCE;
    String requested = env.requested();
    String scalarLine = "Unroll kernels: " + scalar.name() + " (" + env.vm() + "). ";
    switch (requested) {
      case "scalar":
        return new Choice(scalar, env.vectorModuleReadable() ? Level.INFO : Level.DEBUG,
            scalarLine + "-D" + PROPERTY + "=scalar; without it, the Vector API kernels run when " + VECTOR_MODULE
                + " is readable (--add-modules " + VECTOR_MODULE + ") and C2 runs.");
      case "auto":
      case "vector":
        break;
      default:
        throw new IllegalStateException("-D" + PROPERTY + " must be auto, scalar or vector, found '" + requested + "'");
    }
    boolean required = requested.equals("vector");
    String why = null;
    if (!env.vectorModuleReadable()) {
      why = "The Vector API module " + VECTOR_MODULE + " is not readable; the Vector API kernels need"
          + " --add-modules " + VECTOR_MODULE + " (JDK 17 or later).";
      if (!required) {
        return new Choice(scalar, Level.DEBUG, scalarLine + why);
      }
    } else if (!env.c2()) {
      why = VECTOR_MODULE + " is readable, but C2 does not run (interpreter or C1 only), where the Vector API"
          + " is slower than scalar loops; run with C2 (no -Xint, no -XX:TieredStopAtLevel below 4) for the"
          + " Vector API kernels.";
    } else if (env.javaFeature() < VECTOR_MIN_JAVA && !required) {
      why = VECTOR_MODULE + " is readable, but on Java " + env.javaFeature() + " C2 leaves some of the Vector"
          + " API's vectors boxed (an allocation per call); the Vector API kernels run by default from Java "
          + VECTOR_MIN_JAVA + ", and here with -D" + PROPERTY + "=vector.";
    } else if (!env.fma()) {
      why = VECTOR_MODULE + " is readable, but the CPU has no fused multiply-add (-XX:-UseFMA), which the"
          + " Vector API would emulate lane by lane.";
    } else {
      try {
        KernelSupport kernels = vector.get();
        return new Choice(kernels, Level.INFO, "Unroll kernels: " + kernels.name() + " (" + env.vm() + "), with "
            + VECTOR_MODULE + "; -D" + PROPERTY + "=scalar runs the scalar kernels.");
      } catch (RuntimeException | LinkageError e) {
        why = VECTOR_MODULE + " is readable, but the Vector API kernels cannot run: " + e + ".";
      }
    }
    if (required) {
      throw new IllegalStateException("-D" + PROPERTY + "=vector, but " + why);
    }
    return new Choice(scalar, Level.INFO, scalarLine + why);
  }

  /**
   * The Vector API kernels, loaded by name (so that this class links without the module) and made by
   * their {@code create()}; visible for tests, which compare them with the scalar kernels.
   *
   * @throws UnsupportedOperationException when they cannot run here (the module is not readable, or
   *     C2's vectors are narrower than 128 bits)
   */
  static KernelSupport vectorKernels() {
    if (!vectorModuleReadable()) {
      throw new UnsupportedOperationException(VECTOR_MODULE + " is not readable");
    }
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MethodHandle create = lookup.findStatic(lookup.findClass(VECTOR_CLASS), "create",
          MethodType.methodType(KernelSupport.class));
      return (KernelSupport) create.invoke();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new UnsupportedOperationException("cannot load " + VECTOR_CLASS, e);
    }
  }

  /**
   * Whether {@code jdk.incubator.vector} is in this class's module layer (or the boot layer, from the
   * class path), which is where {@code --add-modules} puts it; the unnamed module reads it then.
   */
  static boolean vectorModuleReadable() {
    ModuleLayer layer = KernelProvider.class.getModule().getLayer();
    Optional<Module> module = (layer != null ? layer : ModuleLayer.boot()).findModule(VECTOR_MODULE);
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
        && !name.contains("Client") && vmOption("TieredStopAtLevel").map(v -> v.equals("4")).orElse(true);
  }

  /** Whether HotSpot uses the CPU's fused multiply-add ({@code -XX:+UseFMA}, its default where there is one). */
  static boolean fmaEnabled() {
    return vmOption("UseFMA").map(v -> v.equals("true")).orElse(true);
  }

  /** A HotSpot option's value, when the management API can tell. */
  private static Optional<String> vmOption(String name) {
    try {
      return Optional.of(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption(name).getValue());
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  private static String vmDescription() {
    return System.getProperty("java.vm.name", "?") + " " + System.getProperty("java.vm.version", "?")
        + ", " + System.getProperty("java.vm.info", "?");
  }
}
