package dev.unroll.cli;

import dev.unroll.io.ModelFile;
import dev.unroll.io.ModelFiles;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model file a command reads, and the Keras configuration that a weights-only file needs. */
final class FileInput {
  @Parameters(index = "0", paramLabel = "FILE",
      description = "a Keras .h5, .keras or .weights.h5 file, a PyTorch state dict (.safetensors, .npz), or an"
          + " ONNX model (.onnx)")
  Path file;

  @Option(names = "--config", paramLabel = "JSON",
      description = "the model's configuration (model.to_json()), for a Keras save_weights file")
  Path config;

  /** Reads the file (and configuration). */
  ModelFile read() throws IOException {
    return ModelFiles.read(file, config);
  }
}
