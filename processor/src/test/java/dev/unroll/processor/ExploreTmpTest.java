package dev.unroll.processor;

import com.google.testing.compile.Compilation;
import dev.unroll.processor.testing.ModelCompiler;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExploreTmpTest {
  void show(String title, Map<String, String> src, String... opts) {
    Compilation c = ModelCompiler.compile(src, opts);
    System.out.println("===== " + title + " " + c.status());
    c.diagnostics().forEach(d -> System.out.println(d.getKind() + " line " + d.getLineNumber() + " col " + d.getColumnNumber() + " src=" + (d.getSource() == null ? null : d.getSource().getName()) + ": " + d.getMessage(null)));
  }

  @Test
  void explore() throws Exception {
    show("sealed permits", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2)\nsealed interface Foo permits UnrolledFoo {}\n"), ModelCompiler.LINT);
    show("sealed class permits", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2)\nabstract sealed class Foo permits UnrolledFoo {}\n"), ModelCompiler.LINT);
    show("impl via class", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\ninterface Bar { int foo(); }\n@Lstm(units = 1, timesteps = 1, features = 2)\nabstract class Foo implements Bar { public int foo() { return 1; } }\n"), ModelCompiler.LINT);
    show("impl via default", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\ninterface Bar { int foo(); }\n@Lstm(units = 1, timesteps = 1, features = 2)\ninterface Foo extends Bar { default int foo() { return 1; } }\n"), ModelCompiler.LINT);
    show("abstract predict", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2)\ninterface Foo { Tensor predict(Tensor x); }\n"), ModelCompiler.LINT);
    show("default predict", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2)\ninterface Foo { default Tensor predict(Tensor x) { return x; } }\n"), ModelCompiler.LINT);
    show("extends SequenceModel", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2)\ninterface Foo extends SequenceModel { }\n"), ModelCompiler.LINT);
    show("abstract hashCode class", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2)\nabstract class Foo { public abstract int hashCode(); }\n"), ModelCompiler.LINT);
    show("abstract toString class", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2)\nabstract class Foo { public abstract String toString(); }\n"), ModelCompiler.LINT);
    show("iface hashCode", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2)\ninterface Foo { int hashCode(); boolean equals(Object o); }\n"), ModelCompiler.LINT);
    show("cyclic", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2)\ninterface Foo extends Foo { }\n"));
    show("extends missing abstract", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2)\nabstract class Foo extends Missing { abstract Missing m(); }\n"));
    show("ext final", Map.of("test.Foo", "package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2)\nclass Foo extends String { }\n"));
  }
}
