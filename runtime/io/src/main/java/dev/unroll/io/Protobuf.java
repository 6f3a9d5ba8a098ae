package dev.unroll.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The protocol buffers wire format, as far as reading ONNX needs it: tags, varints, fixed32/64 and
 * length-delimited fields, read from a byte buffer (a mapped file) by absolute position, so that a
 * message's fields can be walked without copying it. Every length is checked against the bytes its
 * enclosing message has left before anything is read; groups (wire types 3, 4) and field number 0 are
 * refused. Nothing here allocates in proportion to a length a file claims, except {@link #string},
 * which is capped.
 */
final class Protobuf {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  /** The longest string (a name, an op type, a string attribute) read, in bytes. */
  static final int MAX_STRING = 1 << 16;

  private final ByteBuffer buf;
  private final String file;

  Protobuf(ByteBuffer buf, String file) {
    this.buf = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    this.file = file;
  }

  int size() {
    return buf.limit();
  }

  ModelFileException error(String what) {
    return new ModelFileException(file + ": " + what + "; is the file truncated or corrupt, or not ONNX?");
  }

  /** The fields of the message in bytes [start, end), one at a time. */
  Fields fields(int start, int end, String message) {
    return new Fields(start, end, message);
  }

  /** One field: its number, wire type, and value (varint or fixed) or byte range (length-delimited). */
  static final class Field {
    int number;
    int wireType;
    long value;
    int start;
    int length;

    int end() {
      return start + length;
    }
  }

  /** A cursor over a message's fields, reusing one {@link Field}. */
  final class Fields {
    private int pos;
    private final int end;
    private final String message;
    private final Field field = new Field();

    private Fields(int start, int end, String message) {
      this.pos = start;
      this.end = end;
      this.message = message;
    }

    boolean hasNext() {
      return pos < end;
    }

    Field next() throws ModelFileException {
      long tag = varint();
      int wire = (int) (tag & 7);
      long number = tag >>> 3;
      if (number == 0 || number > 536_870_911L) {
        throw error(message + " at byte " + pos + ": field number " + number + " is not valid");
      }
      field.number = (int) number;
      field.wireType = wire;
      field.value = 0;
      field.start = pos;
      field.length = 0;
      switch (wire) {
        case VARINT -> field.value = varint();
        case FIXED64 -> {
          need(8);
          field.value = buf.getLong(pos);
          field.length = 8;
          pos += 8;
        }
        case FIXED32 -> {
          need(4);
          field.value = buf.getInt(pos) & 0xffffffffL;
          field.length = 4;
          pos += 4;
        }
        case LEN -> {
          long n = varint();
          if (n < 0 || n > end - pos) {
            throw error(message + ", field " + number + " at byte " + field.start + " claims " + n
                + " bytes, only " + (end - pos) + " are left");
          }
          field.start = pos;
          field.length = (int) n;
          pos += (int) n;
        }
        default -> throw error(message + ", field " + number + " at byte " + field.start + " has wire type " + wire
            + ", which ONNX does not use");
      }
      return field;
    }

    private void need(int n) throws ModelFileException {
      if (end - pos < n) {
        throw error(message + " ends inside a field at byte " + pos);
      }
    }

    private long varint() throws ModelFileException {
      long r = 0;
      for (int shift = 0; shift < 70; shift += 7) {
        if (pos >= end) {
          throw error(message + " ends inside a varint at byte " + pos);
        }
        int b = buf.get(pos++) & 0xff;
        r |= (long) (b & 0x7f) << shift;
        if (b < 0x80) {
          return r;
        }
      }
      throw error(message + ": a varint of more than 10 bytes at byte " + pos);
    }
  }

  /** A length-delimited field as UTF-8 text, refused past {@link #MAX_STRING} bytes. */
  String string(Field f, String what) throws ModelFileException {
    if (f.wireType != LEN) {
      throw error(what + " is not a length-delimited field");
    }
    if (f.length > MAX_STRING) {
      throw error(what + " is " + f.length + " bytes long, more than the " + MAX_STRING + " Unroll reads");
    }
    ByteBuffer b = buf.duplicate();
    b.position(f.start).limit(f.end());
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b).toString();
    } catch (CharacterCodingException e) {
      throw error(what + " is not UTF-8");
    }
  }

  float float32(int at) {
    return buf.getFloat(at);
  }

  double float64(int at) {
    return buf.getDouble(at);
  }

  int int32(int at) {
    return buf.getInt(at);
  }

  long int64(int at) {
    return buf.getLong(at);
  }

  /** The packed varints in [start, end), at most {@code max} of them. */
  long[] packedVarints(int start, int end, int max, String what) throws ModelFileException {
    int count = 0;
    for (int p = start; p < end; p++) {
      if ((buf.get(p) & 0x80) == 0) {
        count++;
      }
    }
    if (count > max) {
      throw error(what + " holds " + count + " values, more than the " + max + " Unroll reads");
    }
    long[] out = new long[count];
    Fields f = new Fields(start, end, what);
    for (int i = 0; i < count; i++) {
      out[i] = f.varint();
    }
    if (f.hasNext()) {
      throw error(what + " ends inside a varint");
    }
    return out;
  }
}
