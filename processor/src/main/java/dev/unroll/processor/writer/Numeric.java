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

  public static final Numeric FLOAT32 = new Numeric(
      TypeName.FLOAT,
      ClassName.get("org.ejml.data", "FMatrixRMaj"),
      ClassName.get("org.ejml.dense.row", "CommonOps_FDRM"),
      "f");

  public static Numeric of(boolean float32) {
    return float32 ? FLOAT32 : FLOAT64;
  }

  /** {@code double} or {@code float}, for comments. */
  public String name() {
    return scalar.toString();
  }

  /** The array type, {@code double[]} or {@code float[]}. */
  public TypeName array() {
    return com.palantir.javapoet.ArrayTypeName.of(scalar);
  }

  public String literal(double value) {
    String text = value == Math.rint(value) ? (long) value + ".0" : Double.toString(value);
    return text + literalSuffix;
  }
}
