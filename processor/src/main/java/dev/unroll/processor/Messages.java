package dev.unroll.processor;

import java.math.BigInteger;
import java.text.NumberFormat;
import java.util.Locale;

/**
 * Every message the processor gives a user, in one place. Each says what is wrong (the rule), what
 * was found, and how to fix it; messages about an attribute start with the annotation and the
 * attribute, as javac puts them on that attribute.
 */
final class Messages {
  private Messages() {}

  static String positive(String attribute, long found, String meaning, String example) {
    return "@Lstm " + attribute + " must be at least 1, found " + found + ": " + attribute + " is " + meaning
        + "; set it to a positive number such as " + attribute + " = " + example;
  }

  static String units(long found) {
    return positive("units", found, "the width of the hidden state h and of the output", "32");
  }

  static String timesteps(long found) {
    return positive("timesteps", found, "the length of each input sequence", "24");
  }

  static String features(long found) {
    return positive("features", found, "the number of values in each x_t (Keras input_dim)", "3");
  }

  static String missing(String attribute, String meaning, String example) {
    return "@Lstm must state " + attribute + ": the first @Lstm of a model fixes the input shape "
        + "(batch, timesteps, features), and " + attribute + " is " + meaning + "; add " + attribute + " = "
        + example;
  }

  static String missingTimesteps() {
    return missing("timesteps", "the length of each input sequence", "<sequence length>, e.g. timesteps = 24");
  }

  static String missingFeatures() {
    return missing("features", "the number of values in each x_t",
        "<values per step>, e.g. features = 1 for a single series");
  }

  static String tooManyParams(long units, long features, boolean useBias, BigInteger params) {
    return "@Lstm units = " + units + " with features = " + features + " gives "
        + (useBias ? "4*(F*U + U*U + U)" : "4*(F*U + U*U) (no bias)") + " = "
        + count(params) + " parameters, more than Unroll's limit of " + count(Limits.MAX_PARAMS)
        + " (1 GiB of float64 weights); reduce units or features";
  }

  /**
   * @param byFeatures whether the largest buffer is the input's, (timesteps, features), rather than
   *     the gates', (timesteps, 4·units)
   */
  static String bufferTooLarge(long timesteps, long units, long features, BigInteger values, boolean byFeatures) {
    return "@Lstm timesteps = " + timesteps + " with units = " + units + " and features = " + features
        + " needs work buffers of " + count(values) + " values per sample ("
        + (byFeatures ? "timesteps*features" : "timesteps*4*units") + "), more than Unroll's limit of "
        + count(Limits.MAX_VALUES_PER_SAMPLE) + " (1 GiB of float64); reduce timesteps (split long sequences into windows) "
        + "or " + (byFeatures ? "features" : "units");
  }

  static String wrongKind(String kind, String name) {
    return "@Lstm applies to an interface or a class, but " + name + " is " + kind
        + "; declare the model as an interface, e.g. @Lstm(...) interface " + name + " {}";
  }

  static String privateType(String name) {
    return "@Lstm type " + name + " must not be private: the generated class in the same package implements or "
        + "extends it; make it package-private or public";
  }

  static String privateEnclosing(String name, String enclosing) {
    return "@Lstm type " + name + " is nested in private type " + enclosing
        + ", which the generated class cannot see; make " + enclosing + " package-private or public";
  }

  static String innerClass(String name) {
    return "@Lstm class " + name + " is an inner class (not static), which needs an enclosing instance; "
        + "declare it static, or make it an interface";
  }

  static String localType(String name) {
    return "@Lstm type " + name + " is a local or anonymous class, which the generated class cannot name; "
        + "move it to the top level or make it a static member";
  }

  static String finalClass(String name) {
    return "@Lstm class " + name + " is final, but the generated class must extend it; remove final, "
        + "or declare the model as an interface";
  }

