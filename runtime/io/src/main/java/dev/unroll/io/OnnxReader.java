package dev.unroll.io;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import dev.unroll.io.OnnxProto.Attr;
import dev.unroll.io.OnnxProto.Node;
import dev.unroll.io.OnnxProto.TensorRef;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an ONNX graph into Keras layers, following the values from the graph's input to its output:
 *
 * <ul>
 *   <li>{@code LSTM}: W (D, 4U, F), R (D, 4U, U), B (D, 8U), gate blocks i, o, f, c, become a Keras LSTM
 *       with kernel (F, 4U) and recurrent_kernel (U, 4U) in gate order i, f, c, o and bias = Wb + Rb;
 *       {@code GRU} (gate blocks z, r, h, Keras's order) a Keras GRU, with {@code linear_before_reset} 1
 *       as reset_after=True (bias (2, 3U) = [Wb; Rb]) and 0 as reset_after=False (bias Wb + Rb).
 *       {@code direction} forward is a layer, reverse a layer with go_backwards, bidirectional a
 *       Bidirectional layer whose directions are concatenated (Y transposed to (T, B, D, U) and
 *       reshaped to (T, B, 2U), or Y_h (D, B, U) to (B, 2U)); {@code layout} 0 and 1.</li>
 *   <li>{@code Gemm} (transA 0, alpha and beta 1), or {@code MatMul} by a constant followed by an
 *       optional {@code Add} of one, as a Dense layer, with a {@code Relu}, {@code Tanh},
 *       {@code Sigmoid} or {@code Softmax} (over the last axis) following as its activation.</li>
 *   <li>The last step of a sequence, chosen by {@code Gather} or {@code Slice} + {@code Squeeze} on the
 *       time axis, or the final state Y_h, as return_sequences=False; the whole sequence as
 *       return_sequences=True; {@code Transpose} and {@code Squeeze} of the direction axis as they
 *       rearrange axes.</li>
 *   <li>Shape arithmetic ({@code Shape}, {@code Gather}, {@code Unsqueeze}, {@code Concat},
 *       {@code Expand}, ...) that only builds the zero initial states PyTorch's exporter writes.</li>
 * </ul>
 *
 * An LSTM or GRU with what Keras's layers do not have (peepholes P, {@code input_forget},
 * {@code clip}, other activations, {@code sequence_lens}, a nonzero initial state) becomes a layer
 * Unroll cannot declare, with every such attribute named in its problem; any other op, a graph that
 * branches, or a reverse layer whose whole sequence is used (ONNX keeps Y in input order, Keras's
 * go_backwards returns it reversed) is refused by name.
 */
final class OnnxReader {
  private static final int[] LSTM_GATES = {0, 2, 3, 1}; // Keras block i, f, c, o is ONNX block i, o, f, c
  private static final int[] GRU_GATES = {0, 1, 2}; // z, r, h in both
  private static final Set<String> SHAPE_OPS = Set.of("Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast",
      "Slice", "Reshape", "Expand", "ConstantOfShape", "Range", "Mul", "Add", "Sub", "Div", "Equal", "Where", "Size");

  private final String file;
  private final OnnxProto proto;
  private final ReadBudget budget;
  private final Map<String, Value> values = new HashMap<>();
  private final List<L> layers = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private OnnxProto.Model model;
  private long opset;
  private int timesteps;
  private long[] inputDims;
  private boolean inputTimeMajor;

  private OnnxReader(ByteBuffer buf, String file, ReadBudget budget) {
    this.file = file;
    this.proto = new OnnxProto(buf, file);
    this.budget = budget;
  }

  /** The file's layers from its graph; arrays are read later, by {@link Unread#read()}. */
  static Unread read(ByteBuffer buf, String file, ReadBudget budget) throws ModelFileException {
    return new OnnxReader(buf, file, budget).walk();
  }

  // ---- symbolic values ------------------------------------------------------------------------

  private sealed interface Value permits Const, Meta, Flow, Refused {}

  /** An initializer or a Constant node's tensor. */
  private record Const(TensorRef t) implements Value {}

  /** Shape arithmetic; {@code zero} if known to be all zeros (an Expand or ConstantOfShape of zero). */
  private record Meta(boolean zero) implements Value {}

  /** A value whose use Unroll refuses, and why. */
  private record Refused(String why) implements Value {}

  /**
   * Activations: axes labelled B (batch), T (time), S (time, one step kept by a Slice), D (directions)
   * and W (the features, {@code width} of them; last or not).
   *
   * @param source the layer that made it, -1 for the graph input
   * @param step for a value without T: "last" or "first" (the step selected), "final" (Y_h); else null
   * @param open for a Dense output: 2 while an Add may still give its bias, 1 while an activation may
   *     follow, 0 otherwise
   */
  private record Flow(String axes, int width, int dirs, int source, String step, int open) implements Value {
    Flow with(String newAxes) {
      return new Flow(newAxes, width, dirs, source, step, 0);
    }
  }

  /** A layer being read. */
  private static final class L {
    final String name;
    String className;
    String kind;
    String cell; // LSTM or GRU for a recurrent layer
    int units;
    int inputs;
    Activation activation;
    boolean useBias;
    Boolean returnSequences;
    String direction = "forward";
    boolean resetAfter;
    MergeMode mergeMode;
    final List<Pending> arrays = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    L(String name, String className) {
      this.name = name;
      this.className = className;
    }

