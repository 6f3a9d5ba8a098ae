package dev.unroll.examples.bench;

import dev.unroll.internal.Kernels;

/**
 * Prints the kernel implementation this JVM chooses ("scalar", "vector 512-bit", ...), for the
 * benchmark scripts' record of each run: {@code java [--add-modules jdk.incubator.vector] -cp
 * benchmarks.jar dev.unroll.examples.bench.KernelsInUse}.
 */
public final class KernelsInUse {
  private KernelsInUse() {}

  public static void main(String[] args) {
    System.out.println(Kernels.implementation());
  }
}
