package dev.unroll.processor;

import static com.google.testing.compile.Compiler.javac;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.Set;
import javax.annotation.processing.*;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.*;
import org.junit.jupiter.api.Test;

class DebugTmpTest {
  static class Wrap extends AbstractProcessor {
    final UnrollProcessor p = new UnrollProcessor();
    @Override public Set<String> getSupportedAnnotationTypes() { return p.getSupportedAnnotationTypes(); }
    @Override public Set<String> getSupportedOptions() { return p.getSupportedOptions(); }
    @Override public SourceVersion getSupportedSourceVersion() { return p.getSupportedSourceVersion(); }
    @Override public synchronized void init(ProcessingEnvironment env) { super.init(env); p.init(env); }
    @Override public boolean process(Set<? extends TypeElement> a, RoundEnvironment r) {
      System.out.println("process " + a + " roots=" + r.getRootElements() + " over=" + r.processingOver() + " err=" + r.errorRaised());
      for (TypeElement t : a) for (Element e : r.getElementsAnnotatedWith(t)) {
        for (AnnotationMirror m : e.getAnnotationMirrors()) {
          System.out.println("  " + e + " " + m + " values=" + m.getElementValues());
          m.getElementValues().forEach((k, v) -> System.out.println("    " + k + " -> " + v.getValue() + " " + (v.getValue() == null ? null : v.getValue().getClass())));
          processingEnv.getElementUtils().getElementValuesWithDefaults(m).forEach((k, v) -> System.out.println("    D " + k + " -> " + v.getValue() + " " + (v.getValue() == null ? null : v.getValue().getClass())));
        }
      }
      return p.process(a, r);
    }
  }
  void run(String src) {
    Compilation c = javac().withProcessors(new Wrap()).compile(JavaFileObjects.forSourceString("test.Foo", src));
    c.diagnostics().forEach(d -> System.out.println(d.getKind() + " " + d.getLineNumber() + ": " + d.getMessage(null).lines().findFirst().orElse("")));
  }
  @Test void debug() {
    run("package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2, activation = Activation.NOPE)\ninterface Foo { }\n");
    run("package test;\nimport dev.unroll.*;\n@Lstm(timesteps = 1, features = 2)\ninterface Foo { }\n");
    run("package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2, activation = null)\ninterface Foo { }\n");
    run("package test;\nimport dev.unroll.*;\n@Lstm(units = NOPE, timesteps = 1, features = 2)\ninterface Foo { }\n");
    run("package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2, foo = 3)\ninterface Foo { }\n");
    run("package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2, activation = Activation.RELU, activation = Activation.TANH)\ninterface Foo { }\n");
    run("package test;\nimport dev.unroll.*;\n@Lstm(units = 1, timesteps = 1, features = 2, activation = Nope.X)\ninterface Foo { }\n");
  }
}
