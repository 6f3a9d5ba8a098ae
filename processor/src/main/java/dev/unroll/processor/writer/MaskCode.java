package dev.unroll.processor.writer;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.unroll.processor.model.Layer;

/**
 * What the writers of the layers that see a Masking layer's mask share: the field the model sets to
 * the mask before each forward pass, and the mask's row of a step.
 */
final class MaskCode {
  private MaskCode() {}

  /** {@code boolean[] mask}, set by the model's {@code forward} to the Masking layer's. */
  static FieldSpec field() {
    return FieldSpec.builder(ArrayTypeName.of(TypeName.BOOLEAN), "mask")
        .addJavadoc("The Masking layer's mask, set by the model before each forward pass: mask[s*batch + b] is\n")
        .addJavadoc("whether step s (in input order) of sample b is masked.\n")
        .build();
  }

  /** Where the mask's row of processing step {@code t} starts: {@code t * batch}, reversed for goBackwards. */
  static String row(Layer layer) {
    return layer.goBackwards() ? "(TIMESTEPS - 1 - t) * batch" : "t * batch";
  }
}
