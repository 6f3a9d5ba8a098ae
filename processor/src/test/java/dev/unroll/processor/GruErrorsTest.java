package dev.unroll.processor;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The checks of {@code @Gru}: the rules it shares with {@code @Lstm}, in its own name, and its own. */
class GruErrorsTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void message(ErrorCase c) {
    c.run();
  }

  static Stream<ErrorCase> cases() {
    return Stream.of(
        ErrorCase.named("valid")
            .file("M", "@Gru(units = 4, timesteps = 5, features = 3, returnSequences = true)\n@Gru(units = 2)\n"
                + "@Dense(units = 1)\ninterface M {}\n")
            .lint()
            .succeededWithoutWarnings(),
        ErrorCase.named("units")
            .file("M", "@Gru(\n    units = 0,\n    timesteps = 5,\n    features = 3)\ninterface M {}\n")
            .errorOn("@Gru units must be at least 1, found 0", "M", "units = 0")
            .errorCount(1),
        ErrorCase.named("missingTimesteps")
            .file("M", "@Gru(units = 4, features = 3)\ninterface M {}\n")
            .errorOn("@Gru must state timesteps", "M", "@Gru(")
            .errorCount(1),
        ErrorCase.named("softmax")
            .file("M", "@Gru(units = 4, timesteps = 5, features = 3,\n    activation = Activation.SOFTMAX)\ninterface M {}\n")
            .errorOn("@Gru activation = SOFTMAX cannot be used", "M", "activation = Activation.SOFTMAX")
            .errorCount(1),
        ErrorCase.named("notSequences")
            .file("M", "@Gru(units = 4, timesteps = 5, features = 3)\n@Gru(units = 2)\ninterface M {}\n")
            .errorOn("returns only its last output (returnSequences = false)", "M", "@Gru(units = 4")
            .errorCount(1),
        ErrorCase.named("returnStateNotLast")
            .file("M", "@Gru(units = 4, timesteps = 5, features = 3,\n    returnState = true)\n@Dense(units = 1)\n"
                + "interface M {}\n")
            .errorOn("@Gru returnState = true is only for the last layer of a model", "M", "returnState = true")
            .errorCount(1),
        ErrorCase.named("gruAndLstmOnOneType")
            .file("M", "@Lstm(units = 4, timesteps = 5, features = 3, returnSequences = true)\n@Gru(units = 2)\n"
                + "interface M {}\n")
            .errorOn("@Gru and @Lstm on one type", "M", "@Gru(units = 2)")
            .error("declare the layers as methods in the member form")
            .errorCount(1),
        ErrorCase.named("timestepsInMemberForm")
            .file("M", "@Input(timesteps = 5, features = 3)\ninterface M {\n  @Gru(units = 4,\n      timesteps = 5) Layer gru();\n}\n")
            .errorOn("@Gru timesteps = 5 cannot be stated in the member form", "M", "timesteps = 5)")
            .errorCount(1),
        ErrorCase.named("gruThenLstmInMemberForm")
            .file("M", "@Input(timesteps = 5, features = 3)\ninterface M {\n"
                + "  @Gru(units = 4, returnSequences = true) Layer gru();\n  @Lstm(units = 2) Layer lstm();\n}\n")
            .lint()
            .succeededWithoutWarnings());
  }
}
