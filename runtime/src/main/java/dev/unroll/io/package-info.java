/**
 * Weight import: Keras ({@code .h5} of Keras 1, 2 and 3, {@code .keras}) and PyTorch
 * ({@code .safetensors}, {@code .npz}) files read into generated models, checked against their declared
 * architecture ({@link dev.unroll.io.ModelFiles}), and the declaration that matches a file
 * ({@link dev.unroll.io.DeclarationPrinter}).
 *
 * <p>HDF5 files are read with jhdf ({@code io.jhdf:jhdf}), an optional dependency: models that only
 * run, or that read safetensors, do not need it.
 */
package dev.unroll.io;