  static String noConstructor(String name) {
    return "@Lstm class " + name + " has no accessible no-argument constructor, which the generated class "
        + "calls; add a non-private constructor " + name + "() {}";
  }

  static String constructorThrows(String name, String thrown) {
    return "@Lstm class " + name + " has a no-argument constructor that throws " + thrown
        + ", which the generated constructors, calling it, cannot declare; catch it in " + name
        + "() or throw an unchecked exception";
  }

  static String sealed(String name, String generated) {
    return "@Lstm type " + name + " is sealed and does not permit " + generated
        + ", the generated class that implements or extends it; add " + generated
        + " to its permits clause, or remove sealed";
  }

  static String generic(String name) {
    return "@Lstm type " + name + " declares type parameters, which a model cannot use; remove them";
  }

  static String abstractMethod(String name, String method) {
    return "@Lstm type " + name + " declares abstract method " + method
        + ", which the generated class cannot implement (it implements only dev.unroll.SequenceModel); "
        + "remove it or give it a default body";
  }

  static String notOverridable(String name, String method, String modifier) {
    return "@Lstm type " + name + " has " + modifier + " method " + method
        + ", which the generated class must override; remove " + modifier + " or the method";
  }

  static String wrongReturnType(String name, String method, String found, String expected) {
    return "@Lstm type " + name + " has method " + method + " returning " + found
        + ", but the generated class implements it as dev.unroll.SequenceModel declares it, returning "
        + expected + "; change the return type to " + expected + " or remove the method";
  }

  static String clashingDefault(String name, String method, String other) {
    return "@Lstm type " + name + " has default method " + method + ", which clashes with " + other
        + " in the generated class that inherits both; remove it, or let " + name
        + " extend dev.unroll.SequenceModel so that it overrides that method";
  }

  static String nameClash(String generated, String name, String other) {
    return "@Lstm on " + name + ": the generated class " + generated + " would clash with " + other
        + "; rename " + name + " or the other type";
  }

  static String unexpected(String name, String trace) {
    return "Unroll failed unexpectedly while processing " + name
        + ". This is a bug in Unroll; please report it with this trace:\n" + trace;
  }

  /** @param value the option's value, null if it was given without one */
  static String badOption(String key, String value, String expected) {
    return "Unroll: option -A" + key + (value == null ? " has no value" : "=" + value + " is invalid")
        + "; expected " + expected;
  }

  static String denseUnits(long found) {
    return "@Dense units must be at least 1, found " + found + ": units is the width of the layer's output; "
        + "set it to a positive number such as units = 1";
  }

  static String denseWithoutLstm() {
    return "@Dense needs an @Lstm before it: a model is a stack of @Lstm layers, then @Dense layers, and the "
        + "first @Lstm fixes the input shape; add @Lstm(units = ..., timesteps = ..., features = ...)";
  }

  static String float32WithoutLstm() {
    return "@Float32 makes an @Lstm model compute in float, but this type declares no @Lstm; add one, or remove "
        + "@Float32";
  }

  /** @param why the rule, naming the layer that fixes the value */
  static String disagrees(String attribute, long stated, long inferred, String why) {
    return "@Lstm " + attribute + " = " + stated + " disagrees with the " + inferred + " this layer gets: " + why
        + "; remove " + attribute + " (later layers infer it) or set " + attribute + " = " + inferred;
  }

  /**
   * @param where where the @Lstm that returns only its last output is ({@code at line 5})
   * @param nextWhere where the @Lstm it feeds is
   * @param sequence the shape that @Lstm needs, {@code (batch, 24, 32)}
   */
  static String notSequences(String where, String nextWhere, String sequence) {
    return "@Lstm " + where + " feeds the @Lstm " + nextWhere + ", which needs the whole sequence " + sequence
        + ", but it returns only its last output (returnSequences = false); set returnSequences = true on the "
        + "@Lstm " + where;
  }

