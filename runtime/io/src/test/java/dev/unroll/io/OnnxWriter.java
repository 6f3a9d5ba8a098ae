package dev.unroll.io;

import dev.unroll.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models for tests, in the protobuf wire format with the field numbers of
 * {@code onnx.proto} (as the exporters write them: dims unpacked, float tensors as raw_data, ints
 * attributes unpacked): what the torch exports do not cover (reverse, layout 1, attributes Unroll
 * refuses) and hostile variants.
 */
final class OnnxWriter {
  /** One message being written. */
  static final class Msg {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Msg varint(int field, long v) {
      tag(field, 0);
      raw(v);
      return this;
    }

    Msg bytes(int field, byte[] b) {
      tag(field, 2);
      raw(b.length);
      out.writeBytes(b);
      return this;
    }

    Msg string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Msg msg(int field, Msg m) {
      return bytes(field, m.toBytes());
    }

    Msg fixed32(int field, float f) {
      tag(field, 5);
      int bits = Float.floatToIntBits(f);
      for (int i = 0; i < 4; i++) {
        out.write(bits >>> (8 * i));
      }
      return this;
    }

    private void tag(int field, int wire) {
      raw(((long) field << 3) | wire);
    }

    private void raw(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }

  /** A float32 tensor with raw_data. */
  static Msg tensor(String name, Tensor t) {
    Msg m = new Msg();
    for (int d : t.shape()) {
      m.varint(1, d);
    }
    m.varint(2, 1);
    m.string(8, name);
    ByteBuffer b = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < t.size(); i++) {
      b.putFloat((float) t.data()[i]);
    }
    return m.bytes(9, b.array());
  }

  /** An int64 tensor with raw_data; {@code dims} null for a scalar's, else its shape. */
  static Msg int64s(String name, int[] dims, long... values) {
    Msg m = new Msg();
    for (int d : dims) {
      m.varint(1, d);
    }
    m.varint(2, 7);
    m.string(8, name);
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return m.bytes(9, b.array());
  }

  static Msg attr(String name, long i) {
    return new Msg().string(1, name).varint(3, i).varint(20, 2);
  }

  static Msg attr(String name, float f) {
    return new Msg().string(1, name).fixed32(2, f).varint(20, 1);
  }

  static Msg attr(String name, String s) {
    return new Msg().string(1, name).string(4, s).varint(20, 3);
  }

  static Msg attrInts(String name, long... ints) {
    Msg m = new Msg().string(1, name);
    for (long v : ints) {
      m.varint(8, v);
    }
    return m.varint(20, 7);
  }

  static Msg attrStrings(String name, String... strings) {
    Msg m = new Msg().string(1, name);
    for (String s : strings) {
      m.string(9, s);
    }
    return m.varint(20, 8);
  }

  static Msg node(String op, String name, List<String> in, List<String> out, Msg... attrs) {
    Msg m = new Msg();
    in.forEach(s -> m.string(1, s));
    out.forEach(s -> m.string(2, s));
    m.string(3, name).string(4, op);
    for (Msg a : attrs) {
      m.msg(5, a);
    }
    return m;
  }

  static Msg valueInfo(String name, long... dims) {
    Msg shape = new Msg();
    for (long d : dims) {
      shape.msg(1, new Msg().varint(1, d));
    }
    Msg tensorType = new Msg().varint(1, 1).msg(2, shape);
    return new Msg().string(1, name).msg(2, new Msg().msg(1, tensorType));
  }

  /** A graph: nodes, initializers, the input x (dims) and one output. */
  static final class Graph {
    final List<Msg> nodes = new ArrayList<>();
    final List<Msg> inits = new ArrayList<>();
    Msg input;
    Msg output;

    Graph node(Msg n) {
      nodes.add(n);
      return this;
    }

    Graph init(Msg t) {
      inits.add(t);
      return this;
    }

    byte[] model(long opset) {
      Msg g = new Msg();
      nodes.forEach(n -> g.msg(1, n));
      g.string(2, "test");
      inits.forEach(t -> g.msg(5, t));
      g.msg(11, input).msg(12, output);
      return new Msg().varint(1, 8).string(2, "OnnxWriter").string(3, "1").msg(7, g)
          .msg(8, new Msg().string(1, "").varint(2, opset)).toBytes();
    }
  }
}
