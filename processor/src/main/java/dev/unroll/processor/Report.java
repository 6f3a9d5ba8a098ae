package dev.unroll.processor;

import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;

/**
 * The problems found while validating one model: each is reported on the annotation and attribute
 * it concerns, and the report remembers whether there was one (or a value javac has reported
 * already), so that validation goes on to find every problem and gives up only at the end.
 */
class Report {
  private final Messager messager;
  private boolean failed;

  Report(Messager messager) {
    this.messager = messager;
  }

  /** An error on {@code attribute} of {@code d}, or on the annotation when {@code attribute} is null. */
  void error(Declaration d, String attribute, String message) {
    failed = true;
    d.report(messager, Diagnostic.Kind.ERROR, attribute, message);
  }

  /** A warning on {@code attribute} of {@code d}: it does not fail the model. */
  void warning(Declaration d, String attribute, String message) {
    d.report(messager, Diagnostic.Kind.WARNING, attribute, message);
  }

  /**
   * This report, with messages that name {@code from} naming {@code to} instead: the checks that
   * LSTM and GRU layers share are written once, with the @Lstm messages.
   */
  Report renaming(String from, String to) {
    Report outer = this;
    return new Report(messager) {
      @Override
      void error(Declaration d, String attribute, String message) {
        outer.error(d, attribute, message.replace(from, to));
      }

      @Override
      void warning(Declaration d, String attribute, String message) {
        outer.warning(d, attribute, message.replace(from, to));
      }

      @Override
      void fail() {
        outer.fail();
      }

      @Override
      boolean failed() {
        return outer.failed();
      }

      @Override
      boolean begin() {
        return outer.begin();
      }

      @Override
      void end(boolean before) {
        outer.end(before);
      }
    };
  }

  /** Fails the model without a message, for a value that javac has reported already. */
  void fail() {
    failed = true;
  }

  boolean failed() {
    return failed;
  }

  /**
   * Starts checking one part (a layer) on its own: returns whether anything before it failed, and
   * clears that, so that {@link #failed()} then says whether this part failed.
   */
  boolean begin() {
    boolean before = failed;
    failed = false;
    return before;
  }

  /** Ends the part that {@link #begin()} started: {@code before} is what it returned. */
  void end(boolean before) {
    failed = before || failed;
  }
}
