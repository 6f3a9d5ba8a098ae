package dev.unroll;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Wraps the {@link Lstm} or {@link Gru} on the same layer method in a Keras {@code Bidirectional}
 * layer (member form, see {@link Input}):
 *
 * <pre>{@code
 * @Bidirectional(mergeMode = MergeMode.CONCAT) @Lstm(units = 32, returnSequences = true) Layer encoder();
 * }</pre>
 *
 * <p>A forward copy of the layer reads the sequence as it is; a backward copy, with its own weights,
 * reads it from the last step to the first (go_backwards), and its output sequence is reversed back
 * to input order. With returnSequences the two sequences are merged step by step, without it the two
 * final h. The weights are the forward layer's, then the backward layer's (Keras names
 * {@code forward_lstm}, {@code backward_lstm}); the parameters double, and so do the units with
 * CONCAT. A model with a Bidirectional layer cannot stream: its backward half needs the whole
 * sequence before its first output.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Bidirectional {

  /** How the two directions' outputs combine, Keras {@code merge_mode}; CONCAT by default, as in Keras. */
  MergeMode mergeMode() default MergeMode.CONCAT;
}
