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

  /** Parameter cap: 2^27 weights, 1 GiB in float64. */
  static final long MAX_PARAMS = 1L << 27;

  /** Cap on the largest work buffer of one sample, (timesteps · 4·units) values: 1 GiB in float64. */
  static final long MAX_VALUES_PER_SAMPLE = 1L << 27;

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
        + count(params) + " parameters, more than Unroll's limit of " + count(MAX_PARAMS)
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
        + count(MAX_VALUES_PER_SAMPLE) + " (1 GiB of float64); reduce timesteps (split long sequences into windows) "
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

  static String count(long n) {
    return NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
  }

  static String count(BigInteger n) {
    return NumberFormat.getIntegerInstance(Locale.ROOT).format(n);
  }
}
