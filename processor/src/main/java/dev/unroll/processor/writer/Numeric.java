package dev.unroll.processor.writer;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;

/**
 * The element type a model computes in, and the EJML types that go with it. The writer is written
 * once against this record; float32 adds a second instance ({@code float}, {@code FMatrixRMaj},
 * {@code CommonOps_FDRM}), not a second writer.
 *
 * @param scalar the primitive type of every weight and buffer
 * @param matrix EJML's row-major dense matrix of that type
 * @param ops EJML's operations on that matrix
 * @param literalSuffix appended to numeric literals ({@code ""} or {@code "f"})
 */
public record Numeric(TypeName scalar, ClassName matrix, ClassName ops, String literalSuffix) {

  public static final Numeric FLOAT64 = new Numeric(
      TypeName.DOUBLE,
      ClassName.get("org.ejml.data", "DMatrixRMaj"),
      ClassName.get("org.ejml.dense.row", "CommonOps_DDRM"),
      "");

  /** {@code new double[n]} as a format string piece for JavaPoet: the array type. */
  public TypeName array() {
    return com.palantir.javapoet.ArrayTypeName.of(scalar);
  }

  public String literal(double value) {
    return (value == Math.rint(value) ? Long.toString((long) value) + ".0" : Double.toString(value)) + literalSuffix;
  }
}
