package dev.unroll.io;

import dev.unroll.Activation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the Unroll declaration that matches a Keras or PyTorch file, with the Keras summary of each
 * layer (output shape, parameter count) beside it: paste it, compile, and load the file with
 * {@link ModelFiles#load(dev.unroll.SequenceModel, Path)}.
 *
 * <pre>
 * java -cp ... dev.unroll.io.DeclarationPrinter [--name Model] [--timesteps N] file [config.json]
 * </pre>
 *
 * <p>{@code config.json} is the model's {@code model.to_json()}, for a Keras {@code save_weights}
 * file; {@code --timesteps} gives the sequence length where the file does not state it (PyTorch files,
 * Keras models built for any length). Exit status: 0 when the whole file can be declared, 2 when it has
 * layers Unroll does not have (they are named in the output), 1 when it cannot be read.
 */
public final class DeclarationPrinter {
  private DeclarationPrinter() {}

  public static void main(String[] args) {
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      // jhdf logs through SLF4J; without a provider SLF4J warns on stderr on first use
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int status = run(args, out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the command; returns its exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String name = "Model";
    int timesteps = 0;
    List<String> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      try {
        if (a.equals("--name") && i + 1 < args.length) {
          name = args[++i];
        } else if (a.equals("--timesteps") && i + 1 < args.length) {
          timesteps = Integer.parseInt(args[++i]);
        } else if (a.equals("-h") || a.equals("--help")) {
          err.println(usage());
          return 0;
        } else if (a.startsWith("--")) {
          err.println("unknown option " + a + "\n" + usage());
          return 1;
        } else {
          files.add(a);
        }
      } catch (NumberFormatException e) {
        err.println("--timesteps needs a number, found " + args[i] + "\n" + usage());
        return 1;
      }
    }
    if (files.isEmpty() || files.size() > 2 || !name.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
      err.println(usage());
      return 1;
    }
    ModelFile file;
    try {
      file = ModelFiles.read(Path.of(files.get(0)), files.size() > 1 ? Path.of(files.get(1)) : null);
    } catch (IOException e) {
      err.println(e.getMessage());
      return 1;
    }
    out.print(declaration(file, name, timesteps));
    return declarable(file) ? 0 : 2;
  }

  private static String usage() {
    return "usage: DeclarationPrinter [--name Model] [--timesteps N] file [config.json]\n"
        + "  file: a Keras .h5 or .keras file, or a PyTorch state dict (.safetensors, .npz)\n"
        + "  config.json: the model's model.to_json(), for a Keras save_weights file\n"
        + "  --timesteps: the sequence length, where the file does not state it";
  }

  /**
   * Whether every layer of the file can be declared, in an order Unroll accepts: when false,
   * {@link #declaration} marks what it leaves out ({@code NOT FULLY DECLARABLE}, {@code NOT DECLARED}).
   */
  public static boolean declarable(ModelFile file) {
    return file.problems().isEmpty() && structureProblem(file) == null;
  }

  /**
   * The declaration for a file: imports, one annotation per layer with the layer's name, output shape
   * and parameter count beside it, and {@code interface <typeName> {}}; comments name what the file does
   * not state and what Unroll cannot declare. When a Dense layer comes before an LSTM, the
   * declaration is in the member form ({@code @Input} and one method per layer, named as the file
   * names the layer).
   *
   * @param timesteps the sequence length to declare where the file does not state one; 0 for none
   */
  public static String declaration(ModelFile file, String typeName, int timesteps) {
    List<FileLayer> layers = file.layers();
    int fileTimesteps = 0;
    for (FileLayer l : layers) {
      if (l.isRecurrent() && l.timesteps() > 0) {
        fileTimesteps = l.timesteps();
        break;
      }
    }
    int t = fileTimesteps > 0 ? fileTimesteps : timesteps;
    List<String> annotations = new ArrayList<>();
    List<String> summaries = new ArrayList<>();
    List<String> remarks = new ArrayList<>();
    boolean usesActivation = false;
    boolean usesDense = false;
    java.util.Set<String> recurrentKinds = new java.util.TreeSet<>();
    boolean firstLstm = true;
    boolean sequences = true;
    boolean members = memberFormNeeded(layers);
    List<String> methods = new ArrayList<>();
    int lastLstm = -1;
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).isRecurrent()) {
        lastLstm = i;
      }
    }
    for (int i = 0; i < layers.size(); i++) {
      FileLayer l = layers.get(i);
      if (l.kind() == null) {
        annotations.add("// " + l.name() + " (" + l.className() + "): NOT DECLARED: " + stripLayer(l));
        summaries.add(null);
        methods.add(null);
        continue;
      }
      String method = methodName(l.name());
      if (members && !method.equals(l.name())) {
        remarks.add("layer " + l.name() + " is declared as " + method + "(), a Java name that is not "
            + "a method of SequenceModel or Object, nor a keyword; the model's layer name becomes " + method);
      }
      methods.add(method);
      if (l.problem() != null) {
        remarks.add(l.problem());
      }
      List<String> attrs = new ArrayList<>();
      attrs.add("units = " + l.units());
      String shape;
      if (l.isRecurrent()) {
        String cell = l.isBidirectional() ? l.wrapped() : l.kind();
        boolean nextIsLstm = nextSupportedIsLstm(layers, i);
        Boolean rs = l.returnSequences();
        if (rs == null && nextIsLstm) {
          rs = Boolean.TRUE;
        }
        if (firstLstm && !members) {
          if (t > 0) {
            attrs.add("timesteps = " + t);
          } else {
            remarks.add("the sequence length is not in the file: add timesteps = <steps> to the first @Lstm (or run "
                + "with --timesteps N)");
          }
          attrs.add("features = " + l.inputs());
          firstLstm = false;
        }
        if (Boolean.TRUE.equals(rs)) {
          attrs.add("returnSequences = true");
        } else if (rs == null && i == lastLstm) {
          remarks.add("whether " + l.name() + " returns the whole sequence is not in the file: add returnSequences = true"
              + " to its @Lstm if the layers after it read every step");
        }
        if (Boolean.TRUE.equals(l.returnState())) {
          attrs.add("returnState = true");
        }
        if (Boolean.TRUE.equals(l.goBackwards())) {
          attrs.add("goBackwards = true");
        }
        if ("GRU".equals(cell) && !l.resetAfter()) {
          attrs.add("resetAfter = false");
        }
        if (l.activation() != null && l.activation() != Activation.TANH) {
          attrs.add("activation = " + l.activation().name());
          usesActivation = true;
        }
        if (l.recurrentActivation() != null && l.recurrentActivation() != Activation.SIGMOID) {
          attrs.add("recurrentActivation = " + l.recurrentActivation().name());
          usesActivation = true;
        }
        if (!l.useBias()) {
          attrs.add("useBias = false");
        }
        sequences = Boolean.TRUE.equals(rs);
        int width = l.isBidirectional() && l.mergeMode() == dev.unroll.MergeMode.CONCAT ? 2 * l.units() : l.units();
        shape = sequences ? "(None, " + (t > 0 ? t : "None") + ", " + width + ")" : "(None, " + width + ")";
        String annotation = "GRU".equals(cell) ? "Gru" : "Lstm";
        recurrentKinds.add(annotation);
        String wrapper = "";
        if (l.isBidirectional()) {
          recurrentKinds.add("Bidirectional");
          wrapper = "@Bidirectional" + (l.mergeMode() == null || l.mergeMode() == dev.unroll.MergeMode.CONCAT ? ""
              : "(mergeMode = dev.unroll.MergeMode." + l.mergeMode() + ")") + " ";
        }
        annotations.add(wrapper + "@" + annotation + "(" + String.join(", ", attrs) + ")");
      } else {
        usesDense = true;
        if (l.activation() != null && l.activation() != Activation.LINEAR) {
          attrs.add("activation = " + l.activation().name());
          usesActivation = true;
        }
        if (!l.useBias()) {
          attrs.add("useBias = false");
        }
        boolean afterSequence = members ? sequences : lastLstm >= 0 && sequences;
        shape = afterSequence ? "(None, " + (t > 0 ? t : "None") + ", " + l.units() + ")" : "(None, " + l.units() + ")";
        annotations.add("@Dense(" + String.join(", ", attrs) + ")");
      }
      summaries.add(pad(l.name() + " (" + l.kind() + ")", 22) + " " + pad(shape, 16) + " " + l.paramCount());
    }
    String structure = structureProblem(file);

    StringBuilder sb = new StringBuilder();
    sb.append("// ").append(file.file()).append(": ").append(file.format()).append('\n');
    if (!file.problems().isEmpty() || structure != null) {
      sb.append("// NOT FULLY DECLARABLE: ").append(structure != null ? structure
          : "Unroll has no layer for what is marked NOT DECLARED below; the declaration leaves it out and does not"
              + " compute what the file's model computes").append('\n');
    }
    if (usesActivation) {
      sb.append("import static dev.unroll.Activation.*;\n\n");
    }
    java.util.Set<String> imports = new java.util.TreeSet<>(recurrentKinds);
    if (recurrentKinds.isEmpty()) {
      imports.add("Lstm");
    }
    if (usesDense) {
      imports.add("Dense");
    }
    if (members) {
      imports.add("Input");
      imports.add("Layer");
    }
    for (String i : imports) {
      sb.append("import dev.unroll.").append(i).append(";\n");
    }
    sb.append('\n');
    if (members) {
      return memberForm(sb, file, typeName, t, annotations, summaries, methods, remarks);
    }
    int width = 0;
    for (int i = 0; i < annotations.size(); i++) {
      if (summaries.get(i) != null) {
        width = Math.max(width, annotations.get(i).length());
      }
    }
    for (int i = 0; i < annotations.size(); i++) {
      String a = annotations.get(i);
      sb.append(summaries.get(i) == null ? a : pad(a, width) + " // " + summaries.get(i)).append('\n');
    }
    sb.append(pad("interface " + typeName + " {}", width)).append(" // Total params: ")
        .append(String.format(Locale.ROOT, "%,d", file.paramCount())).append('\n');
    for (String r : remarks) {
      sb.append("// Note: ").append(r).append('\n');
    }
    for (String n : file.notes()) {
      sb.append("// Note: ").append(n).append('\n');
    }
    return sb.toString();
  }

  /** A model the processor rejects: one without a recurrent layer. */
  private static String structureProblem(ModelFile file) {
    for (FileLayer l : file.layers()) {
      if (l.isRecurrent()) {
        return null;
      }
    }
    return "the file has no LSTM or GRU layer; an Unroll model needs one";
  }

  /** Names a layer method cannot have: those of SequenceModel and Object without parameters. */
  private static final java.util.Set<String> RESERVED = java.util.Set.of("paramCount", "summary", "layers",
      "inputShape", "outputShape", "getWeights", "stepper", "toString", "hashCode", "getClass", "clone",
      "finalize", "notify", "notifyAll", "wait");

  /**
   * Whether the file needs the member form: a Dense layer before an LSTM or GRU, which the type-level
   * form cannot declare (it puts every recurrent layer first), or a Bidirectional layer (declared on a
   * method only).
   */
  static boolean memberFormNeeded(List<FileLayer> layers) {
    boolean dense = false;
    for (FileLayer l : layers) {
      if (l.kind() == null) {
        continue;
      }
      if (l.isBidirectional() || l.isRecurrent() && dense) {
        return true;
      }
      dense |= !l.isRecurrent();
    }
    return false;
  }

  /** A Java method name for a Keras layer name: other characters become {@code _}, a reserved name gets one more. */
  static String methodName(String layer) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < layer.length(); i++) {
      char c = layer.charAt(i);
      if (i == 0 && !Character.isJavaIdentifierStart(c)) {
        sb.append('_'); // 1st -> _1st
      }
      sb.append(Character.isJavaIdentifierPart(c) ? c : '_');
    }
    String name = sb.length() == 0 ? "layer" : sb.toString();
    if (javax.lang.model.SourceVersion.isKeyword(name) || RESERVED.contains(name)) {
      name = name + "_";
    }
    return name;
  }

  private static String memberForm(StringBuilder sb, ModelFile file, String typeName, int t, List<String> annotations,
      List<String> summaries, List<String> methods, List<String> remarks) {
    int features = 0;
    for (FileLayer l : file.layers()) {
      if (l.kind() != null) {
        features = l.inputs();
        break;
      }
    }
    sb.append("@Input(timesteps = ").append(t > 0 ? String.valueOf(t) : "<steps>").append(", features = ")
        .append(features).append(")\n");
    if (t <= 0) {
      remarks.add(0, "the sequence length is not in the file: replace <steps> in @Input (or run with --timesteps N)");
    }
    sb.append("interface ").append(typeName).append(" {\n");
    List<String> lines = new ArrayList<>();
    int width = 0;
    for (int i = 0; i < annotations.size(); i++) {
      String line = methods.get(i) == null ? annotations.get(i) : annotations.get(i) + " Layer " + methods.get(i) + "();";
      lines.add(line);
      if (summaries.get(i) != null) {
        width = Math.max(width, line.length());
      }
    }
    for (int i = 0; i < lines.size(); i++) {
      sb.append("  ").append(summaries.get(i) == null ? lines.get(i) : pad(lines.get(i), width) + " // "
          + summaries.get(i)).append('\n');
    }
    sb.append(pad("}", width + 2)).append(" // Total params: ")
        .append(String.format(Locale.ROOT, "%,d", file.paramCount())).append('\n');
    for (String r : remarks) {
      sb.append("// Note: ").append(r).append('\n');
    }
    for (String n : file.notes()) {
      sb.append("// Note: ").append(n).append('\n');
    }
    return sb.toString();
  }

  private static boolean nextSupportedIsLstm(List<FileLayer> layers, int i) {
    for (int j = i + 1; j < layers.size(); j++) {
      if (layers.get(j).kind() != null) {
        return layers.get(j).isRecurrent();
      }
    }
    return false;
  }

  private static String stripLayer(FileLayer l) {
    String p = l.problem() == null ? "" : l.problem();
    String prefix = "layer " + l.name() + ": ";
    return p.startsWith(prefix) ? p.substring(prefix.length()) : p;
  }

  private static String pad(String s, int width) {
    StringBuilder sb = new StringBuilder(s);
    while (sb.length() < width) {
      sb.append(' ');
    }
    return sb.toString();
  }
}
