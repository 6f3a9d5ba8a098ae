package dev.unroll.processor;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The member form's rules, one row each: the message, its file and its line (the attribute's, the
 * layer annotation's or {@code @Input}'s), and that nothing else is reported.
 */
class MemberFormErrorsTest {

  private static final String INPUT = "@Input(timesteps = 5, features = 3)\n";

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void message(ErrorCase c) {
    c.run();
  }

  static Stream<ErrorCase> cases() {
    return Stream.of(
        ErrorCase.named("valid")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4) Layer encoder();\n  @Dense(units = 1) Layer head();\n}\n")
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("missingInput")
            .file("M", "interface M {\n  @Lstm(units = 4) Layer encoder();\n}\n")
            .errorOn("layer methods need @Input on their type: M declares its layers as methods", "M", "@Lstm(units = 4)")
            .error("add @Input(timesteps = ..., features = ...) to M")
            .errorCount(1),
        ErrorCase.named("inputWithoutLayers")
            .file("M", INPUT + "interface M {}\n")
            .errorOn("@Input on M needs layer methods", "M", "@Input(")
            .errorCount(1),
        ErrorCase.named("mixedForms")
            .file("M", "@Lstm(units = 2, timesteps = 5, features = 3)\n" + INPUT
                + "interface M {\n  @Lstm(units = 4) Layer encoder();\n}\n")
            .errorOn("@Lstm on the type cannot combine with the member form", "M", "@Lstm(units = 2")
            .errorCount(1),
        ErrorCase.named("twoLayersOnOneMethod")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4)\n  @Dense(units = 1)\n  Layer encoder();\n}\n")
            .errorOn("@Dense on encoder(), which is already @Lstm: each layer method declares one layer", "M",
                "@Dense(units = 1)")
            .errorCount(1),
        ErrorCase.named("parameters")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4) Layer encoder(int i);\n}\n")
            .errorOn("layer method encoder() must take no parameters, found 1", "M", "@Lstm(units = 4)")
            .errorCount(1),
        ErrorCase.named("returnType")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4) Tensor encoder();\n}\n")
            .errorOn("layer method encoder() must return dev.unroll.Layer, found dev.unroll.Tensor", "M",
                "@Lstm(units = 4)")
            .error("declare it as Layer encoder()")
            .errorCount(1),
        ErrorCase.named("defaultMethod")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4) default Layer encoder() { return null; }\n}\n")
            .errorOn("layer method encoder() must be abstract, found a default method", "M", "@Lstm(units = 4)")
            .errorCount(1),
        ErrorCase.named("nameOfSequenceModelMethod")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4) Layer summary();\n}\n")
            .errorOn("layer method summary() has the name of SequenceModel.summary()", "M", "@Lstm(units = 4)")
            .errorCount(1),
        ErrorCase.named("timestepsStated")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4,\n      timesteps = 5) Layer encoder();\n}\n")
            .errorOn("@Lstm timesteps = 5 cannot be stated in the member form: @Input fixes the model's timesteps (5)",
                "M", "timesteps = 5)")
            .errorCount(1),
        ErrorCase.named("featuresStatedOnALaterLayer")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4, returnSequences = true) Layer a();\n"
                + "  @Lstm(units = 2,\n      features = 4) Layer b();\n}\n")
            .errorOn("@Lstm features = 4 cannot be stated in the member form", "M", "features = 4)")
            .errorCount(1),
        ErrorCase.named("inputTimesteps")
            .file("M", "@Input(\n    timesteps = 0,\n    features = 3)\ninterface M {\n  @Lstm(units = 4) Layer encoder();\n}\n")
            .errorOn("@Input timesteps must be at least 1, found 0", "M", "timesteps = 0")
            .errorCount(1),
        ErrorCase.named("notSequencesThroughMembers")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4) Layer a();\n  @Lstm(units = 2) Layer b();\n}\n")
            .errorOn("@Lstm on a() feeds the @Lstm on b(), which needs the whole sequence (batch, 5, 4)", "M",
                "@Lstm(units = 4)")
            .errorCount(1),
        ErrorCase.named("denseBetweenLstms")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4, returnSequences = true) Layer a();\n"
                + "  @Dense(units = 3) Layer d();\n  @Lstm(units = 2) Layer b();\n}\n")
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("noTimeAxisThroughDense")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4) Layer a();\n"
                + "  @Dense(units = 3) Layer d();\n  @Lstm(units = 2) Layer b();\n}\n")
            .errorOn("@Lstm on a() returns only its last output (returnSequences = false), so the @Dense on d() has "
                + "no time axis either, but the @Lstm on b() needs a sequence (batch, 5, 3)", "M", "@Lstm(units = 4)")
            .error("set returnSequences = true on the @Lstm on a()")
            .errorCount(1),
        ErrorCase.named("denseOnly")
            .file("M", INPUT + "interface M {\n  @Dense(units = 3) Layer d();\n}\n")
            .errorOn("@Dense needs an @Lstm before it", "M", "@Dense(units = 3)")
            .errorCount(1),
        ErrorCase.named("otherAbstractMethodsStillRefused")
            .file("M", INPUT + "interface M {\n  @Lstm(units = 4) Layer encoder();\n  Layer decoder();\n}\n")
            .error("decoder()")
            .errorCount(1));
  }
}
