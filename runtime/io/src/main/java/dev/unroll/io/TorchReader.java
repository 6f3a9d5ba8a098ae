package dev.unroll.io;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import dev.unroll.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a PyTorch {@code state_dict} into Keras layers: each {@code nn.LSTM} layer k
 * ({@code <module>.weight_ih_l<k>} (4U, F), {@code weight_hh_l<k>} (4U, U), {@code bias_ih_l<k>},
 * {@code bias_hh_l<k>} (4U), gate rows i, f, g, o, the order of Keras's i, f, c, o columns) becomes an
 * LSTM with kernel = weight_ih transposed, recurrent_kernel = weight_hh transposed and bias =
 * bias_ih + bias_hh; each {@code nn.GRU} layer k (gate rows r, z, n) a GRU with {@code reset_after}
 * (PyTorch's candidate {@code tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))}): the blocks reordered to Keras's
 * z, r, h and transposed, bias (2, 3U) = [bias_ih; bias_hh] reordered alike. A bidirectional module
 * ({@code _reverse} weights) gives a Bidirectional layer that concatenates (PyTorch's output), its
 * weights the forward direction's, then the reverse one's; each layer k of a multi-layer module is a
 * layer of its own. Each {@code nn.Linear} ({@code <module>.weight} (out, in), {@code bias}) a Dense
 * layer with kernel = weight transposed.
 *
 * <p>A state dict does not record the order in which {@code forward} calls the modules, but it lists them
 * in the order {@code __init__} registers them, which is usually that order. So where the file keeps the
 * state dict's order (a {@code .npz} written from {@code state_dict()}, or a map in memory), the modules are
 * taken in the file's order when the shapes chain (each layer's inputs the units of the one before); an
 * {@code nn.Linear} before a recurrent module stays before it. Otherwise (and always for a
 * {@code .safetensors} file, whose writer sorts the tensors by name, and for a map in memory whose keys
 * come sorted by name) recurrent modules come before Linear
 * ones, in the file's order, then in natural name order ({@code lstm < lstm2 < lstm10}), whichever chains
 * first; failing both, the order in which the shapes chain, when there is only one (up to
 * {@value #MAX_PERMUTED} modules). An explicit order overrides all of these.
 */
final class TorchReader {
  private static final Pattern RNN = Pattern.compile("^(?:(.*)\\.)?(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\\d+)(_reverse)?$");
  private static final Pattern PARAM = Pattern.compile("^(?:(.*)\\.)?([^.]+)$");

  /** The most modules whose orders are tried one by one when no simpler order chains. */
  static final int MAX_PERMUTED = 8;

  private TorchReader() {}

  private static final class Module {
    final String name;
    final Map<String, Pending> tensors = new LinkedHashMap<>();
    boolean recurrent;

    Module(String name) {
      this.name = name;
    }

    String display() {
      return name.isEmpty() ? "(top level)" : name;
    }
  }

  /** A state dict already in memory. */
  static ModelFile fromTensors(Map<String, Tensor> stateDict, String file, String format, List<String> order)
      throws ModelFileException {
    Map<String, Pending> pending = new LinkedHashMap<>();
    stateDict.forEach((k, v) -> pending.put(k, Pending.of(v)));
    return fromStateDict(pending, file, format, !namedInOrder(stateDict), order).read();
  }

  /**
   * Whether a map's keys come sorted by name (a {@link java.util.SortedMap}, or a map read from a
   * {@code .safetensors} file), so that their order says nothing of the module order.
   */
  private static boolean namedInOrder(Map<String, Tensor> stateDict) {
    if (stateDict instanceof java.util.SortedMap) {
      return true;
    }
    String previous = null;
    for (String k : stateDict.keySet()) {
      if (previous != null && previous.compareTo(k) > 0) {
        return false;
      }
      previous = k;
    }
    return true;
  }

  /**
   * A state dict from its arrays' headers.
   *
   * @param keepsModuleOrder whether the tensors come in the state dict's order ({@code .npz}, a map in
   *     memory), not sorted by name ({@code .safetensors})
   */
  static Unread fromStateDict(Map<String, Pending> stateDict, String file, String format, boolean keepsModuleOrder,
      List<String> order) throws ModelFileException {
    Map<String, Module> modules = new LinkedHashMap<>();
    for (Map.Entry<String, Pending> e : stateDict.entrySet()) {
      Matcher rnn = RNN.matcher(e.getKey());
      Module m;
      String param;
      if (rnn.matches()) {
        String prefix = rnn.group(1) == null ? "" : rnn.group(1);
        m = modules.computeIfAbsent(prefix, Module::new);
        m.recurrent = true;
        param = e.getKey().substring(prefix.isEmpty() ? 0 : prefix.length() + 1);
      } else {
        Matcher p = PARAM.matcher(e.getKey());
        p.matches();
        String prefix = p.group(1) == null ? "" : p.group(1);
        m = modules.computeIfAbsent(prefix, Module::new);
        param = p.group(2);
      }
      m.tensors.put(param, e.getValue());
    }
    if (modules.isEmpty()) {
      throw new ModelFileException(file + ": holds no tensors");
    }
    List<String> notes = new ArrayList<>();
    List<List<Unread.Layer>> perModule = new ArrayList<>();
    for (Module m : modules.values()) {
      perModule.add(m.recurrent ? rnn(m, file) : linear(m, file));
    }
    List<List<Unread.Layer>> ordered =
        order(new ArrayList<>(modules.keySet()), perModule, order, keepsModuleOrder, file, notes);
    List<Unread.Layer> layers = new ArrayList<>();
    for (List<Unread.Layer> l : ordered) {
      layers.addAll(l);
    }
    notes.add("a PyTorch state dict records no activations (nn.LSTM and nn.GRU compute with tanh and sigmoid; an activation"
        + " that forward() applies after an nn.Linear is not in the file), no sequence length, and not whether the"
        + " head reads every step of the last recurrent layer or only the last one: these are not checked");
    return new Unread(file, format, null, false, layers, notes);
  }

  /** The arrays of one direction of one layer k of an nn.LSTM or nn.GRU. */
  private record Direction(Pending wih, Pending whh, Pending bih, Pending bhh) {}

  private static List<Unread.Layer> rnn(Module m, String file) throws ModelFileException {
    String where = file + ": module " + m.display();
    TreeMap<Integer, Map<String, Pending>> byLayer = new TreeMap<>();
    for (Map.Entry<String, Pending> e : m.tensors.entrySet()) {
      Matcher r = RNN.matcher(e.getKey());
      if (!r.matches()) {
        return List.of(unsupported(m, "module " + m.display() + ": holds recurrent weights and also "
            + e.getKey() + "; Unroll reads nn.LSTM, nn.GRU and nn.Linear modules"));
      }
      if (r.group(2).equals("weight_hr")) {
        return List.of(unsupported(m, "module " + m.display() + ": an LSTM with proj_size (" + e.getKey()
            + ") is not supported"));
      }
      byLayer.computeIfAbsent(Integer.parseInt(r.group(3)), k -> new LinkedHashMap<>())
          .put(r.group(2) + (r.group(4) == null ? "" : "_reverse"), e.getValue());
    }
    boolean bidirectional = false;
    for (Map<String, Pending> t : byLayer.values()) {
      for (String key : t.keySet()) {
        bidirectional |= key.endsWith("_reverse");
      }
    }
    List<Unread.Layer> out = new ArrayList<>();
    int expectedLayer = 0;
    int previousWidth = 0;
    String cell = null;
    for (Map.Entry<Integer, Map<String, Pending>> e : byLayer.entrySet()) {
      int k = e.getKey();
      if (k != expectedLayer) {
        throw new ModelFileException(where + ": has weights for layer " + k + " but none for layer " + expectedLayer);
      }
      expectedLayer++;
      Map<String, Pending> t = e.getValue();
      String layerName = byLayer.size() == 1 ? nameOf(m) : nameOf(m) + ".l" + k;
      Direction forward = direction(where, k, "", t);
      Direction backward = bidirectional ? direction(where, k, "_reverse", t) : null;
      int u = forward.whh.dim(1);
      int rows = forward.whh.dim(0);
      if (rows != 4 * u && rows != 3 * u) {
        String kind = rows == u ? "an nn.RNN" : "neither an nn.LSTM nor an nn.GRU";
        return List.of(unsupported(m, "module " + m.display() + ": weight_hh_l" + k + " has shape "
            + Tensor.format(forward.whh.shape()) + ", " + kind + "; nn.LSTM (4·hidden_size rows) and nn.GRU (3·) are"
            + " supported"));
      }
      String kind = rows == 4 * u ? "LSTM" : "GRU";
      if (cell != null && !cell.equals(kind)) {
        throw new ModelFileException(where + ": layer " + k + " has the weights of an nn." + kind + ", layer " + (k - 1)
            + " those of an nn." + cell);
      }
      cell = kind;
      int g = rows / u;
      List<Pending> w = new ArrayList<>(convert(where, k, "", forward, g, u, previousWidth));
      if (backward != null) {
        if (!backward.whh.hasShape(forward.whh.shape()) || !backward.wih.hasShape(forward.wih.shape())
            || (backward.bih == null) != (forward.bih == null)) {
          throw new ModelFileException(where + ": layer " + k + ": the _reverse weights differ in shape from the "
              + "forward ones");
        }
        w.addAll(convert(where, k, "_reverse", backward, g, u, previousWidth));
      }
      boolean inner = k < byLayer.size() - 1;
      FileLayer.Builder b = FileLayer.builder(layerName, "nn." + kind + (bidirectional ? "(bidirectional)" : ""))
          .kind(bidirectional ? "Bidirectional" : kind).units(u).inputs(forward.wih.dim(1))
          .activation(Activation.TANH).recurrentActivation(Activation.SIGMOID).useBias(forward.bih != null)
          .returnSequences(inner ? Boolean.TRUE : null).returnState(Boolean.FALSE).goBackwards(Boolean.FALSE)
          .resetAfter(kind.equals("GRU") ? Boolean.TRUE : null);
      if (bidirectional) {
        b.wrapped(kind).mergeMode(MergeMode.CONCAT);
      }
      out.add(new Unread.Layer(b.build(), w));
      previousWidth = bidirectional ? 2 * u : u;
    }
    return out;
  }

  private static Direction direction(String where, int k, String suffix, Map<String, Pending> t)
      throws ModelFileException {
    Pending wih = t.get("weight_ih" + suffix);
    Pending whh = t.get("weight_hh" + suffix);
    Pending bih = t.get("bias_ih" + suffix);
    Pending bhh = t.get("bias_hh" + suffix);
    String s = "_l" + k + suffix;
    if (wih == null || whh == null) {
      throw new ModelFileException(where + ": layer " + k + " lacks " + (wih == null ? "weight_ih" : "weight_hh") + s);
    }
    if ((bih == null) != (bhh == null)) {
      throw new ModelFileException(where + ": layer " + k + " has " + (bih == null ? "bias_hh" : "bias_ih") + s
          + " without " + (bih == null ? "bias_ih" : "bias_hh") + s);
    }
    if (whh.rank() != 2 || wih.rank() != 2) {
      throw new ModelFileException(where + ": weight_ih" + s + " " + Tensor.format(wih.shape()) + " and weight_hh" + s
          + " " + Tensor.format(whh.shape()) + " must be matrices");
    }
    return new Direction(wih, whh, bih, bhh);
  }

  /**
   * One direction in Keras's layout. nn.LSTM (gate rows i, f, g, o, Keras's i, f, c, o): kernel =
   * weight_ih transposed, recurrent_kernel = weight_hh transposed, bias = bias_ih + bias_hh. nn.GRU (gate
   * rows r, z, n): the blocks reordered to Keras's z, r, h and transposed, bias (2, 3U) = [bias_ih; bias_hh]
   * reordered alike (PyTorch's candidate is Keras's with reset_after).
   */
  private static List<Pending> convert(String where, int k, String suffix, Direction d, int g, int u, int previousWidth)
      throws ModelFileException {
    String s = "_l" + k + suffix;
    if (d.wih.dim(0) != g * u) {
      throw new ModelFileException(where + ": weight_ih" + s + " has shape " + Tensor.format(d.wih.shape())
          + ", expected (" + g * u + ", input_size) for hidden_size " + u);
    }
    if (k > 0 && d.wih.dim(1) != previousWidth) {
      throw new ModelFileException(where + ": weight_ih" + s + " has shape " + Tensor.format(d.wih.shape())
          + ", expected " + Tensor.format(g * u, previousWidth) + ": layer " + k + " reads the " + previousWidth
          + " outputs of layer " + (k - 1));
    }
    if (d.bih != null && (!d.bih.hasShape(g * u) || !d.bhh.hasShape(g * u))) {
      throw new ModelFileException(where + ": bias_ih" + s + " " + Tensor.format(d.bih.shape()) + " and bias_hh" + s
          + " " + Tensor.format(d.bhh.shape()) + " must both have shape " + Tensor.format(g * u));
    }
    List<Pending> w = new ArrayList<>();
    if (g == 4) {
      w.add(d.wih.transposed());
      w.add(d.whh.transposed());
      if (d.bih != null) {
        w.add(d.bih.plus(d.bhh));
      }
      return w;
    }
    w.add(rznToZrh(d.wih, u).transposed());
    w.add(rznToZrh(d.whh, u).transposed());
    if (d.bih != null) {
      Pending bi = rznToZrh(d.bih.reshaped(3 * u, 1), u);
      Pending bh = rznToZrh(d.bhh.reshaped(3 * u, 1), u);
      w.add(new Pending(new int[] {2, 3 * u}, () -> {
        double[] out = new double[6 * u];
        System.arraycopy(bi.values(), 0, out, 0, 3 * u);
        System.arraycopy(bh.values(), 0, out, 3 * u, 3 * u);
        return out;
      }));
    }
    return w;
  }

  /** The row blocks (r, z, n) of a (3U, cols) array reordered as (z, r, n): Keras's gate order z, r, h. */
  private static Pending rznToZrh(Pending a, int u) {
    int cols = a.dim(1);
    return new Pending(a.shape(), () -> {
      double[] in = a.values();
      double[] out = new double[in.length];
      int block = u * cols;
      System.arraycopy(in, block, out, 0, block); // z
      System.arraycopy(in, 0, out, block, block); // r
      System.arraycopy(in, 2 * block, out, 2 * block, block); // n
      return out;
    });
  }

  private static List<Unread.Layer> linear(Module m, String file) throws ModelFileException {
    Pending weight = m.tensors.get("weight");
    Pending bias = m.tensors.get("bias");
    boolean onlyLinear = weight != null && m.tensors.size() == (bias == null ? 1 : 2);
    if (!onlyLinear || weight.rank() != 2) {
      return List.of(unsupported(m, "module " + m.display() + " (" + describe(m) + ") is neither an nn.LSTM, an "
          + "nn.GRU nor an nn.Linear; Unroll has LSTM, GRU, Bidirectional and Dense layers"));
    }
    if (bias != null && !bias.hasShape(weight.dim(0))) {
      throw new ModelFileException(file + ": module " + m.display() + ": bias has shape " + Tensor.format(bias.shape())
          + ", expected " + Tensor.format(weight.dim(0)) + " for weight " + Tensor.format(weight.shape()));
    }
    List<Pending> w = new ArrayList<>();
    w.add(weight.transposed());
    if (bias != null) {
      w.add(bias);
    }
    return List.of(new Unread.Layer(FileLayer.builder(nameOf(m), "nn.Linear").kind("Dense").units(weight.dim(0))
        .inputs(weight.dim(1)).useBias(bias != null).build(), w));
  }

  private static Unread.Layer unsupported(Module m, String problem) {
    return new Unread.Layer(FileLayer.builder(nameOf(m), "?").problem(problem).build(),
        new ArrayList<>(m.tensors.values()));
  }

  private static String nameOf(Module m) {
    return m.name.isEmpty() ? (m.recurrent ? "lstm" : "linear") : m.name;
  }

  private static String describe(Module m) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Pending> e : m.tensors.entrySet()) {
      sb.append(sb.length() > 0 ? ", " : "").append(e.getKey()).append(' ').append(Tensor.format(e.getValue().shape()));
    }
    return sb.toString();
  }

  private static List<List<Unread.Layer>> order(List<String> names, List<List<Unread.Layer>> modules, List<String> explicit,
      boolean keepsModuleOrder, String file, List<String> notes) throws ModelFileException {
    if (explicit != null) {
      List<List<Unread.Layer>> out = new ArrayList<>();
      for (String n : explicit) {
        int i = names.indexOf(n);
        if (i < 0) {
          throw new ModelFileException(file + ": the module order names " + n + ", which the file does not have (it has "
              + String.join(", ", names) + ")");
        }
        out.add(modules.get(i));
      }
      if (out.size() != names.size()) {
        List<String> missing = new ArrayList<>(names);
        missing.removeAll(explicit);
        throw new ModelFileException(file + ": the module order leaves out " + String.join(", ", missing));
      }
      return out;
    }
    List<Integer> fileOrder = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      fileOrder.add(i);
    }
    if (keepsModuleOrder && chains(fileOrder, modules)) {
      return pick(fileOrder, modules, names, notes, "the file's module order (the state dict's)");
    }
    List<Integer> partitioned = recurrentFirst(fileOrder, modules);
    if (chains(partitioned, modules)) {
      return pick(partitioned, modules, names, notes, "the file's module order, recurrent modules first");
    }
    List<Integer> natural = new ArrayList<>(fileOrder);
    natural.sort((a, b) -> naturalCompare(names.get(a), names.get(b)));
    natural = recurrentFirst(natural, modules);
    if (chains(natural, modules)) {
      return pick(natural, modules, names, notes, "natural name order, recurrent modules first");
    }
    List<List<Integer>> chaining = new ArrayList<>();
    if (names.size() <= MAX_PERMUTED) {
      permutations(partitioned, 0, modules, chaining);
    }
    if (chaining.size() == 1) {
      return pick(chaining.get(0), modules, names, notes, "the only order in which the shapes chain");
    }
    if (chaining.size() > 1) {
      List<String> others = new ArrayList<>();
      for (List<Integer> c : chaining.subList(1, chaining.size())) {
        others.add(shown(c, names));
      }
      notes.add("the shapes chain in " + chaining.size() + " module orders, also " + String.join("; ", others)
          + ": pass the module order explicitly if forward() calls the modules so");
      return pick(chaining.get(0), modules, names, notes,
          "the first order in which the shapes chain, recurrent modules first");
    }
    return pick(partitioned, modules, names, notes,
        "the file's module order, recurrent modules first, although the shapes do not chain");
  }

  /**
   * Adds every order of {@code idx} whose shapes chain to {@code out}, the orders that keep the earlier
   * entries of {@code idx} earlier first.
   */
  private static void permutations(List<Integer> idx, int from, List<List<Unread.Layer>> modules,
      List<List<Integer>> out) {
    if (from == idx.size()) {
      if (chains(idx, modules)) {
        out.add(List.copyOf(idx));
      }
      return;
    }
    List<Integer> rest = new ArrayList<>(idx.subList(from, idx.size()));
    for (int k = 0; k < rest.size(); k++) {
      List<Integer> next = new ArrayList<>(idx.subList(0, from));
      next.add(rest.get(k));
      for (int j = 0; j < rest.size(); j++) {
        if (j != k) {
          next.add(rest.get(j));
        }
      }
      if (chains(next.subList(0, from + 1), modules)) {
        permutations(next, from + 1, modules, out);
      }
    }
  }

  private static String shown(List<Integer> idx, List<String> names) {
    List<String> shown = new ArrayList<>();
    for (int i : idx) {
      shown.add(names.get(i).isEmpty() ? "(top level)" : names.get(i));
    }
    return String.join(" → ", shown);
  }

  private static List<List<Unread.Layer>> pick(List<Integer> idx, List<List<Unread.Layer>> modules, List<String> names,
      List<String> notes, String how) {
    List<List<Unread.Layer>> out = new ArrayList<>();
    for (int i : idx) {
      out.add(modules.get(i));
    }
    if (idx.size() > 1) {
      notes.add("module order (not recorded in a state dict): " + shown(idx, names) + ", from " + how);
    }
    return out;
  }

  private static List<Integer> recurrentFirst(List<Integer> idx, List<List<Unread.Layer>> modules) {
    List<Integer> out = new ArrayList<>();
    for (int i : idx) {
      if (modules.get(i).get(0).layer().isRecurrent()) {
        out.add(i);
      }
    }
    for (int i : idx) {
      if (!modules.get(i).get(0).layer().isRecurrent()) {
        out.add(i);
      }
    }
    return out;
  }

  private static boolean chains(List<Integer> idx, List<List<Unread.Layer>> modules) {
    int previous = 0;
    for (int i : idx) {
      for (Unread.Layer planned : modules.get(i)) {
        FileLayer l = planned.layer();
        if (l.kind() == null) {
          return false;
        }
        if (previous > 0 && l.inputs() != previous) {
          return false;
        }
        previous = l.outputWidth();
      }
    }
    return true;
  }

  /** Compares names with runs of digits as numbers: lstm < lstm2 < lstm10. */
  static int naturalCompare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
        int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
        if (c != 0) {
          return c;
        }
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
