/**
 * Weight import: Keras ({@code .h5} of Keras 1, 2 and 3, {@code .keras}) and PyTorch
 * ({@code .safetensors}, {@code .npz}) files read into generated models, checked against their declared
 * architecture ({@link dev.unroll.io.ModelFiles}), and the declaration that matches a file
 * ({@link dev.unroll.io.DeclarationPrinter}).
 *
 * <p>This package is the artifact {@code unroll-io}, apart from {@code unroll-runtime} so that
 * applications that only run models carry no readers. HDF5 files are read with jhdf
 * ({@code io.jhdf:jhdf}), a dependency of {@code unroll-io}.
 */
package dev.unroll.io;
