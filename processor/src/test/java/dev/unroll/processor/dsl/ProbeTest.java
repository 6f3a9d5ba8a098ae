package dev.unroll.processor.dsl;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeTest {
  @Test
  void probe() throws Exception {
    DslModels.Compiled c = DslModels.compile(Map.of(
        "A", "@Lstm(units = 3, timesteps = 4, features = 2, returnSequences = true, goBackwards = true) @Lstm(units = 2, returnState = true)",
        "B", "@Float32 @Lstm(units = 3, timesteps = 4, features = 2, returnSequences = true) @Dense(units = 3, activation = Activation.SOFTMAX) @Dense(units = 2)"));
    java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/probe/A.java"), c.source("A"));
    java.nio.file.Files.writeString(java.nio.file.Path.of("/tmp/probe/B.java"), c.source("B"));
  }
}
