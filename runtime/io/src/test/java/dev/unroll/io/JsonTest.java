package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesValuesKeepingKeyOrder() {
    Map<String, Object> m = Json.object(Json.parse(
        " {\"b\": [1, -2, 3.5, 1e3, true, false, null], \"a\": {\"s\": \"x\\\"y\\\\z\\u00e9\\n\"}, \"c\": NaN,"
            + " \"d\": -Infinity, \"e\": Infinity} "));
    assertEquals(List.of("b", "a", "c", "d", "e"), List.copyOf(m.keySet()));
    assertEquals(Arrays.asList(1L, -2L, 3.5, 1000.0, true, false, null), m.get("b"));
    assertEquals("x\"y\\zé\n", Json.object(m.get("a")).get("s"));
    assertTrue(Double.isNaN((Double) m.get("c")));
    assertEquals(Double.NEGATIVE_INFINITY, m.get("d"));
    assertEquals(Double.POSITIVE_INFINITY, m.get("e"));
    assertEquals(List.of(), Json.parse("[]"));
    assertEquals(Map.of(), Json.parse("{}"));
  }

  @Test
  void errorsNameTheOffset() {
    assertEquals("JSON: expected ',' or '}' at offset 8",
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1 2}")).getMessage());
    assertEquals("JSON: unexpected end of text at offset 6",
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2,")).getMessage());
    assertEquals("JSON: unexpected text after the value at offset 3",
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Json.parse("\"abc"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("[1.2.3]"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(300) + "]".repeat(300)));
  }
}
