package dev.unroll.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import org.junit.jupiter.api.Test;

/**
 * The choice of {@link KernelProvider} in each environment: today always the scalar kernels; logged
 * at DEBUG (not printed by default) when the Vector API module is absent, which is what a Java 17
 * user who passes no flag runs, and at INFO when the user passed {@code --add-modules}.
 */
class KernelProviderTest {

  @Test
  void withoutTheVectorModuleTheScalarKernelsRunAndTheLineIsDebug() {
    KernelProvider.Choice choice = KernelProvider.choose(new KernelProvider.Environment(false, true, "vm"));
    assertSame(ScalarKernels.INSTANCE, choice.kernels());
    assertEquals(Level.DEBUG, choice.level());
    assertTrue(choice.message().contains("--add-modules jdk.incubator.vector"), choice.message());
    assertTrue(choice.message().startsWith("Unroll kernels: scalar (vm)."), choice.message());
  }

  @Test
  void withTheModuleButWithoutC2TheScalarKernelsRun() {
    KernelProvider.Choice choice = KernelProvider.choose(new KernelProvider.Environment(true, false, "vm"));
    assertSame(ScalarKernels.INSTANCE, choice.kernels());
    assertEquals(Level.INFO, choice.level());
    assertTrue(choice.message().contains("C2 does not run"), choice.message());
  }

  @Test
  void withTheModuleAndC2ThisVersionStillRunsTheScalarKernels() {
    KernelProvider.Choice choice = KernelProvider.choose(new KernelProvider.Environment(true, true, "vm"));
    assertSame(ScalarKernels.INSTANCE, choice.kernels());
    assertEquals(Level.INFO, choice.level());
    assertTrue(choice.message().contains("no Vector API kernels"), choice.message());
  }

  @Test
  void thisJvmHasNoVectorModuleAndRunsC2() {
    // the tests run without --add-modules; surefire's JVM is a HotSpot server VM
    assertEquals(false, KernelProvider.vectorModuleReadable());
    assertTrue(KernelProvider.c2Runs(), System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.info"));
    assertSame(ScalarKernels.INSTANCE, KernelProvider.kernels());
  }
}