    boolean recurrent() {
      return cell != null;
    }

    int dirs() {
      return direction.equals("bidirectional") ? 2 : 1;
    }
  }

  // ---- the walk -------------------------------------------------------------------------------

  private Unread walk() throws ModelFileException {
    model = proto.model();
    opset = model.opset();
    OnnxProto.Graph g = model.graph();
    if (g.sparseInitializers() > 0) {
      throw refuse("the graph has sparse initializers, which Unroll does not read");
    }
    g.initializers().forEach((k, v) -> values.put(k, new Const(v)));
    List<OnnxProto.ValueInfo> data = new ArrayList<>();
    for (OnnxProto.ValueInfo in : g.inputs()) {
      if (!g.initializers().containsKey(in.name())) {
        data.add(in);
      }
    }
    if (data.size() != 1) {
      throw refuse("the graph has " + data.size() + " inputs (" + names(data) + "); an Unroll model has one,"
          + " x of shape (batch, timesteps, features)");
    }
    OnnxProto.ValueInfo x = data.get(0);
    if (x.dims().length != 3) {
      throw refuse("the graph's input " + x.name() + " has rank " + x.dims().length + "; an Unroll model takes"
          + " (batch, timesteps, features)");
    }
    inputDims = x.dims();
    values.put(x.name(), new Flow("BTW", (int) Math.min(Integer.MAX_VALUE, x.dims()[2]), 0, -1, null, 0));
    for (Node n : g.nodes()) {
      node(n);
    }
    if (g.outputs().size() != 1) {
      throw refuse("the graph has " + g.outputs().size() + " outputs (" + names(g.outputs()) + "); an Unroll"
          + " model has one");
    }
    String out = g.outputs().get(0).name();
    Value v = values.get(out);
    Flow y = flow(v, "the graph's output " + out);
    if (layers.isEmpty()) {
      throw refuse("the graph's output " + out + " does not pass through an LSTM, GRU or Dense layer");
    }
    consume(y, "the graph's output " + out);
    if (y.axes().equals("TBW")) {
      notes.add(file + ": the graph's output is time-major (timesteps, batch, units); Unroll's predict gives"
          + " (batch, timesteps, units)");
    }
    timesteps = staticTimesteps();
    if (inputTimeMajor) {
      notes.add(file + ": the graph's input " + x.name() + " is time-major (timesteps, batch, features);"
          + " Unroll's predict takes (batch, timesteps, features)");
    }
    if (timesteps > 0) {
      notes.add(file + ": timesteps " + timesteps + " is the static length of the graph's input " + x.name());
    }
    return new Unread(file, "ONNX" + (model.producer().isEmpty() ? "" : " from " + model.producer())
        + (opset > 0 ? ", opset " + opset : ""), null, true, build(), notes);
  }

  /** The input's static length, once the first layer has said which axis is time; 0 if the file does not say. */
  private int staticTimesteps() {
    long t = inputDims[inputTimeMajor ? 0 : 1];
    return t > 0 && t <= Integer.MAX_VALUE ? (int) t : 0;
  }

  /**
   * The layers' names: PyTorch's exporter names a node {@code /<module path>/<Op>[_k]}; the layer is
   * named after its module ({@code rnn}, {@code head.0}), with {@code .l<k>} where one module makes
   * several layers (a multi-layer nn.LSTM: {@code rnn.l0}, {@code rnn.l1}, as the PyTorch reader names
   * them). Other names are kept.
   */
  private List<String> layerNames() {
    List<String> names = new ArrayList<>();
    Map<String, Integer> count = new HashMap<>();
    for (L l : layers) {
      java.util.regex.Matcher m = TORCH_NODE.matcher(l.name);
      String name = m.matches() ? m.group(1) : l.name;
      names.add(name);
      count.merge(name, 1, Integer::sum);
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (count.get(name) > 1) {
        names.set(i, name + ".l" + (seen.merge(name, 1, Integer::sum) - 1));
      }
    }
    return names;
  }

  private static final java.util.regex.Pattern TORCH_NODE =
      java.util.regex.Pattern.compile("^/(?:[^/]+/)*([^/]+)/[A-Za-z]+(?:_\\d+)?$");

  private List<Unread.Layer> build() {
    List<Unread.Layer> out = new ArrayList<>();
    List<String> names = layerNames();
    for (int i = 0; i < layers.size(); i++) {
      L l = layers.get(i);
      boolean ok = l.problems.isEmpty();
      FileLayer.Builder b = FileLayer.builder(names.get(i), l.className)
          .kind(ok ? l.kind : null)
          .units(l.units)
          .inputs(l.inputs)
          .activation(l.activation)
          .useBias(l.useBias)
          .problem(ok ? null : "layer " + names.get(i) + " (" + l.className + " node " + l.name + "): "
              + String.join("; ", l.problems));
      if (l.recurrent()) {
        b.timesteps(timesteps)
            .recurrentActivation(Activation.SIGMOID)
            .returnSequences(l.returnSequences == null ? Boolean.TRUE : l.returnSequences)
            .returnState(false)
            .goBackwards(l.direction.equals("reverse"))
            .resetAfter(l.resetAfter);
        if (l.dirs() == 2) {
          b.wrapped(l.cell).mergeMode(l.mergeMode).goBackwards(false);
        }
      }
      out.add(new Unread.Layer(b.build(), l.arrays));
    }
    return out;
  }