  /** @param nextWhere where the next layer is ({@code at line 9}) */
  static String returnStateNotLast(String next, String nextWhere) {
    return "@Lstm returnState = true is only for the last layer of a model, but the " + next + " " + nextWhere
        + " follows it; remove returnState, or make this @Lstm the last layer";
  }

  static String softmaxInLstm(String attribute) {
    return "@Lstm " + attribute + " = SOFTMAX cannot be used in an LSTM, whose activations apply to each unit "
        + "on its own; use TANH, SIGMOID, HARD_SIGMOID, HARD_SIGMOID_KERAS3, RELU or LINEAR";
  }

  static String forgetBiasWithoutBias() {
    return "@Lstm unitForgetBias = true cannot combine with useBias = false: there is no bias whose forget block "
        + "could start at 1; remove unitForgetBias or set useBias = true";
  }

  static String softmaxOfOne() {
    return "@Dense activation = SOFTMAX over units = 1 always outputs 1.0, whatever its input; use SIGMOID for "
        + "one probability, or more units";
  }

  static String tooManyLayers(int count) {
    return "Unroll models have at most " + Limits.MAX_LAYERS + " layers, found " + count + "; split the model";
  }

  static String denseTooLarge(long inputs, long units, BigInteger params) {
    return "@Dense units = " + units + " with " + inputs + " inputs gives " + count(params)
        + " parameters, more than Unroll's limit of " + count(Limits.MAX_PARAMS) + "; reduce units";
  }

  static String denseBufferTooLarge(long timesteps, long units, BigInteger values) {
    return "@Dense units = " + units + " after a layer that returns sequences of " + timesteps
        + " timesteps needs an output of " + count(values) + " values per sample (timesteps*units), more than "
        + "Unroll's limit of " + count(Limits.MAX_DENSE_VALUES_PER_SAMPLE) + " (1 GiB of float64); reduce units, or timesteps "
        + "(split long sequences into windows)";
  }

  /** @param container {@code @Lstm.List} or {@code @Dense.List} */
  static String noLayers(String container) {
    return container + " holds no layer, and this type declares none else: a model needs at least one @Lstm; "
        + "add @Lstm(units = ..., timesteps = ..., features = ...), or remove the empty " + container;
  }

  static String reservedMethod(String name, String method) {
    return "@Lstm type " + name + " declares " + method + ", which the generated class declares for itself "
        + "(with another meaning); rename the method";
  }

  // ---------------------------------------------------------------------------------------------
  // The member form: @Input on the type, one abstract method per layer

  static String statedInMemberForm(String attribute, long stated, long input) {
    return "@Lstm " + attribute + " = " + stated + " cannot be stated in the member form: @Input fixes the model's "
        + attribute + " (" + input + ") and each layer infers its own from the layer before; remove " + attribute;
  }

  static String inputPositive(String attribute, long found, String meaning, String example) {
    return "@Input " + attribute + " must be at least 1, found " + found + ": " + attribute + " is " + meaning
        + "; set it to a positive number such as " + attribute + " = " + example;
  }

  static String missingInput(String name) {
    return "layer methods need @Input on their type: " + name + " declares its layers as methods (the member form), "
        + "whose input shape @Input gives; add @Input(timesteps = ..., features = ...) to " + name;
  }

  static String inputWithoutLayers(String name) {
    return "@Input on " + name + " needs layer methods: declare one abstract method per layer, in order, such as "
        + "@Lstm(units = 32) Layer encoder(); the method's name is the layer's Keras name";
  }

  static String mixedForms(String annotation) {
    return annotation + " on the type cannot combine with the member form (@Input and layer methods): declare every "
        + "layer as a method, e.g. " + annotation + "(...) Layer name(); or remove @Input and the layer methods";
  }

  static String twoLayersOnMethod(String method, String first, String second) {
    return second + " on " + method + "(), which is already " + first + ": each layer method declares one layer; "
        + "declare another method for the " + second + " layer";
  }

