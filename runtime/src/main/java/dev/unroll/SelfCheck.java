package dev.unroll;

import java.util.Locale;

/**
 * The report of {@link SequenceModel#selfCheck()}: whether the model's compiled code computes what
 * was declared, on this JVM.
 *
 * <p>Two checks. The <em>forward</em> check runs the model on a fixed input and compares its output
 * with values the annotation processor computed at compile time with its own interpreter of the layer
 * equations (not with the code it wrote). The <em>gradient</em> check compares a few gradients of the
 * model's backward pass with central finite differences of its forward pass: for each weight tensor,
 * and for the input, the derivative of the loss along one random direction over the whole tensor.
 *
 * <p>Errors are relative, {@code |actual − expected| / max(1, |expected|)} for outputs and
 * {@code |analytic − numeric| / max(|analytic|, |numeric|, floor)} for gradients (the floor bounds the
 * rounding error of the difference quotient); each check passes when its worst error is within its
 * tolerance, which depends on the precision the model computes in.
 *
 * @param model the checked model's class name
 * @param float32 whether the model computes in float (the tolerances are then float32's)
 * @param referenceValues the number of compile-time values the output was compared with; 0 when the
 *     processor stored none (a model over its compile-time budget), in which case only the gradients
 *     are checked
 * @param forwardError the worst relative error of the output against the compile-time values
 * @param forwardTolerance the largest forward error that passes
 * @param gradientsChecked the number of derivatives compared with finite differences: one along a
 *     random direction for each weight tensor and one for the input (and, for a masked model, that
 *     dL/dx is 0 at the masked steps)
 * @param gradientError the worst relative error of a gradient against its finite difference
 * @param gradientTolerance the largest gradient error that passes
 * @param worstGradient which gradient had the worst error, e.g. {@code lstm recurrent_kernel (16, 64)}
 */
public record SelfCheck(
    String model,
    boolean float32,
    int referenceValues,
    double forwardError,
    double forwardTolerance,
    int gradientsChecked,
    double gradientError,
    double gradientTolerance,
    String worstGradient) {

  /** Whether both checks passed (an error of NaN fails). */
  public boolean passed() {
    return forwardPassed() && gradientsPassed();
  }

  /** Whether the output agrees with the compile-time values (true when there were none). */
  public boolean forwardPassed() {
    return referenceValues == 0 || forwardError <= forwardTolerance;
  }

  /** Whether every checked gradient agrees with its finite difference. */
  public boolean gradientsPassed() {
    return gradientError <= gradientTolerance;
  }

  /**
   * This report, when it passed.
   *
   * @throws IllegalStateException naming the failed check, when it did not
   */
  public SelfCheck orThrow() {
    if (!passed()) {
      throw new IllegalStateException(toString());
    }
    return this;
  }

  /**
   * The report in two or three lines, e.g.
   * <pre>
   * UnrolledTwoFeatures self-check passed (float64)
   *   forward:   3 values against the processor's, worst error 1.1e-16 (tolerance 1e-09)
   *   gradients: 4 directions against finite differences, worst error 3.2e-10 (tolerance 1e-06) at lstm kernel (2, 4)
   * </pre>
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(model).append(" self-check ")
        .append(passed() ? "passed" : "FAILED").append(" (").append(float32 ? "float32" : "float64").append(")\n");
    if (referenceValues == 0) {
      sb.append("  forward:   not checked: the processor stored no compile-time values for this model\n");
    } else {
      sb.append(String.format(Locale.ROOT, "  forward:   %d values against the processor's, worst error %.2g (tolerance %.0g)%s%n",
          referenceValues, forwardError, forwardTolerance, forwardPassed() ? "" : "  <-- FAILED"));
    }
    sb.append(String.format(Locale.ROOT, "  gradients: %d directions against finite differences, worst error %.2g (tolerance %.0g) at %s%s",
        gradientsChecked, gradientError, gradientTolerance, worstGradient, gradientsPassed() ? "" : "  <-- FAILED"));
    return sb.toString();
  }
}
