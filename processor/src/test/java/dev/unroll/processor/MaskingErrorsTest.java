package dev.unroll.processor;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of {@code @Masking}, one row each: the message, on its attribute or annotation, and that
 * nothing else is reported.
 */
class MaskingErrorsTest {

  private static final String INPUT = "@Input(timesteps = 5, features = 3)\n";

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void message(ErrorCase c) {
    c.run();
  }

  static Stream<ErrorCase> cases() {
    return Stream.of(
        ErrorCase.named("valid")
            .file("M", INPUT + "interface M {\n  @Masking(maskValue = -1) Layer masking();\n"
                + "  @Lstm(units = 4) Layer encoder();\n  @Dense(units = 1) Layer head();\n}\n")
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("nanMaskValue")
            .file("M", INPUT + "interface M {\n  @Masking(\n      maskValue = Double.NaN) Layer masking();\n"
                + "  @Lstm(units = 4) Layer encoder();\n}\n")
            .errorOn("@Masking maskValue must be a finite number, found NaN", "M", "maskValue = Double.NaN")
            .error("pad with a finite value such as maskValue = 0.0")
            .errorCount(1),
        ErrorCase.named("infiniteMaskValue")
            .file("M", INPUT + "interface M {\n  @Masking(\n      maskValue = 1 / 0.0) Layer masking();\n"
                + "  @Lstm(units = 4) Layer encoder();\n}\n")
            .errorOn("@Masking maskValue must be a finite number, found Infinity", "M", "maskValue = 1 / 0.0")
            .errorCount(1),
        ErrorCase.named("notFirst")
            .file("M", INPUT + "interface M {\n  @Dense(units = 2) Layer embed();\n"
                + "  @Masking Layer masking();\n  @Lstm(units = 4) Layer encoder();\n}\n")
            .errorOn("@Masking must be the model's first layer, but masking() comes after embed()", "M", "@Masking")
            .error("move masking() before every other layer method")
            .errorCount(1),
        ErrorCase.named("twoMaskings")
            .file("M", INPUT + "interface M {\n  @Masking Layer masking();\n"
                + "  @Masking(maskValue = 1) Layer again();\n  @Lstm(units = 4) Layer encoder();\n}\n")
            .errorOn("@Masking may appear once per model, but again() is a second one after masking()", "M",
                "@Masking(maskValue = 1)")
            .errorCount(1),
        ErrorCase.named("maskingWithoutRecurrentLayer")
            .file("M", INPUT + "interface M {\n  @Masking Layer masking();\n  @Dense(units = 1) Layer head();\n}\n")
            .errorOn("@Masking on masking() needs a recurrent layer after it", "M", "@Masking")
            .errorCount(1),
        ErrorCase.named("bidirectionalMasking")
            .file("M", INPUT + "interface M {\n  @Bidirectional @Masking Layer masking();\n"
                + "  @Lstm(units = 4) Layer encoder();\n}\n")
            .errorOn("@Bidirectional", "M", "@Bidirectional @Masking")
            .errorCount(1),
        ErrorCase.named("maskingOnTheType")
            .file("M", "@Masking\n@Lstm(units = 4, timesteps = 5, features = 3)\ninterface M {}\n")
            .errorOn("not applicable", "M", "@Masking")
            .errorCount(1));
  }
}