  static String layerMethodParameters(String method, int count) {
    return "layer method " + method + "() must take no parameters, found " + count + ": it returns a view of its "
        + "layer; remove the parameters";
  }

  static String layerMethodReturnType(String method, String found) {
    return "layer method " + method + "() must return dev.unroll.Layer, found " + found + ": the generated class "
        + "returns the layer's view; declare it as Layer " + method + "()";
  }

  static String layerMethodNotAbstract(String method, String how) {
    return "layer method " + method + "() must be abstract, found " + how + ": the generated class implements it; "
        + "remove its body" + (how.equals("static") ? " and static" : "");
  }

  static String layerMethodClash(String method, String owner) {
    return "layer method " + method + "() has the name of " + owner + "." + method + "(), which the generated class "
        + "has with another meaning; rename the layer method (its name becomes the layer's Keras name)";
  }

  /**
   * @param where the @Lstm that returns only its last output
   * @param denseWhere the @Dense after it, which then has no time axis either
   * @param nextWhere the @Lstm that needs a sequence
   */
  static String notSequencesThroughDense(String where, String denseWhere, String nextWhere, String sequence) {
    return "@Lstm " + where + " returns only its last output (returnSequences = false), so the @Dense " + denseWhere
        + " has no time axis either, but the @Lstm " + nextWhere + " needs a sequence " + sequence
        + "; set returnSequences = true on the @Lstm " + where;
  }



  static String gruTooManyParams(long units, long features, boolean useBias, boolean resetAfter, BigInteger params) {
    return "@Gru units = " + units + " with features = " + features + " gives "
        + (!useBias ? "3*(F*U + U*U) (no bias)" : resetAfter ? "3*(F*U + U*U + 2*U)" : "3*(F*U + U*U + U)") + " = "
        + count(params) + " parameters, more than Unroll's limit of " + count(Limits.MAX_PARAMS)
        + " (1 GiB of float64 weights); reduce units or features";
  }

  static String bidirectionalWithoutRecurrent(String method) {
    return "@Bidirectional on " + method + "() needs an @Lstm or @Gru on the same method, which it wraps in a forward "
        + "and a backward copy; add one, e.g. @Bidirectional @Lstm(units = 32) Layer " + method + "();";
  }

  static String bidirectionalOption(String attribute) {
    return "@Lstm " + attribute + " = true is not supported inside @Bidirectional: "
        + (attribute.equals("returnState") ? "the wrapper would return the states of both directions"
            : "the wrapper runs one copy each way already")
        + "; remove " + attribute;
  }

  static String mixedRecurrentKinds() {
    return "@Gru and @Lstm on one type: the type-level form stacks layers of one recurrent kind (then @Dense layers), "
        + "because javac does not keep the order between different annotations; declare the layers as methods in "
        + "the member form (@Input on the type, one abstract method per layer)";
  }

  static String maskValueNotFinite(double found) {
    return "@Masking maskValue must be a finite number, found " + found + ": a step is masked when every feature "
        + "equals maskValue, and nothing equals NaN (an infinite value is no padding a model sees either); "
        + "pad with a finite value such as maskValue = 0.0 (Keras's default)";
  }

  static String maskingNotFirst(String method, String first) {
    return "@Masking must be the model's first layer, but " + method + "() comes after " + first
        + "(): Keras computes the mask from the model's input, and the layers before would not see it; "
        + "move " + method + "() before every other layer method";
  }

  static String twoMaskings(String method, String first) {
    return "@Masking may appear once per model, but " + method + "() is a second one after " + first
        + "(): one mask, from the model's input, goes through the layers; remove " + method + "()";
  }

  static String maskingOnly(String method) {
    return "@Masking on " + method + "() needs a recurrent layer after it: a model with @Masking needs an @Lstm or "
        + "@Gru layer method; add one after " + method + "()";
  }

  static String count(long n) {
    return NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
  }

  static String count(BigInteger n) {
    return NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
  }
}
