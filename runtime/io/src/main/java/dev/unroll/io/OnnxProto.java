package dev.unroll.io;

import dev.unroll.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few ONNX messages Unroll reads ({@code ModelProto}, {@code GraphProto}, {@code NodeProto},
 * {@code AttributeProto}, {@code TensorProto}, {@code ValueInfoProto}), parsed from the wire format by
 * {@link Protobuf} with the field numbers of {@code onnx.proto}. Tensors are parsed as headers (name,
 * dims, data type, where their data lies in the file); their values are read only when asked, after
 * claiming them from the read's {@link ReadBudget}. Everything else kept (names, attributes, node lists)
 * is charged to a metadata allowance of {@link ReadBudget#SLACK_BYTES}, so that no file makes the
 * parse allocate more than that, whatever counts it claims.
 */
final class OnnxProto {
  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int DOUBLE = 11;
  private static final int MAX_RANK = 8;
  private static final int MAX_LIST = 64;

  private final Protobuf pb;
  private final String file;
  private long metaBytes;

  OnnxProto(ByteBuffer buf, String file) {
    this.pb = new Protobuf(buf, file);
    this.file = file;
  }

  /** What the model holds: its graph and where it came from. */
  record Model(long irVersion, String producer, long opset, Graph graph) {}

  record Graph(List<Node> nodes, Map<String, TensorRef> initializers, List<ValueInfo> inputs, List<ValueInfo> outputs,
      int sparseInitializers) {}

  record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
      Map<String, Attr> attributes) {
    /** Input {@code i}, or "" if absent (ONNX's way of leaving out an optional input). */
    String input(int i) {
      return i < inputs.size() ? inputs.get(i) : "";
    }
  }

  /** An attribute; only the fields its type uses are set. */
  record Attr(String name, int type, float f, long i, String s, TensorRef t, long[] ints, List<String> strings,
      float[] floats) {}

  /** A graph input or output: its name and dims, each a size or -1 where the file gives a name or nothing. */
  record ValueInfo(String name, int elemType, long[] dims) {}

  private void charge(long bytes, String what) throws ModelFileException {
    metaBytes += bytes;
    if (metaBytes > ReadBudget.SLACK_BYTES) {
      throw new ModelFileException(file + ": " + what + " takes the file's names, nodes and attributes past the "
          + ReadBudget.SLACK_BYTES + " bytes Unroll allows them; is the file corrupt, or not a recurrent model?");
    }
  }

  private String string(Protobuf.Field f, String what) throws ModelFileException {
    String s = pb.string(f, what);
    charge(48L + 2L * s.length(), what);
    return s;
  }

  Model model() throws ModelFileException {
    long ir = 0;
    String producer = "";
    String version = "";
    long opset = 0;
    Graph graph = null;
    Protobuf.Fields fs = pb.fields(0, pb.size(), "ModelProto");
    while (fs.hasNext()) {
      Protobuf.Field f = fs.next();
      switch (f.number) {
        case 1 -> ir = want(f, Protobuf.VARINT, "ModelProto.ir_version").value;
        case 2 -> producer = string(want(f, Protobuf.LEN, "ModelProto.producer_name"), "ModelProto.producer_name");
        case 3 -> version = string(want(f, Protobuf.LEN, "ModelProto.producer_version"), "ModelProto.producer_version");
        case 7 -> {
          if (graph != null) {
            throw pb.error("ModelProto holds two graphs");
          }
          want(f, Protobuf.LEN, "ModelProto.graph");
          graph = graph(f.start, f.end());
        }
        case 8 -> {
          want(f, Protobuf.LEN, "ModelProto.opset_import");
          long[] o = opset(f.start, f.end());
          if (o[0] == 0) {
            opset = o[1];
          }
        }
        default -> {
          // doc_string, metadata, functions, training info: not needed
        }
      }
    }
    if (graph == null) {
      throw pb.error("no graph (ModelProto field 7)");
    }
    if (ir == 0) {
      throw pb.error("no ir_version (ModelProto field 1)");
    }
    String by = (producer + " " + version).trim();
    return new Model(ir, by, opset, graph);
  }

  /** {domain is the default one ? 0 : 1, version}. */
  private long[] opset(int start, int end) throws ModelFileException {
    String domain = "";
    long version = 0;
    Protobuf.Fields fs = pb.fields(start, end, "OperatorSetIdProto");
    while (fs.hasNext()) {
      Protobuf.Field f = fs.next();
      if (f.number == 1) {
        domain = string(want(f, Protobuf.LEN, "OperatorSetIdProto.domain"), "OperatorSetIdProto.domain");
      } else if (f.number == 2) {
        version = want(f, Protobuf.VARINT, "OperatorSetIdProto.version").value;
      }
    }
    return new long[] {domain.isEmpty() || domain.equals("ai.onnx") ? 0 : 1, version};
  }

  private Graph graph(int start, int end) throws ModelFileException {
    List<Node> nodes = new ArrayList<>();
    Map<String, TensorRef> init = new LinkedHashMap<>();
    List<ValueInfo> inputs = new ArrayList<>();
    List<ValueInfo> outputs = new ArrayList<>();
    int sparse = 0;
    Protobuf.Fields fs = pb.fields(start, end, "GraphProto");
    while (fs.hasNext()) {
      Protobuf.Field f = fs.next();
      switch (f.number) {
        case 1 -> nodes.add(node(want(f, Protobuf.LEN, "GraphProto.node").start, f.end(), nodes.size()));
        case 5 -> {
          TensorRef t = tensor(want(f, Protobuf.LEN, "GraphProto.initializer").start, f.end(), "initializer");
          if (init.put(t.name(), t) != null) {
            throw pb.error("two initializers are named " + t.name());
          }
        }
        case 11 -> inputs.add(valueInfo(want(f, Protobuf.LEN, "GraphProto.input").start, f.end()));
        case 12 -> outputs.add(valueInfo(want(f, Protobuf.LEN, "GraphProto.output").start, f.end()));
        case 15 -> sparse++;
        default -> {
          // name, doc_string, value_info, quantization annotations: not needed
        }
      }
    }
    return new Graph(nodes, init, inputs, outputs, sparse);
  }

  private Node node(int start, int end, int index) throws ModelFileException {
    charge(128, "node " + index);
    List<String> in = new ArrayList<>();
    List<String> out = new ArrayList<>();
    String name = "";
    String op = "";
    String domain = "";
    Map<String, Attr> attrs = new LinkedHashMap<>();
    Protobuf.Fields fs = pb.fields(start, end, "NodeProto");
    while (fs.hasNext()) {
      Protobuf.Field f = fs.next();
      switch (f.number) {
        case 1 -> in.add(string(want(f, Protobuf.LEN, "NodeProto.input"), "NodeProto.input"));
        case 2 -> out.add(string(want(f, Protobuf.LEN, "NodeProto.output"), "NodeProto.output"));
        case 3 -> name = string(want(f, Protobuf.LEN, "NodeProto.name"), "NodeProto.name");
        case 4 -> op = string(want(f, Protobuf.LEN, "NodeProto.op_type"), "NodeProto.op_type");
        case 7 -> domain = string(want(f, Protobuf.LEN, "NodeProto.domain"), "NodeProto.domain");
        case 5 -> {
          Attr a = attribute(want(f, Protobuf.LEN, "NodeProto.attribute").start, f.end());
          attrs.put(a.name(), a);
        }
        default -> {
          // doc_string, overload, metadata: not needed
        }
      }
    }
    if (op.isEmpty()) {
      throw pb.error("node " + index + (name.isEmpty() ? "" : " (" + name + ")") + " has no op_type");
    }
    return new Node(name.isEmpty() ? op + "_" + index : name, op, domain, in, out, attrs);
  }

  private Attr attribute(int start, int end) throws ModelFileException {
    charge(96, "an attribute");
    String name = "";
    int type = 0;
    float fv = 0;
    long iv = 0;
    String s = null;
    TensorRef t = null;
    LongList ints = new LongList();
    List<String> strings = new ArrayList<>();
    float[] floats = new float[0];
    Protobuf.Fields fs = pb.fields(start, end, "AttributeProto");
    while (fs.hasNext()) {
      Protobuf.Field f = fs.next();
      switch (f.number) {
        case 1 -> name = string(want(f, Protobuf.LEN, "AttributeProto.name"), "AttributeProto.name");
        case 20 -> type = (int) want(f, Protobuf.VARINT, "AttributeProto.type").value;
        case 2 -> fv = Float.intBitsToFloat((int) want(f, Protobuf.FIXED32, "AttributeProto.f").value);
        case 3 -> iv = want(f, Protobuf.VARINT, "AttributeProto.i").value;
        case 4 -> s = string(want(f, Protobuf.LEN, "AttributeProto.s"), "attribute " + name + " (a string)");
        case 5 -> t = tensor(want(f, Protobuf.LEN, "AttributeProto.t").start, f.end(), "attribute " + name);
        case 8 -> {
          if (f.wireType == Protobuf.LEN) {
            for (long v : pb.packedVarints(f.start, f.end(), MAX_LIST, "attribute " + name + " (ints)")) {
              ints.add(v, MAX_LIST, "attribute " + name + " (ints)");
            }
          } else {
            ints.add(want(f, Protobuf.VARINT, "AttributeProto.ints").value, MAX_LIST, "attribute " + name + " (ints)");
          }
        }
        case 9 -> {
          if (strings.size() >= MAX_LIST) {
            throw pb.error("attribute " + name + " holds more than " + MAX_LIST + " strings");
          }
          strings.add(string(want(f, Protobuf.LEN, "AttributeProto.strings"), "attribute " + name + " (strings)"));
        }
        case 7 -> {
          if (f.wireType == Protobuf.LEN) {
            if (f.length % 4 != 0 || f.length / 4 + floats.length > MAX_LIST) {
              throw pb.error("attribute " + name + " (floats) is " + f.length + " bytes long");
            }
            float[] more = new float[floats.length + f.length / 4];
            System.arraycopy(floats, 0, more, 0, floats.length);
            for (int k = 0; k < f.length / 4; k++) {
              more[floats.length + k] = pb.float32(f.start + 4 * k);
            }
            floats = more;
          } else {
            want(f, Protobuf.FIXED32, "AttributeProto.floats");
            if (floats.length >= MAX_LIST) {
              throw pb.error("attribute " + name + " holds more than " + MAX_LIST + " floats");
            }
            floats = java.util.Arrays.copyOf(floats, floats.length + 1);
            floats[floats.length - 1] = pb.float32(f.start);
          }
        }
        default -> {
          // graphs, tensors, sparse tensors, type protos, doc_string: not needed
        }
      }
    }
    return new Attr(name, type, fv, iv, s, t, ints.toArray(), List.copyOf(strings), floats);
  }

  private ValueInfo valueInfo(int start, int end) throws ModelFileException {
    charge(96, "a graph input or output");
    String name = "";
    int elem = 0;
    LongList dims = new LongList();
    Protobuf.Fields fs = pb.fields(start, end, "ValueInfoProto");
    while (fs.hasNext()) {
      Protobuf.Field f = fs.next();
      if (f.number == 1) {
        name = string(want(f, Protobuf.LEN, "ValueInfoProto.name"), "ValueInfoProto.name");
      } else if (f.number == 2) {
        Protobuf.Fields type = pb.fields(want(f, Protobuf.LEN, "ValueInfoProto.type").start, f.end(), "TypeProto");
        while (type.hasNext()) {
          Protobuf.Field tt = type.next();
          if (tt.number != 1 || tt.wireType != Protobuf.LEN) {
            continue; // a sequence, map or optional type: not a tensor
          }
          Protobuf.Fields tensor = pb.fields(tt.start, tt.end(), "TypeProto.Tensor");
          while (tensor.hasNext()) {
            Protobuf.Field x = tensor.next();
            if (x.number == 1) {
              elem = (int) want(x, Protobuf.VARINT, "TypeProto.Tensor.elem_type").value;
            } else if (x.number == 2) {
              Protobuf.Fields shape = pb.fields(want(x, Protobuf.LEN, "TensorShapeProto").start, x.end(),
                  "TensorShapeProto");
              while (shape.hasNext()) {
                Protobuf.Field d = shape.next();
                if (d.number != 1) {
                  continue;
                }
                long size = -1;
                Protobuf.Fields dim = pb.fields(want(d, Protobuf.LEN, "TensorShapeProto.dim").start, d.end(),
                    "TensorShapeProto.Dimension");
                while (dim.hasNext()) {
                  Protobuf.Field v = dim.next();
                  if (v.number == 1 && v.wireType == Protobuf.VARINT) {
                    size = v.value < 0 ? -1 : v.value;
                  }
                }
                dims.add(size, MAX_RANK, "the shape of " + name);
              }
            }
          }
        }
      }
    }
    return new ValueInfo(name, elem, dims.toArray());
  }

  private TensorRef tensor(int start, int end, String what) throws ModelFileException {
    charge(160, what);
    LongList dims = new LongList();
    int type = 0;
    String name = "";
    boolean external = false;
    List<int[]> segments = new ArrayList<>();
    int[] raw = null;
    Protobuf.Fields fs = pb.fields(start, end, "TensorProto");
    while (fs.hasNext()) {
      Protobuf.Field f = fs.next();
      switch (f.number) {
        case 1 -> {
          if (f.wireType == Protobuf.LEN) {
            for (long v : pb.packedVarints(f.start, f.end(), MAX_RANK, what + " (dims)")) {
              dims.add(v, MAX_RANK, what + " (dims)");
            }
          } else {
            dims.add(want(f, Protobuf.VARINT, "TensorProto.dims").value, MAX_RANK, what + " (dims)");
          }
        }
        case 2 -> type = (int) want(f, Protobuf.VARINT, "TensorProto.data_type").value;
        case 8 -> name = string(want(f, Protobuf.LEN, "TensorProto.name"), "TensorProto.name");
        case 9 -> raw = new int[] {want(f, Protobuf.LEN, "TensorProto.raw_data").start, f.length};
        case 4, 5, 7, 10 -> {
          // float_data, int32_data, int64_data, double_data: packed, or one value per field
          if (segments.size() >= 4096) {
            throw pb.error(what + " stores its values in more than 4096 pieces");
          }
          charge(32, what);
          segments.add(new int[] {f.number, f.wireType, f.start, f.length, (int) f.value, (int) (f.value >>> 32)});
        }
        case 13 -> external = true;
        case 14 -> external |= want(f, Protobuf.VARINT, "TensorProto.data_location").value == 1;
        default -> {
          // segment, string_data, uint64_data, doc_string, metadata: not needed
        }
      }
    }
    if (name.isEmpty() && what.equals("initializer")) {
      throw pb.error("an initializer has no name");
    }
    long[] d = dims.toArray();
    int[] shape = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      if (d[i] < 0 || d[i] > Integer.MAX_VALUE) {
        throw pb.error((name.isEmpty() ? what : "tensor " + name) + " has dimension " + d[i]);
      }
      shape[i] = (int) d[i];
    }
    return new TensorRef(name.isEmpty() ? what : name, shape, type, raw, List.copyOf(segments), external);
  }

  private Protobuf.Field want(Protobuf.Field f, int wire, String what) throws ModelFileException {
    if (f.wireType != wire) {
      throw pb.error(what + " has wire type " + f.wireType + ", not " + wire);
    }
    return f;
  }

  /** A tensor's header and where its values lie: raw_data, or typed fields (float_data, ...). */
  final class TensorRef {
    private final String name;
    private final int[] shape;
    private final int type;
    private final int[] raw;
    private final List<int[]> segments;
    private final boolean external;

    TensorRef(String name, int[] shape, int type, int[] raw, List<int[]> segments, boolean external) {
      this.name = name;
      this.shape = shape;
      this.type = type;
      this.raw = raw;
      this.segments = segments;
      this.external = external;
    }

    String name() {
      return name;
    }

    int[] shape() {
      return shape.clone();
    }

    int rank() {
      return shape.length;
    }

    int dim(int i) {
      return shape[i];
    }

    long size() {
      long n = 1;
      for (int d : shape) {
        n = d != 0 && n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
      }
      return n;
    }

    String describe() {
      return "tensor " + name + " " + Tensor.format(shape);
    }

    /** Why Unroll cannot read this tensor's values as weights, or null if it can. */
    String unreadable() {
      if (external) {
        return describe() + " keeps its data outside the .onnx file (external data), which Unroll does not read;"
            + " save the model with its weights inside (onnx.save_model(..., save_as_external_data=False))";
      }
      if (type != FLOAT && type != DOUBLE) {
        return describe() + " has ONNX data type " + type + " (" + typeName(type) + "); Unroll reads float32 (1)"
            + " and float64 (11) weights";
      }
      return null;
    }

    /** The values as doubles, row-major, claimed from {@code budget} before they are read. */
    double[] values(ReadBudget budget) throws ModelFileException {
      String why = unreadable();
      if (why != null) {
        throw new ModelFileException(file + ": " + why);
      }
      long n = size();
      budget.claim(n, file, describe());
      int width = type == FLOAT ? 4 : 8;
      double[] out = new double[(int) n];
      if (raw != null) {
        if (raw[1] != n * width) {
          throw pb.error(describe() + " has " + raw[1] + " bytes of raw_data, its shape needs " + n * width);
        }
        for (int i = 0; i < n; i++) {
          out[i] = width == 4 ? pb.float32(raw[0] + 4 * i) : pb.float64(raw[0] + 8 * i);
        }
        return out;
      }
      int field = type == FLOAT ? 4 : 10;
      int k = 0;
      for (int[] s : segments) {
        if (s[0] != field) {
          continue;
        }
        if (s[1] == Protobuf.LEN) {
          if (s[3] % width != 0 || k + (long) (s[3] / width) > n) {
            throw pb.error(describe() + " holds more values than its shape");
          }
          for (int i = 0; i < s[3] / width; i++) {
            out[k++] = width == 4 ? pb.float32(s[2] + 4 * i) : pb.float64(s[2] + 8 * i);
          }
        } else {
          if (s[1] != (width == 4 ? Protobuf.FIXED32 : Protobuf.FIXED64) || k >= n) {
            throw pb.error(describe() + " holds more values than its shape, or values of the wrong width");
          }
          out[k++] = width == 4 ? pb.float32(s[2]) : pb.float64(s[2]);
        }
      }
      if (k != n) {
        throw pb.error(describe() + " holds " + k + " values, its shape needs " + n);
      }
      return out;
    }

    /** The values of a small integer tensor (an axis list, a shape, an index), at most {@code max}. */
    long[] ints(int max) throws ModelFileException {
      if (external || (type != INT64 && type != INT32)) {
        throw new ModelFileException(file + ": " + describe() + " is not an int64 or int32 tensor stored in the file");
      }
      long n = size();
      if (n > max) {
        throw new ModelFileException(file + ": " + describe() + " holds " + n + " values, more than the " + max
            + " Unroll reads for an axis list, a shape or an index");
      }
      long[] out = new long[(int) n];
      if (raw != null) {
        int width = type == INT64 ? 8 : 4;
        if (raw[1] != n * width) {
          throw pb.error(describe() + " has " + raw[1] + " bytes of raw_data, its shape needs " + n * width);
        }
        for (int i = 0; i < n; i++) {
          out[i] = width == 8 ? pb.int64(raw[0] + 8 * i) : pb.int32(raw[0] + 4 * i);
        }
        return out;
      }
      int field = type == INT64 ? 7 : 5;
      int k = 0;
      for (int[] s : segments) {
        if (s[0] != field) {
          continue;
        }
        long[] vs = s[1] == Protobuf.LEN ? pb.packedVarints(s[2], s[2] + s[3], max, describe())
            : new long[] {(s[4] & 0xffffffffL) | ((long) s[5] << 32)};
        for (long v : vs) {
          if (k >= n) {
            throw pb.error(describe() + " holds more values than its shape");
          }
          out[k++] = type == INT32 ? (int) v : v;
        }
      }
      if (k != n) {
        throw pb.error(describe() + " holds " + k + " values, its shape needs " + n);
      }
      return out;
    }
  }

  static String typeName(int type) {
    return switch (type) {
      case 1 -> "float32";
      case 2 -> "uint8";
      case 3 -> "int8";
      case 5 -> "int16";
      case 6 -> "int32";
      case 7 -> "int64";
      case 9 -> "bool";
      case 10 -> "float16";
      case 11 -> "float64";
      case 16 -> "bfloat16";
      default -> "another type";
    };
  }

  /** A growing list of longs, bounded. */
  private final class LongList {
    private long[] values = new long[4];
    private int size;

    void add(long v, int max, String what) throws ModelFileException {
      if (size >= max) {
        throw pb.error(what + " holds more than " + max + " values");
      }
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
