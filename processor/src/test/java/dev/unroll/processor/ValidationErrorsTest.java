package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.unroll.processor.Sources.assertNoCrash;
import static dev.unroll.processor.Sources.compile;
import static dev.unroll.processor.Sources.inTest;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.ParameterizedTest;

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
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.processor.ValidationErrorsTest#attributes")
    void message(ErrorCase c) {
      c.run();
    }
  }

  @Nested
  class Types {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.processor.ValidationErrorsTest#types")
    void message(ErrorCase c) {
      c.run();
    }
  }

  @Nested
  class Methods {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.processor.ValidationErrorsTest#methods")
    void message(ErrorCase c) {
      c.run();
    }
  }

  @Nested
  class Names {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.processor.ValidationErrorsTest#names")
    void message(ErrorCase c) {
      c.run();
    }
  }

  /** Whatever the input, the processor reports errors as javac does and never lets an exception out. */
  @Nested
  class NeverCrash {
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.unroll.processor.ValidationErrorsTest#neverCrash")
    void message(ErrorCase c) {
      c.run();
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

  /** The cases of {@link Attributes}: only the sources and the expected messages differ. */
  static Stream<ErrorCase> attributes() {
    return Stream.of(
        ErrorCase.named("unitsZero")
            .file("M", """
          @Lstm(
              units = 0,
              timesteps = 5,
              features = 3)
          interface M {}
          """)
            .errorOn("@Lstm units must be at least 1, found 0", "M", "units = 0")
            .errorCount(1),
        ErrorCase.named("unitsNegative")
            .file("M", """
          @Lstm(
              units = -3,
              timesteps = 5,
              features = 3)
          interface M {}
          """)
            .errorOn("@Lstm units must be at least 1, found -3", "M", "units = -3")
            .error("set it to a positive number such as units = 32")
            .errorCount(1),
        ErrorCase.named("timestepsBelowOne")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = -1,
              features = 3)
          interface M {}
          """)
            .errorOn("@Lstm timesteps must be at least 1, found -1", "M", "timesteps = -1")
            .errorCount(1),
        ErrorCase.named("featuresBelowOne")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5,
              features = 0)
          interface M {}
          """)
            .errorOn("@Lstm features must be at least 1, found 0", "M", "features = 0")
            .errorCount(1),
        ErrorCase.named("timestepsMissing")
            .file("M", """
          @Lstm(
              units = 4,
              features = 3)
          interface M {}
          """)
            .errorOn("@Lstm must state timesteps", "M", "@Lstm(")
            .error("add timesteps = <sequence length>")
            .errorCount(1),
        ErrorCase.named("featuresMissing")
            .file("M", """
          @Lstm(
              units = 4,
              timesteps = 5)
          interface M {}
          """)
            .errorOn("@Lstm must state features", "M", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("tooManyParametersIsReportedOnUnits")
            .file("M", """
          @Lstm(
              units = 10000,
              timesteps = 5,
              features = 10000)
          interface M {}
          """)
            .errorOn(
              "@Lstm units = 10000 with features = 10000 gives 4*(F*U + U*U + U) = 800,040,000 parameters, "
                  + "more than Unroll's limit of 134,217,728", "M", "units = 10000")
            .errorCount(1),
        ErrorCase.named("tooManyParametersWithoutBias")
            .file("M", """
          @Lstm(
              units = 10000,
              timesteps = 5,
              features = 10000,
              useBias = false)
          interface M {}
          """)
            .errorOn("gives 4*(F*U + U*U) (no bias) = 800,000,000 parameters", "M", "units = 10000")
            .errorCount(1),
        /** 4·(U + U² + U) for U = 2³¹-1 overflows a long: the count must still be exact and too large. */
        ErrorCase.named("tooManyParametersDoesNotOverflow")
            .file("M", """
          @Lstm(
              units = Integer.MAX_VALUE,
              timesteps = 1,
              features = 1)
          interface M {}
          """)
            .errorOn("gives 4*(F*U + U*U + U) = 18,446,744,073,709,551,612 parameters", "M", "units = Integer.MAX_VALUE"),
        ErrorCase.named("bufferTooLargeIsReportedOnTimesteps")
            .file("M", """
          @Lstm(
              units = 8,
              timesteps = 100000000,
              features = 1)
          interface M {}
          """)
            .errorOn(
              "@Lstm timesteps = 100000000 with units = 8 and features = 1 needs work buffers of 3,200,000,000 "
                  + "values per sample (timesteps*4*units), more than Unroll's limit of 134,217,728", "M", "timesteps = 100000000")
            .error("reduce timesteps (split long sequences into windows) or units")
            .errorCount(1),
        /** The input buffer, (timesteps, features), can be the largest: the message must say so. */
        ErrorCase.named("bufferTooLargeByFeatures")
            .file("M", """
          @Lstm(
              units = 1,
              timesteps = 1000,
              features = 1000000)
          interface M {}
          """)
            .errorOn("needs work buffers of 1,000,000,000 values per sample (timesteps*features)", "M", "timesteps = 1000")
            .error("reduce timesteps (split long sequences into windows) or features")
            .errorCount(1),
        ErrorCase.named("everyProblemOfTheAnnotationIsReportedInOneCompile")
            .file("M", """
          @Lstm(
              units = 0,
              timesteps = 0,
              features = 0)
          interface M {}
          """)
            .errorOn("@Lstm units must be at least 1, found 0", "M", "units = 0")
            .errorOn("@Lstm timesteps must be at least 1, found 0", "M", "timesteps = 0")
            .errorOn("@Lstm features must be at least 1, found 0", "M", "features = 0")
            .errorCount(3),
        ErrorCase.named("problemsOfTheTypeAndOfTheAttributesAreReportedTogether")
            .file("M", """
          @Lstm(
              units = -1,
              features = 3)
          final class M {}
          """)
            .errorOn("@Lstm class M is final", "M", "@Lstm(")
            .errorOn("@Lstm units must be at least 1, found -1", "M", "units = -1")
            .errorOn("@Lstm must state timesteps", "M", "@Lstm(")
            .errorCount(3),
        /** javac reports a value it cannot evaluate; Unroll must not add "found 0" for it. */
        ErrorCase.named("valueThatJavacCannotEvaluateIsNotReportedAgain")
            .file("M", """
          @Lstm(
              units = NOT_A_CONSTANT,
              timesteps = 0,
              features = 3)
          interface M {}
          """)
            .errorOn("cannot find symbol", "M", "units = NOT_A_CONSTANT")
            .errorOn("@Lstm timesteps must be at least 1, found 0", "M", "timesteps = 0")
            .errorCount(2)
            .noCrash());
  }

  /** The cases of {@link Types}: only the sources and the expected messages differ. */
  static Stream<ErrorCase> types() {
    return Stream.of(
        ErrorCase.named("enumIsRejected")
            .file("E", LSTM + "enum E { A }\n")
            .errorOn("@Lstm applies to an interface or a class, but E is an enum", "E", "@Lstm(")
            .error("@Lstm(...) interface E {}")
            .errorCount(1),
        ErrorCase.named("recordIsRejected")
            .file("R", LSTM + "record R(int a) {}\n")
            .errorOn("@Lstm applies to an interface or a class, but R is a record", "R", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("annotationTypeIsRejected")
            .file("A", LSTM + "@interface A {}\n")
            .errorOn("@Lstm applies to an interface or a class, but A is an annotation type", "A", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("privateNestedType")
            .file("Outer", "class Outer {\n" + LSTM + "private interface Inner {}\n}\n")
            .errorOn("@Lstm type Inner must not be private", "Outer", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("typeNestedInPrivateType")
            .file("Outer", "class Outer {\n  private static class Middle {\n" + LSTM + "interface Inner {}\n  }\n}\n")
            .errorOn("@Lstm type Inner is nested in private type test.Outer.Middle", "Outer", "@Lstm(")
            .error("make test.Outer.Middle package-private or public")
            .errorCount(1),
        ErrorCase.named("innerClass")
            .file("Outer", "class Outer {\n" + LSTM + "abstract class Inner {}\n}\n")
            .errorOn("@Lstm class Inner is an inner class (not static)", "Outer", "@Lstm(")
            .errorCount(1),
        /**
         * javac hands no local or anonymous class to a processor ({@link Messages#localType} is for
         * other compilers): the annotation is ignored, without an error and without a crash.
         */
        ErrorCase.named("localClassIsNotSeenByTheProcessor")
            .file("Outer", "class Outer {\n  void f() {\n" + LSTM + "abstract class Local {}\n  }\n}\n")
            .succeeded()
            .generatesNothing("no class is generated for a local class"),
        ErrorCase.named("finalClass")
            .file("M", LSTM + "final class M {}\n")
            .errorOn("@Lstm class M is final, but the generated class must extend it", "M", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("onlyPrivateConstructor")
            .file("M", LSTM + "abstract class M {\n  private M() {}\n}\n")
            .errorOn("@Lstm class M has no accessible no-argument constructor", "M", "@Lstm(")
            .error("add a non-private constructor M() {}")
            .errorCount(1),
        ErrorCase.named("onlyConstructorWithArguments")
            .file("M", LSTM + "abstract class M {\n  M(int size) {}\n}\n")
            .errorOn("@Lstm class M has no accessible no-argument constructor", "M", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("constructorThrowingCheckedException")
            .file("M", LSTM + "abstract class M {\n  M() throws java.io.IOException {}\n}\n")
            .errorOn("@Lstm class M has a no-argument constructor that throws java.io.IOException", "M", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("constructorThrowingUncheckedExceptionIsAccepted")
            .file("M", LSTM + "abstract class M {\n  M() throws IllegalStateException {}\n}\n")
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("genericType")
            .file("M", LSTM + "interface M<T> {}\n")
            .errorOn("@Lstm type M declares type parameters", "M", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("sealedTypeThatDoesNotPermitTheGeneratedClass")
            .file("M", LSTM + "sealed interface M permits Other {}\nfinal class Other implements M {}\n")
            .errorOn("@Lstm type M is sealed and does not permit UnrolledM", "M", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("sealedTypeThatPermitsTheGeneratedClassIsAccepted")
            .file("M", LSTM + "sealed interface M permits UnrolledM {}\n")
            .lint()
            .succeededWithoutWarnings());
  }

  /** The cases of {@link Methods}: only the sources and the expected messages differ. */
  static Stream<ErrorCase> methods() {
    return Stream.of(
        ErrorCase.named("abstractMethodTheGeneratedClassCannotImplement")
            .file("M", LSTM + "interface M {\n  int forecast(double[] x);\n}\n")
            .errorOn("@Lstm type M declares abstract method forecast(double[])", "M", "@Lstm(")
            .error("remove it or give it a default body")
            .errorCount(1),
        /** SequenceModel's default methods are not written by the generated class: redeclared abstract, they stay so. */
        ErrorCase.named("abstractRedeclarationOfDefaultMethod")
            .file("M", LSTM + "interface M {\n  Tensor predict(Tensor x);\n}\n")
            .errorOn("@Lstm type M declares abstract method predict(dev.unroll.Tensor)", "M", "@Lstm(")
            .errorCount(1),
        /** An abstract class's abstract hashCode is not implemented by Object, unlike an interface's. */
        ErrorCase.named("abstractClassReabstractingHashCode")
            .file("M", LSTM + "abstract class M {\n  @Override\n  public abstract int hashCode();\n}\n")
            .errorOn("@Lstm type M declares abstract method hashCode()", "M", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("interfaceRedeclaringToStringIsAccepted")
            .file("M", LSTM + "interface M {\n  @Override\n  String toString();\n}\n")
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("interfaceRedeclaringObjectAndSequenceModelMethodsIsAccepted")
            .file("M", LSTM + """
          interface M {
            @Override
            boolean equals(Object o);

            @Override
            int hashCode();

            int paramCount();

            java.util.List<Tensor> getWeights();
          }
          """)
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("abstractClassRedeclaringToStringAndSequenceModelMethodsIsAccepted")
            .file("M", LSTM + """
          abstract class M {
            @Override
            public abstract String toString();

            abstract String summary();

            protected abstract int[] inputShape();
          }
          """)
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("inheritedAbstractMethodImplementedByTheTypeIsAccepted")
            .file("M", """
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
          """)
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("finalMethodTheGeneratedClassOverrides")
            .file("M", LSTM + """
          abstract class M {
            @Override
            public final String toString() {
              return "M";
            }
          }
          """)
            .errorOn("@Lstm type M has final method test.M.toString(), which the generated class "
              + "must override; remove final", "M", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("staticMethodTheGeneratedClassOverrides")
            .file("M", LSTM + """
          abstract class M {
            static String summary() {
              return "M";
            }
          }
          """)
            .errorOn("@Lstm type M has static method test.M.summary()", "M", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("staticInterfaceMethodIsNotOverriddenAndIsAccepted")
            .file("M", LSTM + """
          interface M {
            static String summary() {
              return "M";
            }
          }
          """)
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("privateMethodIsNotOverriddenAndIsAccepted")
            .file("M", LSTM + """
          abstract class M {
            private long paramCount() {
              return 0;
            }

            long count() {
              return paramCount();
            }
          }
          """)
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("defaultMethodClashingWithSequenceModelDefault")
            .file("M", LSTM + """
          interface M {
            default Tensor predict(Tensor x) {
              return x;
            }
          }
          """)
            .errorOn("@Lstm type M has default method test.M.predict(dev.unroll.Tensor), which "
              + "clashes with dev.unroll.SequenceModel.predict(dev.unroll.Tensor)", "M", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("defaultMethodOverridingSequenceModelDefaultIsAccepted")
            .file("M", LSTM + """
          interface M extends SequenceModel {
            @Override
            default Tensor predict(Tensor x) {
              return predict(x, null);
            }
          }
          """)
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("sequenceModelMethodWithAnotherReturnType")
            .file("M", LSTM + "interface M {\n  long paramCount();\n}\n")
            .errorOn("@Lstm type M has method test.M.paramCount() returning long, but the "
              + "generated class implements it as dev.unroll.SequenceModel declares it, returning int", "M", "@Lstm(")
            .errorCount(1));
  }

  /** The cases of {@link Names}: only the sources and the expected messages differ. */
  static Stream<ErrorCase> names() {
    return Stream.of(
        /** {@code Outer.Inner} and {@code Outer_Inner} both want {@code UnrolledOuter_Inner}: the second is refused. */
        ErrorCase.named("nestedAndTopLevelTypeWantTheSameName")
            .file("Outer", "class Outer {\n" + LSTM + "interface Inner {}\n}\n")
            .file("Outer_Inner", LSTM + "interface Outer_Inner {}\n")
            .errorOn("@Lstm on Outer_Inner: the generated class test.UnrolledOuter_Inner would "
              + "clash with the class generated for test.Outer.Inner; rename Outer_Inner or the other type", "Outer_Inner", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("nestedAndTopLevelTypeWantTheSameNameTheOtherWayRound")
            .file("Outer_Inner", LSTM + "interface Outer_Inner {}\n")
            .file("Outer", "class Outer {\n" + LSTM + "interface Inner {}\n}\n")
            .errorOn("@Lstm on Outer.Inner: the generated class test.UnrolledOuter_Inner would "
              + "clash with the class generated for test.Outer_Inner", "Outer", "@Lstm(")
            .errorCount(1),
        ErrorCase.named("existingClassWithTheGeneratedName")
            .file("Foo", LSTM + "interface Foo {}\n")
            .file("UnrolledFoo", "class UnrolledFoo {}\n")
            .errorOn("@Lstm on Foo: the generated class test.UnrolledFoo would clash with the "
              + "existing type test.UnrolledFoo", "Foo", "@Lstm(")
            .errorCount(1));
  }

  /** The cases of {@link NeverCrash}: only the sources and the expected messages differ. */
  static Stream<ErrorCase> neverCrash() {
    return Stream.of(
        ErrorCase.named("missingSuperclass")
            .file("M", LSTM + "abstract class M extends DoesNotExist {}\n")
            .errorOn("cannot find symbol", "M", "extends DoesNotExist")
            .noCrash(),
        ErrorCase.named("missingSuperinterface")
            .file("M", LSTM + "interface M extends DoesNotExist {}\n")
            .errorOn("cannot find symbol", "M", "extends DoesNotExist")
            .noCrash(),
        ErrorCase.named("missingTypeInAbstractMethod")
            .file("M", LSTM + "interface M {\n  void fit(DoesNotExist data);\n}\n")
            .errorOn("cannot find symbol", "M", "DoesNotExist data")
            .errorOn("declares abstract method fit(DoesNotExist)", "M", "@Lstm(")
            .noCrash(),
        ErrorCase.named("missingUnits")
            .file("M", "@Lstm(\n    timesteps = 5,\n    features = 3)\ninterface M {}\n")
            .errorOn("missing a default value for the element 'units'", "M", "@Lstm(")
            .noCrash(),
        ErrorCase.named("unknownActivation")
            .file("M", LSTM.replace(")\n", ",\n    activation = Activation.SWISH)\n") + "interface M {}\n")
            .errorOn("cannot find symbol", "M", "Activation.SWISH")
            .noCrash(),
        ErrorCase.named("nullActivation")
            .file("M", LSTM.replace(")\n", ",\n    activation = null)\n") + "interface M {}\n")
            .errorOn("must be an enum constant", "M", "activation = null")
            .noCrash(),
        ErrorCase.named("unknownAttribute")
            .file("M", LSTM.replace(")\n", ",\n    dropout = 0.5)\n") + "interface M {}\n")
            .errorOn("cannot find symbol", "M", "dropout = 0.5")
            .noCrash(),
        ErrorCase.named("cyclicInheritance")
            .file("M", LSTM + "interface M extends M {}\n")
            .error("cyclic inheritance")
            .noCrash());
  }
}
