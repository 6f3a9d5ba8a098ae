package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.Sources.assertNoCrash;
import static dev.unroll.processor.Sources.compile;
import static dev.unroll.processor.Sources.compileLint;
import static dev.unroll.processor.Sources.inTest;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One test per message of {@link Messages}: each compiles a declaration that breaks one rule and
 * asserts the message, the file and the line, which is the attribute's when the message is about
 * an attribute, and the annotation's ({@code @Lstm(}) when it is about the annotated type. The
 * annotations are written one attribute per line so that the two cannot be confused.
 */
class ValidationErrorsTest {

  /** {@code @Lstm(units = 4, timesteps = 5, features = 3)}, one attribute a line, for a type that is wrong. */
  private static final String LSTM = "@Lstm(\n    units = 4,\n    timesteps = 5,\n    features = 3)\n";

  @Nested
  class Attributes {
    @Test
    void unitsZero() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 0,
              timesteps = 5,
              features = 3)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm units must be at least 1, found 0")
          .inFile(file).onLineContaining("units = 0");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void unitsNegative() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = -3,
              timesteps = 5,
              features = 3)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm units must be at least 1, found -3")
          .inFile(file).onLineContaining("units = -3");
      assertThat(c).hadErrorContaining("set it to a positive number such as units = 32");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void timestepsBelowOne() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 4,
              timesteps = -1,
              features = 3)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm timesteps must be at least 1, found -1")
          .inFile(file).onLineContaining("timesteps = -1");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void featuresBelowOne() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 0)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm features must be at least 1, found 0")
          .inFile(file).onLineContaining("features = 0");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void timestepsMissing() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 4,
              features = 3)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm must state timesteps")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorContaining("add timesteps = <sequence length>");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void featuresMissing() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 4,
              timesteps = 5)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm must state features")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void tooManyParametersIsReportedOnUnits() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 10000,
              timesteps = 5,
              features = 10000)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining(
              "@Lstm units = 10000 with features = 10000 gives 4*(F*U + U*U + U) = 800,040,000 parameters, "
                  + "more than Unroll's limit of 134,217,728")
          .inFile(file).onLineContaining("units = 10000");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void tooManyParametersWithoutBias() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 10000,
              timesteps = 5,
              features = 10000,
              useBias = false)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("gives 4*(F*U + U*U) (no bias) = 800,000,000 parameters")
          .inFile(file).onLineContaining("units = 10000");
      assertThat(c).hadErrorCount(1);
    }

    /** 4·(U + U² + U) for U = 2³¹-1 overflows a long: the count must still be exact and too large. */
    @Test
    void tooManyParametersDoesNotOverflow() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = Integer.MAX_VALUE,
              timesteps = 1,
              features = 1)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("gives 4*(F*U + U*U + U) = 18,446,744,073,709,551,612 parameters")
          .inFile(file).onLineContaining("units = Integer.MAX_VALUE");
    }

    @Test
    void bufferTooLargeIsReportedOnTimesteps() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 8,
              timesteps = 100000000,
              features = 1)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining(
              "@Lstm timesteps = 100000000 with units = 8 and features = 1 needs work buffers of 3,200,000,000 "
                  + "values per sample (timesteps*4*units), more than Unroll's limit of 134,217,728")
          .inFile(file).onLineContaining("timesteps = 100000000");
      assertThat(c).hadErrorContaining("reduce timesteps (split long sequences into windows) or units");
      assertThat(c).hadErrorCount(1);
    }

    /** The input buffer, (timesteps, features), can be the largest: the message must say so. */
    @Test
    void bufferTooLargeByFeatures() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 1,
              timesteps = 1000,
              features = 1000000)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("needs work buffers of 1,000,000,000 values per sample (timesteps*features)")
          .inFile(file).onLineContaining("timesteps = 1000");
      assertThat(c).hadErrorContaining("reduce timesteps (split long sequences into windows) or features");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void everyProblemOfTheAnnotationIsReportedInOneCompile() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = 0,
              timesteps = 0,
              features = 0)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm units must be at least 1, found 0")
          .inFile(file).onLineContaining("units = 0");
      assertThat(c).hadErrorContaining("@Lstm timesteps must be at least 1, found 0")
          .inFile(file).onLineContaining("timesteps = 0");
      assertThat(c).hadErrorContaining("@Lstm features must be at least 1, found 0")
          .inFile(file).onLineContaining("features = 0");
      assertThat(c).hadErrorCount(3);
    }

    @Test
    void problemsOfTheTypeAndOfTheAttributesAreReportedTogether() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = -1,
              features = 3)
          final class M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm class M is final").inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorContaining("@Lstm units must be at least 1, found -1")
          .inFile(file).onLineContaining("units = -1");
      assertThat(c).hadErrorContaining("@Lstm must state timesteps").inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(3);
    }

    /** javac reports a value it cannot evaluate; Unroll must not add "found 0" for it. */
    @Test
    void valueThatJavacCannotEvaluateIsNotReportedAgain() {
      JavaFileObject file = inTest("M", """
          @Lstm(
              units = NOT_A_CONSTANT,
              timesteps = 0,
              features = 3)
          interface M {}
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("cannot find symbol").inFile(file).onLineContaining("units = NOT_A_CONSTANT");
      assertThat(c).hadErrorContaining("@Lstm timesteps must be at least 1, found 0")
          .inFile(file).onLineContaining("timesteps = 0");
      assertThat(c).hadErrorCount(2);
      assertNoCrash(c);
    }
  }

  @Nested
  class Types {
    @Test
    void enumIsRejected() {
      JavaFileObject file = inTest("E", LSTM + "enum E { A }\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm applies to an interface or a class, but E is an enum")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorContaining("@Lstm(...) interface E {}");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void recordIsRejected() {
      JavaFileObject file = inTest("R", LSTM + "record R(int a) {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm applies to an interface or a class, but R is a record")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void annotationTypeIsRejected() {
      JavaFileObject file = inTest("A", LSTM + "@interface A {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm applies to an interface or a class, but A is an annotation type")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void privateNestedType() {
      JavaFileObject file = inTest("Outer", "class Outer {\n" + LSTM + "private interface Inner {}\n}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm type Inner must not be private")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void typeNestedInPrivateType() {
      JavaFileObject file = inTest("Outer",
          "class Outer {\n  private static class Middle {\n" + LSTM + "interface Inner {}\n  }\n}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm type Inner is nested in private type test.Outer.Middle")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorContaining("make test.Outer.Middle package-private or public");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void innerClass() {
      JavaFileObject file = inTest("Outer", "class Outer {\n" + LSTM + "abstract class Inner {}\n}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm class Inner is an inner class (not static)")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    /**
     * javac hands no local or anonymous class to a processor ({@link Messages#localType} is for
     * other compilers): the annotation is ignored, without an error and without a crash.
     */
    @Test
    void localClassIsNotSeenByTheProcessor() {
      JavaFileObject file = inTest("Outer", "class Outer {\n  void f() {\n" + LSTM + "abstract class Local {}\n  }\n}\n");
      Compilation c = compile(file);
      assertThat(c).succeeded();
      assertTrue(c.generatedSourceFiles().isEmpty(), "no class is generated for a local class");
    }

    @Test
    void finalClass() {
      JavaFileObject file = inTest("M", LSTM + "final class M {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm class M is final, but the generated class must extend it")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void onlyPrivateConstructor() {
      JavaFileObject file = inTest("M", LSTM + "abstract class M {\n  private M() {}\n}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm class M has no accessible no-argument constructor")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorContaining("add a non-private constructor M() {}");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void onlyConstructorWithArguments() {
      JavaFileObject file = inTest("M", LSTM + "abstract class M {\n  M(int size) {}\n}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm class M has no accessible no-argument constructor")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void constructorThrowingCheckedException() {
      JavaFileObject file = inTest("M", LSTM + "abstract class M {\n  M() throws java.io.IOException {}\n}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm class M has a no-argument constructor that throws java.io.IOException")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void constructorThrowingUncheckedExceptionIsAccepted() {
      JavaFileObject file = inTest("M", LSTM + "abstract class M {\n  M() throws IllegalStateException {}\n}\n");
      assertThat(compileLint(file)).succeededWithoutWarnings();
    }

    @Test
    void genericType() {
      JavaFileObject file = inTest("M", LSTM + "interface M<T> {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm type M declares type parameters")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void sealedTypeThatDoesNotPermitTheGeneratedClass() {
      JavaFileObject file = inTest("M", LSTM + "sealed interface M permits Other {}\nfinal class Other implements M {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm type M is sealed and does not permit UnrolledM")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void sealedTypeThatPermitsTheGeneratedClassIsAccepted() {
      JavaFileObject file = inTest("M", LSTM + "sealed interface M permits UnrolledM {}\n");
      assertThat(compileLint(file)).succeededWithoutWarnings();
    }
  }

  @Nested
  class Methods {
    @Test
    void abstractMethodTheGeneratedClassCannotImplement() {
      JavaFileObject file = inTest("M", LSTM + "interface M {\n  int forecast(double[] x);\n}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm type M declares abstract method forecast(double[])")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorContaining("remove it or give it a default body");
      assertThat(c).hadErrorCount(1);
    }

    /** SequenceModel's default methods are not written by the generated class: redeclared abstract, they stay so. */
    @Test
    void abstractRedeclarationOfDefaultMethod() {
      JavaFileObject file = inTest("M", LSTM + "interface M {\n  Tensor predict(Tensor x);\n}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm type M declares abstract method predict(dev.unroll.Tensor)")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    /** An abstract class's abstract hashCode is not implemented by Object, unlike an interface's. */
    @Test
    void abstractClassReabstractingHashCode() {
      JavaFileObject file = inTest("M", LSTM + "abstract class M {\n  @Override\n  public abstract int hashCode();\n}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm type M declares abstract method hashCode()")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void interfaceRedeclaringToStringIsAccepted() {
      JavaFileObject file = inTest("M", LSTM + "interface M {\n  @Override\n  String toString();\n}\n");
      assertThat(compileLint(file)).succeededWithoutWarnings();
    }

    @Test
    void interfaceRedeclaringObjectAndSequenceModelMethodsIsAccepted() {
      JavaFileObject file = inTest("M", LSTM + """
          interface M {
            @Override
            boolean equals(Object o);

            @Override
            int hashCode();

            int paramCount();

            java.util.List<Tensor> getWeights();
          }
          """);
      assertThat(compileLint(file)).succeededWithoutWarnings();
    }

    @Test
    void abstractClassRedeclaringToStringAndSequenceModelMethodsIsAccepted() {
      JavaFileObject file = inTest("M", LSTM + """
          abstract class M {
            @Override
            public abstract String toString();

            abstract String summary();

            protected abstract int[] inputShape();
          }
          """);
      assertThat(compileLint(file)).succeededWithoutWarnings();
    }

    @Test
    void inheritedAbstractMethodImplementedByTheTypeIsAccepted() {
      JavaFileObject file = inTest("M", """
          interface Forecaster {
            int horizon();
          }

          """ + LSTM + """
          abstract class M implements Forecaster {
            @Override
            public int horizon() {
              return 1;
            }
          }
          """);
      assertThat(compileLint(file)).succeededWithoutWarnings();
    }

    @Test
    void finalMethodTheGeneratedClassOverrides() {
      JavaFileObject file = inTest("M", LSTM + """
          abstract class M {
            @Override
            public final String toString() {
              return "M";
            }
          }
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm type M has final method test.M.toString(), which the generated class "
              + "must override; remove final")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void staticMethodTheGeneratedClassOverrides() {
      JavaFileObject file = inTest("M", LSTM + """
          abstract class M {
            static String summary() {
              return "M";
            }
          }
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm type M has static method test.M.summary()")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void staticInterfaceMethodIsNotOverriddenAndIsAccepted() {
      JavaFileObject file = inTest("M", LSTM + """
          interface M {
            static String summary() {
              return "M";
            }
          }
          """);
      assertThat(compileLint(file)).succeededWithoutWarnings();
    }

    @Test
    void privateMethodIsNotOverriddenAndIsAccepted() {
      JavaFileObject file = inTest("M", LSTM + """
          abstract class M {
            private long paramCount() {
              return 0;
            }

            long count() {
              return paramCount();
            }
          }
          """);
      assertThat(compileLint(file)).succeededWithoutWarnings();
    }

    @Test
    void defaultMethodClashingWithSequenceModelDefault() {
      JavaFileObject file = inTest("M", LSTM + """
          interface M {
            default Tensor predict(Tensor x) {
              return x;
            }
          }
          """);
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm type M has default method test.M.predict(dev.unroll.Tensor), which "
              + "clashes with dev.unroll.SequenceModel.predict(dev.unroll.Tensor)")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void defaultMethodOverridingSequenceModelDefaultIsAccepted() {
      JavaFileObject file = inTest("M", LSTM + """
          interface M extends SequenceModel {
            @Override
            default Tensor predict(Tensor x) {
              return predict(x, null);
            }
          }
          """);
      assertThat(compileLint(file)).succeededWithoutWarnings();
    }

    @Test
    void sequenceModelMethodWithAnotherReturnType() {
      JavaFileObject file = inTest("M", LSTM + "interface M {\n  long paramCount();\n}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("@Lstm type M has method test.M.paramCount() returning long, but the "
              + "generated class implements it as dev.unroll.SequenceModel declares it, returning int")
          .inFile(file).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }
  }

  @Nested
  class Names {
    /** {@code Outer.Inner} and {@code Outer_Inner} both want {@code UnrolledOuter_Inner}: the second is refused. */
    @Test
    void nestedAndTopLevelTypeWantTheSameName() {
      JavaFileObject outer = inTest("Outer", "class Outer {\n" + LSTM + "interface Inner {}\n}\n");
      JavaFileObject outerInner = inTest("Outer_Inner", LSTM + "interface Outer_Inner {}\n");
      Compilation c = compile(outer, outerInner);
      assertThat(c).hadErrorContaining("@Lstm on Outer_Inner: the generated class test.UnrolledOuter_Inner would "
              + "clash with the class generated for test.Outer.Inner; rename Outer_Inner or the other type")
          .inFile(outerInner).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void nestedAndTopLevelTypeWantTheSameNameTheOtherWayRound() {
      JavaFileObject outer = inTest("Outer", "class Outer {\n" + LSTM + "interface Inner {}\n}\n");
      JavaFileObject outerInner = inTest("Outer_Inner", LSTM + "interface Outer_Inner {}\n");
      Compilation c = compile(outerInner, outer);
      assertThat(c).hadErrorContaining("@Lstm on Outer.Inner: the generated class test.UnrolledOuter_Inner would "
              + "clash with the class generated for test.Outer_Inner")
          .inFile(outer).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }

    @Test
    void existingClassWithTheGeneratedName() {
      JavaFileObject foo = inTest("Foo", LSTM + "interface Foo {}\n");
      JavaFileObject unrolledFoo = inTest("UnrolledFoo", "class UnrolledFoo {}\n");
      Compilation c = compile(foo, unrolledFoo);
      assertThat(c).hadErrorContaining("@Lstm on Foo: the generated class test.UnrolledFoo would clash with the "
              + "existing type test.UnrolledFoo")
          .inFile(foo).onLineContaining("@Lstm(");
      assertThat(c).hadErrorCount(1);
    }
  }

  /** Whatever the input, the processor reports errors as javac does and never lets an exception out. */
  @Nested
  class NeverCrash {
    @Test
    void missingSuperclass() {
      JavaFileObject file = inTest("M", LSTM + "abstract class M extends DoesNotExist {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("cannot find symbol").inFile(file).onLineContaining("extends DoesNotExist");
      assertNoCrash(c);
    }

    @Test
    void missingSuperinterface() {
      JavaFileObject file = inTest("M", LSTM + "interface M extends DoesNotExist {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("cannot find symbol").inFile(file).onLineContaining("extends DoesNotExist");
      assertNoCrash(c);
    }

    @Test
    void missingTypeInAbstractMethod() {
      JavaFileObject file = inTest("M", LSTM + "interface M {\n  void fit(DoesNotExist data);\n}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("cannot find symbol").inFile(file).onLineContaining("DoesNotExist data");
      assertThat(c).hadErrorContaining("declares abstract method fit(DoesNotExist)")
          .inFile(file).onLineContaining("@Lstm(");
      assertNoCrash(c);
    }

    @Test
    void missingUnits() {
      JavaFileObject file = inTest("M", "@Lstm(\n    timesteps = 5,\n    features = 3)\ninterface M {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("missing a default value for the element 'units'")
          .inFile(file).onLineContaining("@Lstm(");
      assertNoCrash(c);
    }

    @Test
    void unknownActivation() {
      JavaFileObject file = inTest("M", LSTM.replace(")\n", ",\n    activation = Activation.SWISH)\n") + "interface M {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("cannot find symbol").inFile(file).onLineContaining("Activation.SWISH");
      assertNoCrash(c);
    }

    @Test
    void nullActivation() {
      JavaFileObject file = inTest("M", LSTM.replace(")\n", ",\n    activation = null)\n") + "interface M {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("must be an enum constant").inFile(file).onLineContaining("activation = null");
      assertNoCrash(c);
    }

    @Test
    void unknownAttribute() {
      JavaFileObject file = inTest("M", LSTM.replace(")\n", ",\n    dropout = 0.5)\n") + "interface M {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("cannot find symbol").inFile(file).onLineContaining("dropout = 0.5");
      assertNoCrash(c);
    }

    @Test
    void cyclicInheritance() {
      JavaFileObject file = inTest("M", LSTM + "interface M extends M {}\n");
      Compilation c = compile(file);
      assertThat(c).hadErrorContaining("cyclic inheritance");
      assertNoCrash(c);
    }

    /**
     * A {@code dev.unroll.Lstm} that does not match the processor (here one without timesteps and
     * features, as from another version) makes it fail internally: that must become an error on the
     * annotated type, naming it and asking for a report, and not a javac crash.
     */
    @Test
    void unexpectedFailureBecomesAnErrorOnTheElement() {
      JavaFileObject otherLstm = JavaFileObjects.forSourceString("dev.unroll.Lstm", """
          package dev.unroll;

          public @interface Lstm {
            int units();
          }
          """);
      JavaFileObject file = inTest("M", "@Lstm(\n    units = 4)\ninterface M {}\n");
      Compilation c = compile(otherLstm, file);
      assertThat(c).hadErrorContaining("Unroll failed unexpectedly while processing M. This is a bug in Unroll; "
              + "please report it with this trace:")
          .inFile(file).onLineContaining("interface M");
      assertThat(c).hadErrorContaining("\tat dev.unroll.processor.").inFile(file).onLineContaining("interface M");
      assertThat(c).hadErrorCount(1);
    }
  }
}