  private void node(Node n) throws ModelFileException {
    if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
      throw unsupported(n, "of domain " + n.domain());
    }
    List<Value> in = new ArrayList<>();
    boolean anyFlow = false;
    for (String name : n.inputs()) {
      Value v = name.isEmpty() ? null : values.get(name);
      if (!name.isEmpty() && v == null) {
        throw refuse("node " + n.name() + " (" + n.opType() + ") reads " + name + ", which no earlier node makes");
      }
      if (v instanceof Refused r) {
        throw refuse("node " + n.name() + " (" + n.opType() + ") reads " + name + ": " + r.why());
      }
      anyFlow |= v instanceof Flow;
      in.add(v);
    }
    switch (n.opType()) {
      case "Constant" -> {
        Attr a = n.attributes().get("value");
        put(n, 0, a != null && a.t() != null ? new Const(a.t()) : new Meta(false));
        return;
      }
      case "Identity", "Dropout" -> {
        put(n, 0, in.isEmpty() ? new Refused("the output of " + n.name() + ", which has no input") : in.get(0));
        if (n.outputs().size() > 1) {
          put(n, 1, new Refused("the mask of a Dropout"));
        }
        return;
      }
      case "LSTM", "GRU" -> {
        recurrent(n, in);
        return;
      }
      case "Shape", "Size" -> {
        put(n, 0, new Meta(false)); // reads only the shape, which Unroll's model fixes
        return;
      }
      default -> {
        // below
      }
    }
    if (!anyFlow) {
      if (!SHAPE_OPS.contains(n.opType())) {
        throw unsupported(n, "on constants");
      }
      boolean zero = false;
      if (n.opType().equals("Expand") && in.get(0) != null) {
        zero = isZero(in.get(0));
      } else if (n.opType().equals("ConstantOfShape")) {
        Attr a = n.attributes().get("value");
        zero = a == null || a.t() == null || isZero(new Const(a.t()));
      }
      for (int i = 0; i < n.outputs().size(); i++) {
        put(n, i, new Meta(zero));
      }
      return;
    }
    Flow f = firstFlow(in);
    switch (n.opType()) {
      case "Transpose" -> put(n, 0, transpose(n, f));
      case "Squeeze" -> put(n, 0, squeeze(n, f, in));
      case "Reshape" -> put(n, 0, reshape(n, f, in));
      case "Gather" -> put(n, 0, gather(n, f, in));
      case "Slice" -> put(n, 0, slice(n, f, in));
      case "Gemm" -> put(n, 0, gemm(n, f, in));
      case "MatMul" -> put(n, 0, matMul(n, f, in));
      case "Add" -> put(n, 0, add(n, f, in));
      case "Relu", "Tanh", "Sigmoid", "Softmax" -> put(n, 0, activation(n, f));
      default -> throw unsupported(n, "on the model's activations");
    }
  }

  private void put(Node n, int output, Value v) {
    if (output < n.outputs().size() && !n.outputs().get(output).isEmpty()) {
      values.put(n.outputs().get(output), v);
    }
  }

  private static Flow firstFlow(List<Value> in) {
    for (Value v : in) {
      if (v instanceof Flow f) {
        return f;
      }
    }
    throw new IllegalStateException("no flow");
  }

  private Flow flow(Value v, String what) throws ModelFileException {
    if (v instanceof Flow f) {
      return f;
    }
    if (v instanceof Refused r) {
      throw refuse(what + " is " + r.why());
    }
    throw refuse(what + " is " + (v == null ? "made by no node" : "a constant, not computed from the input"));
  }

  // ---- recurrent layers -----------------------------------------------------------------------

  private void recurrent(Node n, List<Value> in) throws ModelFileException {
    boolean lstm = n.opType().equals("LSTM");
    int gates = lstm ? 4 : 3;
    L l = new L(n.name(), "ONNX " + n.opType());
    l.cell = n.opType();
    List<String> p = l.problems;
    Flow x = flow(in.isEmpty() ? null : in.get(0), "input X of " + n.name());
    TensorRef w = constant(n, in, 1, "W");
    TensorRef r = constant(n, in, 2, "R");
    TensorRef b = in.size() > 3 && in.get(3) != null ? constant(n, in, 3, "B") : null;
    long layout = intAttr(n, "layout", 0);
    String direction = stringAttr(n, "direction", "forward");
    long hidden = intAttr(n, "hidden_size", -1);
    if (layout != 0 && layout != 1) {
      throw refuse("node " + n.name() + " (" + n.opType() + ") has layout " + layout + "; ONNX defines 0 and 1");
    }
    if (!Set.of("forward", "reverse", "bidirectional").contains(direction)) {
      throw refuse("node " + n.name() + " (" + n.opType() + ") has direction " + direction);
    }
    l.direction = direction;
    int dirs = l.dirs();
    if (w.rank() != 3 || r.rank() != 3 || w.dim(0) != dirs || r.dim(0) != dirs || w.dim(1) % gates != 0
        || w.dim(1) != r.dim(1) || r.dim(2) * gates != r.dim(1) || w.dim(1) == 0
        || hidden >= 0 && hidden * gates != w.dim(1)) {
      throw refuse("node " + n.name() + " (" + n.opType() + "): W " + shape(w) + " and R " + shape(r)
          + " are not (" + dirs + ", " + gates + "U, F) and (" + dirs + ", " + gates + "U, U)"
          + (hidden >= 0 ? " with hidden_size U = " + hidden : ""));
    }
    int units = r.dim(2);
    int features = w.dim(2);
    if (b != null && (b.rank() != 2 || b.dim(0) != dirs || b.dim(1) != 2 * gates * units)) {
      throw refuse("node " + n.name() + " (" + n.opType() + "): B " + shape(b) + " is not (" + dirs + ", "
          + 2 * gates * units + ")");
    }
    // what Keras's layers do not have
    if (lstm && intAttr(n, "input_forget", 0) != 0) {
      p.add("input_forget 1 (coupled input and forget gates), which Keras's LSTM does not have");
    }
    if (n.attributes().containsKey("clip")) {
      p.add("clip " + n.attributes().get("clip").f() + " (cell clipping), which Keras's " + n.opType()
          + " does not have");
    }
    Attr acts = n.attributes().get("activations");
    if (acts != null) {
      List<String> expected = new ArrayList<>();
      for (int d = 0; d < dirs; d++) {
        expected.addAll(lstm ? List.of("Sigmoid", "Tanh", "Tanh") : List.of("Sigmoid", "Tanh"));
      }
      if (!acts.strings().equals(expected)) {
        p.add("activations " + acts.strings() + "; Unroll maps only the defaults " + expected);
      }
    }
    if (n.attributes().containsKey("activation_alpha") || n.attributes().containsKey("activation_beta")) {
      p.add("activation_alpha or activation_beta, parameters of activations Keras's layers do not have");
    }
    if (!n.input(4).isEmpty()) {
      p.add("sequence_lens (per-sequence lengths; in Unroll a Masking layer plays that part)");
    }
    for (int i : lstm ? new int[] {5, 6} : new int[] {5}) {
      if (!n.input(i).isEmpty() && !isZero(in.get(i))) {
        p.add((i == 5 ? "initial_h" : "initial_c") + " that is not zero (Unroll starts from a zero state; the"
            + " stateful step API sets another)");
      }
    }
    if (lstm && !n.input(7).isEmpty()) {
      p.add("peepholes P, which Keras's LSTM does not have");
    }
    if (!lstm) {
      long lbr = intAttr(n, "linear_before_reset", 0);
      if (lbr != 0 && lbr != 1) {
        throw refuse("node " + n.name() + " (GRU) has linear_before_reset " + lbr);
      }
      l.resetAfter = lbr == 1;
    }
    // the input
    String want = layout == 0 ? "TBW" : "BTW";
    if (x.source() == -1 && layers.isEmpty() && x.axes().equals(layout == 0 ? "BTW" : "TBW")) {
      inputTimeMajor = !inputTimeMajor;
      x = x.with(want);
    }
    if (!x.axes().equals(want)) {
      throw refuse("node " + n.name() + " (" + n.opType() + ", layout " + layout + ") takes " + x.axes()
          + describeAxes(x) + " where it needs (" + (layout == 0 ? "timesteps, batch" : "batch, timesteps")
          + ", features)");
    }
    consume(x, "node " + n.name() + " (" + n.opType() + ")");
    if (x.width() >= 0 && x.width() != features) {
      throw refuse("node " + n.name() + " (" + n.opType() + ") has W for " + features + " features, its input has "
          + x.width());
    }
    l.kind = dirs == 2 ? "Bidirectional" : n.opType();
    l.units = units;
    l.inputs = features;
    l.activation = Activation.TANH;
    l.useBias = b != null;
    int[] order = lstm ? LSTM_GATES : GRU_GATES;
    if (p.isEmpty()) {
      for (int d = 0; d < dirs; d++) {
        l.arrays.add(gateMatrix(w, d, order, units, features));
        l.arrays.add(gateMatrix(r, d, order, units, units));
        if (b != null) {
          l.arrays.add(bias(b, d, order, units, !lstm && l.resetAfter));
        }
      }
    } else {
      l.arrays.add(new Pending(w.shape(), () -> w.values(budget)));
      l.arrays.add(new Pending(r.shape(), () -> r.values(budget)));
      if (b != null) {
        l.arrays.add(new Pending(b.shape(), () -> b.values(budget)));
      }
    }
    int index = layers.size();
    layers.add(l);
    put(n, 0, new Flow(layout == 0 ? "TDBW" : "BTDW", units, dirs, index, null, 0));
    put(n, 1, new Flow(layout == 0 ? "DBW" : "BDW", units, dirs, index, "final", 0));
    put(n, 2, new Refused("the cell state Y_c of " + n.name() + ", which no Keras layer outputs alone"));
  }

  /** Keras's (in, G·U) from ONNX's (D, G·U, in) for direction d, gate blocks reordered. */
  private Pending gateMatrix(TensorRef t, int d, int[] order, int units, int in) {
    int g = order.length;
    return new Pending(new int[] {in, g * units}, () -> {
      double[] all = t.values(budget);
      double[] out = new double[in * g * units];
      int base = d * g * units * in;
      for (int k = 0; k < g; k++) {
        for (int u = 0; u < units; u++) {
          int row = base + (order[k] * units + u) * in;
          for (int f = 0; f < in; f++) {
            out[f * g * units + k * units + u] = all[row + f];
          }
        }
      }
      return out;
    });
  }

  /** Keras's bias from ONNX's B (D, 2·G·U) = [Wb; Rb]: their sum (G·U), or both rows (2, G·U) for reset_after. */
  private Pending bias(TensorRef t, int d, int[] order, int units, boolean twoRows) {
    int g = order.length;
    int n = g * units;
    return new Pending(twoRows ? new int[] {2, n} : new int[] {n}, () -> {
      double[] all = t.values(budget);
      double[] out = new double[twoRows ? 2 * n : n];
      int base = d * 2 * n;
      for (int k = 0; k < g; k++) {
        for (int u = 0; u < units; u++) {
          double wb = all[base + order[k] * units + u];
          double rb = all[base + n + order[k] * units + u];
          if (twoRows) {
            out[k * units + u] = wb;
            out[n + k * units + u] = rb;
          } else {
            out[k * units + u] = wb + rb;
          }
        }
      }
      return out;
    });
  }

  /**
   * A layer's output becomes the input of the next layer or the graph's output: it must be the newest
   * layer's (the graph is a chain), its directions merged, and its use fixes return_sequences.
   */
  private void consume(Flow f, String by) throws ModelFileException {
    if (f.source() != layers.size() - 1) {
      throw refuse(by + " reads " + (f.source() < 0 ? "the graph's input" : "the output of " + layers.get(f.source()).name)
          + (layers.isEmpty() ? "" : " after layer " + layers.get(layers.size() - 1).name + ": the graph branches;"
          + " Unroll models are a chain of layers"));
    }
    if (f.source() < 0) {
      return;
    }
    L l = layers.get(f.source());
    if (f.axes().indexOf('D') >= 0) {
      throw refuse(by + " reads the output of " + l.name + " with its direction axis " + describeAxes(f)
          + (f.dirs() == 2 ? "; Unroll concatenates the two directions (Transpose to put D next to the units,"
          + " then Reshape)" : "; Squeeze it first"));
    }
    if (f.axes().indexOf('S') >= 0) {
      throw refuse(by + " reads one step of " + l.name + " with its time axis kept; Squeeze it first");
    }
    if (!l.recurrent()) {
      return;
    }
    boolean sequences = f.axes().indexOf('T') >= 0;
    if (sequences && l.direction.equals("reverse")) {
      throw refuse(by + " reads the whole output sequence of " + l.name + " (direction reverse): ONNX keeps Y in"
          + " the input's time order, Keras's go_backwards returns it in reverse, and no Unroll layer does the"
          + " former; take its final state Y_h (or step 0 of Y) instead");
    }
    if (l.returnSequences != null && l.returnSequences != sequences) {
      throw refuse(by + " reads " + l.name + " both as a sequence and as its last step; Unroll models are a chain");
    }
    l.returnSequences = sequences;
  }

  // ---- rearranging and selecting ---------------------------------------------------------------

  private Flow transpose(Node n, Flow f) throws ModelFileException {
    long[] perm = n.attributes().containsKey("perm") ? n.attributes().get("perm").ints() : null;
    int rank = f.axes().length();
    if (perm == null) {
      perm = new long[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = rank - 1 - i;
      }
    }
    if (perm.length != rank) {
      throw refuse("node " + n.name() + " (Transpose) has perm of " + perm.length + " axes for " + describeAxes(f));
    }
    StringBuilder sb = new StringBuilder();
    boolean[] seen = new boolean[rank];
    for (long p : perm) {
      if (p < 0 || p >= rank || seen[(int) p]) {
        throw refuse("node " + n.name() + " (Transpose) has perm " + java.util.Arrays.toString(perm)
            + ", not a permutation of " + rank + " axes");
      }
      seen[(int) p] = true;
      sb.append(f.axes().charAt((int) p));
    }
    return f.with(sb.toString());
  }

  private long[] axesOf(Node n, List<Value> in, int input, String attr) throws ModelFileException {
    if (in.size() > input && in.get(input) != null) {
      return ints(n, in.get(input), attr);
    }
    Attr a = n.attributes().get(attr);
    return a == null ? null : a.ints();
  }

  private int axis(Node n, long a, Flow f) throws ModelFileException {
    int rank = f.axes().length();
    long k = a < 0 ? a + rank : a;
    if (k < 0 || k >= rank) {
      throw refuse("node " + n.name() + " (" + n.opType() + ") names axis " + a + " of " + describeAxes(f));
    }
    return (int) k;
  }

  private Flow squeeze(Node n, Flow f, List<Value> in) throws ModelFileException {
    long[] axes = axesOf(n, in, 1, "axes");
    if (axes == null) {
      throw refuse("node " + n.name() + " (Squeeze) gives no axes; Unroll maps a Squeeze of named axes only");
    }
    StringBuilder sb = new StringBuilder(f.axes());
    List<Integer> drop = new ArrayList<>();
    for (long a : axes) {
      int k = axis(n, a, f);
      char c = f.axes().charAt(k);
      if (!(c == 'D' && f.dirs() == 1 || c == 'S')) {
        throw refuse("node " + n.name() + " (Squeeze) removes the " + axisName(c) + " axis of " + describeAxes(f)
            + "; Unroll maps a Squeeze of a single direction or of one selected step");
      }
      drop.add(k);
    }
    drop.sort(java.util.Comparator.reverseOrder());
    for (int k : drop) {
      sb.deleteCharAt(k);
    }
    return new Flow(sb.toString(), f.width(), f.dirs(), f.source(), f.step(), 0);
  }

  /** Reshape that merges the direction axis into the units, the way PyTorch concatenates directions. */
  private Flow reshape(Node n, Flow f, List<Value> in) throws ModelFileException {
    long[] shape = in.size() > 1 && in.get(1) != null ? ints(n, in.get(1), "shape") : null;
    int d = f.axes().indexOf('D');
    int rank = f.axes().length();
    if (shape != null && d >= 0 && d == rank - 2 && f.axes().charAt(rank - 1) == 'W' && shape.length == rank - 1) {
      long last = shape[shape.length - 1];
      int minus = 0;
      boolean ok = last == -1 || last == (long) f.dirs() * f.width();
      for (int i = 0; i < shape.length - 1; i++) {
        minus += shape[i] == -1 ? 1 : 0;
        ok &= shape[i] >= -1;
      }
      if (ok && minus + (last == -1 ? 1 : 0) <= 1) {
        if (f.dirs() == 2) {
          layers.get(f.source()).mergeMode = MergeMode.CONCAT;
        }
        return new Flow(f.axes().replace("D", ""), f.dirs() * f.width(), 1, f.source(), f.step(), 0);
      }
    }
    throw refuse("node " + n.name() + " (Reshape) to " + (shape == null ? "a computed shape"
        : java.util.Arrays.toString(shape)) + " of " + describeAxes(f) + "; Unroll maps only the Reshape that"
        + " concatenates the directions of a bidirectional layer, (.., D, U) to (.., D·U)");
  }

  private Flow gather(Node n, Flow f, List<Value> in) throws ModelFileException {
    Value idx = in.size() > 1 ? in.get(1) : null;
    if (!(idx instanceof Const c) || c.t().rank() != 0 || in.get(0) != f) {
      throw refuse("node " + n.name() + " (Gather) of " + describeAxes(f) + " by a computed or non-scalar index;"
          + " Unroll maps a Gather of one constant step or direction");
    }
    long i = c.t().ints(1)[0];
    int k = axis(n, intAttr(n, "axis", 0), f);
    return select(n, f, k, i, i);
  }

  private Flow slice(Node n, Flow f, List<Value> in) throws ModelFileException {
    if (in.size() < 3 || in.get(0) != f) {
      throw refuse("node " + n.name() + " (Slice) with attributes (opset < 10) or of a computed tensor; Unroll"
          + " maps a Slice with constant starts, ends and axes");
    }
    long[] starts = ints(n, in.get(1), "starts");
    long[] ends = ints(n, in.get(2), "ends");
    long[] axes = in.size() > 3 && in.get(3) != null ? ints(n, in.get(3), "axes") : new long[] {0};
    long[] steps = in.size() > 4 && in.get(4) != null ? ints(n, in.get(4), "steps") : new long[] {1};
    if (starts.length != 1 || ends.length != 1 || axes.length != 1 || steps.length != 1 || steps[0] != 1) {
      throw refuse("node " + n.name() + " (Slice) of more than one axis or with a step; Unroll maps a Slice of one"
          + " time step");
    }
    int k = axis(n, axes[0], f);
    Flow sel = select(n, f, k, starts[0], ends[0]);
    StringBuilder sb = new StringBuilder(f.axes());
    sb.setCharAt(k, 'S');
    return new Flow(sb.toString(), sel.width(), sel.dirs(), sel.source(), sel.step(), 0);
  }

  /**
   * Selects index {@code i} (Gather; {@code end == i}) or [{@code i}, {@code end}) (Slice) of axis k:
   * the last or first time step, or the one direction of a forward or reverse layer.
   */
  private Flow select(Node n, Flow f, int k, long i, long end) throws ModelFileException {
    char c = f.axes().charAt(k);
    boolean slice = end != i;
    if (c == 'D' && f.dirs() == 1 && (i == 0 || i == -1) && !slice) {
      return new Flow(f.axes().substring(0, k) + f.axes().substring(k + 1), f.width(), 1, f.source(), f.step(), 0);
    }
    if (c == 'D') {
      throw refuse("node " + n.name() + " (" + n.opType() + ") selects one direction of bidirectional layer "
          + layers.get(f.source()).name + "; Unroll's Bidirectional layer concatenates both");
    }
    if (c != 'T' || f.source() < 0) {
      throw refuse("node " + n.name() + " (" + n.opType() + ") selects along the " + axisName(c) + " axis of "
          + describeAxes(f) + "; Unroll maps only the selection of the last step of a layer's sequence");
    }
    int t = staticTimesteps();
    boolean last = slice ? i == -1 && end >= Integer.MAX_VALUE || t > 0 && i == t - 1 && end > i
        : i == -1 || t > 0 && i == t - 1;
    boolean first = slice ? i == 0 && end == 1 : i == 0;
    L l = layers.get(f.source());
    if (l.dirs() == 2) {
      throw refuse("node " + n.name() + " (" + n.opType() + ") takes one step of bidirectional layer " + l.name
          + "'s Y, whose backward half has then seen " + (last ? "one step" : "every step")
          + " and its forward half " + (last ? "every step" : "one")
          + "; Keras's Bidirectional(return_sequences=False) is its final states Y_h, concatenated");
    }
    boolean reverse = l.direction.equals("reverse");
    if (reverse ? !first : !last) {
      throw refuse("node " + n.name() + " (" + n.opType() + ") takes step " + i + " of " + l.name + " (direction "
          + l.direction + "), which Keras's return_sequences=False does not give: that is the "
          + (reverse ? "first step of Y (the step a reverse layer ends on)" : "last step of Y"));
    }
    return new Flow(f.axes().substring(0, k) + f.axes().substring(k + 1), f.width(), f.dirs(), f.source(),
        last ? "last" : "first", 0);
  }

  // ---- Dense ----------------------------------------------------------------------------------

  private Flow gemm(Node n, Flow a, List<Value> in) throws ModelFileException {
    if (in.get(0) != a || !a.axes().equals("BW")) {
      throw refuse("node " + n.name() + " (Gemm) multiplies " + describeAxes(a) + "; Unroll maps a Gemm of"
          + " (batch, features) by a constant");
    }
    TensorRef b = constant(n, in, 1, "B");
    TensorRef c = in.size() > 2 && in.get(2) != null ? constant(n, in, 2, "C") : null;
    List<String> wrong = new ArrayList<>();
    if (intAttr(n, "transA", 0) != 0) {
      wrong.add("transA 1");
    }
    if (floatAttr(n, "alpha", 1f) != 1f) {
      wrong.add("alpha " + floatAttr(n, "alpha", 1f));
    }
    if (c != null && floatAttr(n, "beta", 1f) != 1f) {
      wrong.add("beta " + floatAttr(n, "beta", 1f));
    }
    if (!wrong.isEmpty()) {
      throw refuse("node " + n.name() + " (Gemm) has " + String.join(", ", wrong) + "; Unroll maps Gemm with"
          + " transA 0, alpha 1 and beta 1 (a Dense layer)");
    }
    boolean transB = intAttr(n, "transB", 0) != 0;
    if (b.rank() != 2) {
      throw refuse("node " + n.name() + " (Gemm): B " + shape(b) + " is not a matrix");
    }
    int k = transB ? b.dim(1) : b.dim(0);
    int units = transB ? b.dim(0) : b.dim(1);
    L l = dense(n, "ONNX Gemm", a, k, units);
    l.arrays.add(transB ? new Pending(b.shape(), () -> b.values(budget)).transposed()
        : new Pending(b.shape(), () -> b.values(budget)));
    if (c != null) {
      l.arrays.add(biasVector(n, c, units));
      l.useBias = true;
    }
    return new Flow(a.axes(), units, 1, layers.size() - 1, null, 1);
  }

  private Flow matMul(Node n, Flow a, List<Value> in) throws ModelFileException {
    if (in.get(0) != a || !a.axes().endsWith("W") || a.axes().indexOf('D') >= 0 || a.axes().indexOf('S') >= 0) {
      throw refuse("node " + n.name() + " (MatMul) multiplies " + describeAxes(a) + "; Unroll maps a MatMul of"
          + " the model's values (features last) by a constant matrix");
    }
    TensorRef b = constant(n, in, 1, "B");
    if (b.rank() != 2) {
      throw refuse("node " + n.name() + " (MatMul): B " + shape(b) + " is not a matrix");
    }
    L l = dense(n, "ONNX MatMul", a, b.dim(0), b.dim(1));
    l.arrays.add(new Pending(b.shape(), () -> b.values(budget)));
    return new Flow(a.axes(), b.dim(1), 1, layers.size() - 1, null, 2);
  }

  private L dense(Node n, String className, Flow a, int k, int units) throws ModelFileException {
    consume(a, "node " + n.name() + " (" + n.opType() + ")");
    if (k != a.width()) {
      throw refuse("node " + n.name() + " (" + n.opType() + ") multiplies " + a.width() + " values by a matrix for "
          + k);
    }
    L l = new L(n.name(), className);
    l.kind = "Dense";
    l.units = units;
    l.inputs = k;
    l.activation = Activation.LINEAR;
    layers.add(l);
    return l;
  }

  private Flow add(Node n, Flow f, List<Value> in) throws ModelFileException {
    Value other = in.size() == 2 ? (in.get(0) == f ? in.get(1) : in.get(0)) : null;
    if (f.open() != 2 || !(other instanceof Const c) || in.get(0) == in.get(1)) {
      throw refuse("node " + n.name() + " (Add) is not the bias of a MatMul; Unroll maps Add only as a Dense"
          + " layer's bias (MatMul + Add)");
    }
    L l = layers.get(f.source());
    l.arrays.add(biasVector(n, c.t(), l.units));
    l.useBias = true;
    l.className = l.className + "+Add";
    return new Flow(f.axes(), f.width(), 1, f.source(), null, 1);
  }

  private Pending biasVector(Node n, TensorRef c, int units) throws ModelFileException {
    boolean vector = c.rank() == 1 && c.dim(0) == units || c.rank() == 2 && c.dim(0) == 1 && c.dim(1) == units;
    if (!vector) {
      throw refuse("node " + n.name() + " (" + n.opType() + ") adds " + shape(c) + "; a Dense bias of " + units
          + " units is (" + units + ")");
    }
    return new Pending(c.shape(), () -> c.values(budget)).reshaped(units);
  }

  private Flow activation(Node n, Flow f) throws ModelFileException {
    if (f.open() == 0 || f.source() < 0 || layers.get(f.source()).activation != Activation.LINEAR) {
      throw refuse("node " + n.name() + " (" + n.opType() + ") does not follow a Dense layer; Unroll maps " + n.opType()
          + " only as a Dense layer's activation");
    }
    L l = layers.get(f.source());
    if (n.opType().equals("Softmax")) {
      long axis = intAttr(n, "axis", opset >= 13 ? -1 : 1);
      int k = axis(n, axis, f);
      boolean lastAxis = k == f.axes().length() - 1;
      if (!lastAxis || opset < 13 && f.axes().length() != 2) {
        throw refuse("node " + n.name() + " (Softmax) over axis " + axis + " of " + describeAxes(f) + "; Keras's"
            + " softmax activation is over the last axis");
      }
    }
    l.activation = switch (n.opType()) {
      case "Relu" -> Activation.RELU;
      case "Tanh" -> Activation.TANH;
      case "Sigmoid" -> Activation.SIGMOID;
      default -> Activation.SOFTMAX;
    };
    return new Flow(f.axes(), f.width(), 1, f.source(), null, 0);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private TensorRef constant(Node n, List<Value> in, int i, String what) throws ModelFileException {
    Value v = i < in.size() ? in.get(i) : null;
    if (!(v instanceof Const c)) {
      throw refuse("node " + n.name() + " (" + n.opType() + "): its " + what + " is "
          + (v == null ? "missing" : "computed in the graph") + "; Unroll reads weights stored as initializers"
          + " or constants");
    }
    String why = c.t().unreadable();
    if (why != null) {
      throw refuse("node " + n.name() + " (" + n.opType() + "): " + why);
    }
    return c.t();
  }

  private long[] ints(Node n, Value v, String what) throws ModelFileException {
    if (!(v instanceof Const c)) {
      throw refuse("node " + n.name() + " (" + n.opType() + "): its " + what + " is computed in the graph; Unroll"
          + " maps constant " + what + " only");
    }
    return c.t().ints(16);
  }

  private boolean isZero(Value v) throws ModelFileException {
    if (v instanceof Meta m) {
      return m.zero();
    }
    if (v instanceof Const c && c.t().unreadable() == null) {
      for (double d : c.t().values(budget)) {
        if (d != 0) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static long intAttr(Node n, String name, long otherwise) {
    Attr a = n.attributes().get(name);
    return a == null ? otherwise : a.i();
  }

  private static float floatAttr(Node n, String name, float otherwise) {
    Attr a = n.attributes().get(name);
    return a == null ? otherwise : a.f();
  }

  private static String stringAttr(Node n, String name, String otherwise) {
    Attr a = n.attributes().get(name);
    return a == null || a.s() == null ? otherwise : a.s();
  }

  private static String shape(TensorRef t) {
    return dev.unroll.Tensor.format(t.shape());
  }

  private static String axisName(char c) {
    return switch (c) {
      case 'B' -> "batch";
      case 'T' -> "time";
      case 'S' -> "selected step";
      case 'D' -> "direction";
      default -> "features";
    };
  }

  private static String describeAxes(Flow f) {
    List<String> parts = new ArrayList<>();
    for (char c : f.axes().toCharArray()) {
      parts.add(switch (c) {
        case 'B' -> "batch";
        case 'T' -> "timesteps";
        case 'S' -> "1 step";
        case 'D' -> f.dirs() + " directions";
        default -> f.width() + " features";
      });
    }
    return " (" + String.join(", ", parts) + ")";
  }

  private static String names(List<OnnxProto.ValueInfo> vs) {
    List<String> out = new ArrayList<>();
    for (OnnxProto.ValueInfo v : vs) {
      out.add(v.name());
    }
    return String.join(", ", out);
  }

  private ModelFileException refuse(String why) {
    return new ModelFileException(file + ": " + why);
  }

  private ModelFileException unsupported(Node n, String where) {
    return refuse("node " + n.name() + " (op " + n.opType() + (n.domain().isEmpty() ? "" : ", domain " + n.domain())
        + ") " + where + " is not one Unroll maps; it maps LSTM, GRU, Gemm, MatMul + Add, Relu, Tanh, Sigmoid,"
        + " Softmax, and the Transpose, Squeeze, Reshape, Gather and Slice that arrange and select their outputs");
  }
}
