package dev.unroll.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The choice of {@link KernelProvider} in each environment: the scalar kernels, logged at DEBUG (not
 * printed by default), when the Vector API module is absent, which is what a Java 17 user who passes
 * no flag runs; the Vector API kernels, logged at INFO, when the module is readable, C2 runs and the
 * CPU has FMA on Java 25 or later; the scalar ones with the reason at INFO otherwise; and
 * {@code -Dunroll.kernels}.
 * The Vector API kernels are stood in for by a supplier here (this JVM may not have the module); the
 * real ones are chosen in the surefire execution with {@code --add-modules jdk.incubator.vector}.
 */
class KernelProviderTest {
  /** A stand-in for the Vector API kernels, named "stand-in": the choice only names and returns it. */
  private static final KernelSupport VECTOR = (KernelSupport) Proxy.newProxyInstance(
      KernelSupport.class.getClassLoader(), new Class<?>[] {KernelSupport.class}, (proxy, method, args) -> {
        if (method.getName().equals("name")) {
          return "stand-in";
        }
        throw new UnsupportedOperationException(method.getName());
      });
  private static final Supplier<KernelSupport> MAKES_VECTOR = () -> VECTOR;
  private static final Supplier<KernelSupport> CANNOT = () -> {
    throw new UnsupportedOperationException("the preferred vector size is 64 bits, under 128");
  };

  private static KernelProvider.Environment env(boolean module, boolean c2, boolean fma, String requested) {
    return new KernelProvider.Environment(module, c2, fma, 25, requested, "vm");
  }

  @Test
  void withoutTheVectorModuleTheScalarKernelsRunAndTheLineIsDebug() {
    KernelProvider.Choice choice = KernelProvider.choose(env(false, false, false, "auto"), MAKES_VECTOR);
    assertSame(ScalarKernels.INSTANCE, choice.kernels());
    assertEquals(Level.DEBUG, choice.level());
    assertTrue(choice.message().contains("--add-modules jdk.incubator.vector"), choice.message());
    assertTrue(choice.message().startsWith("Unroll kernels: scalar (vm)."), choice.message());
  }

  @Test
  void withTheModuleC2AndFmaTheVectorKernelsRunAndSaySo() {
    KernelProvider.Choice choice = KernelProvider.choose(env(true, true, true, "auto"), MAKES_VECTOR);
    assertSame(VECTOR, choice.kernels());
    assertEquals(Level.INFO, choice.level());
    assertTrue(choice.message().startsWith("Unroll kernels: stand-in (vm)"), choice.message());
    assertTrue(choice.message().contains("-Dunroll.kernels=scalar"), choice.message());
  }

  @Test
  void withTheModuleButWithoutC2TheScalarKernelsRun() {
    KernelProvider.Choice choice = KernelProvider.choose(env(true, false, true, "auto"), MAKES_VECTOR);
    assertSame(ScalarKernels.INSTANCE, choice.kernels());
    assertEquals(Level.INFO, choice.level());
    assertTrue(choice.message().contains("C2 does not run"), choice.message());
  }

  @Test
  void beforeJava25TheScalarKernelsRunUnlessVectorIsRequested() {
    KernelProvider.Environment java17 = new KernelProvider.Environment(true, true, true, 17, "auto", "vm");
    KernelProvider.Choice choice = KernelProvider.choose(java17, MAKES_VECTOR);
    assertSame(ScalarKernels.INSTANCE, choice.kernels());
    assertEquals(Level.INFO, choice.level());
    assertTrue(choice.message().contains("from Java 25") && choice.message().contains("-Dunroll.kernels=vector"),
        choice.message());
    KernelProvider.Environment required = new KernelProvider.Environment(true, true, true, 17, "vector", "vm");
    assertSame(VECTOR, KernelProvider.choose(required, MAKES_VECTOR).kernels());
  }

  @Test
  void withTheModuleButWithoutFmaTheScalarKernelsRun() {
    KernelProvider.Choice choice = KernelProvider.choose(env(true, true, false, "auto"), MAKES_VECTOR);
    assertSame(ScalarKernels.INSTANCE, choice.kernels());
    assertTrue(choice.message().contains("fused multiply-add"), choice.message());
  }

  @Test
  void whenTheVectorKernelsCannotRunTheScalarOnesDoWithTheReason() {
    KernelProvider.Choice choice = KernelProvider.choose(env(true, true, true, "auto"), CANNOT);
    assertSame(ScalarKernels.INSTANCE, choice.kernels());
    assertEquals(Level.INFO, choice.level());
    assertTrue(choice.message().contains("64 bits, under 128"), choice.message());
  }

  @Test
  void scalarRequestedRunsTheScalarKernels() {
    assertSame(ScalarKernels.INSTANCE, KernelProvider.choose(env(true, true, true, "scalar"), MAKES_VECTOR).kernels());
    KernelProvider.Choice quiet = KernelProvider.choose(env(false, false, false, "scalar"), MAKES_VECTOR);
    assertSame(ScalarKernels.INSTANCE, quiet.kernels());
    assertEquals(Level.DEBUG, quiet.level());
  }

  @Test
  void vectorRequestedFailsRatherThanFallBack() {
    assertSame(VECTOR, KernelProvider.choose(env(true, true, true, "vector"), MAKES_VECTOR).kernels());
    IllegalStateException noModule = assertThrows(IllegalStateException.class,
        () -> KernelProvider.choose(env(false, false, false, "vector"), MAKES_VECTOR));
    assertTrue(noModule.getMessage().contains("--add-modules jdk.incubator.vector"), noModule.getMessage());
    assertThrows(IllegalStateException.class, () -> KernelProvider.choose(env(true, false, true, "vector"), MAKES_VECTOR));
    IllegalStateException cannot = assertThrows(IllegalStateException.class,
        () -> KernelProvider.choose(env(true, true, true, "vector"), CANNOT));
    assertTrue(cannot.getMessage().contains("64 bits"), cannot.getMessage());
  }

  @Test
  void anUnknownRequestIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> KernelProvider.choose(env(false, false, false, "fast"), MAKES_VECTOR));
    assertTrue(e.getMessage().contains("found 'fast'"), e.getMessage());
  }

  @Test
  void thisJvmsChoice() {
    assertTrue(KernelProvider.c2Runs(), System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.info"));
    if (KernelProvider.vectorModuleReadable() && "vector".equals(System.getProperty(KernelProvider.PROPERTY))) {
      // the surefire execution with --add-modules jdk.incubator.vector and -Dunroll.kernels=vector
      assertTrue(KernelProvider.kernels().name().startsWith("vector "), KernelProvider.kernels().name());
      assertFalse(KernelProvider.kernels() instanceof ScalarKernels);
    } else if (!KernelProvider.vectorModuleReadable()) {
      // the default execution: no flag, what a Java 17 user runs
      assertSame(ScalarKernels.INSTANCE, KernelProvider.kernels());
      assertThrows(UnsupportedOperationException.class, KernelProvider::vectorKernels);
    }
  }
}
