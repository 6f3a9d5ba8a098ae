package dev.unroll.examples.syllables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Tensor;
import dev.unroll.examples.syllables.SyllableData.Split;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The syllable-counting example: its data, its encoding, its baselines, and a whole run on a small budget. */
class SyllableCountTest {

  @Test
  void theSubsetIsEvery28thWordOfTheDictionary() {
    SyllableData data = SyllableData.load();
    assertEquals(4082, data.size());
    assertEquals("aaa", data.words.get(0));        // "T R IH P AH L EY": triple-a, 3 syllables
    assertEquals(2, data.classes[0]);
    assertEquals("zylka", data.words.get(4081));   // "Z IH L K AH"
    assertEquals(1, data.classes[4081]);
    int anglia = data.words.indexOf("anglia");      // "AE NG G L IY AH"
    assertEquals(2, data.classes[anglia]);
    int[] counts = new int[5];
    for (int c : data.classes) {
      counts[c]++;
    }
    assertArrayEquals(new int[] {552, 1959, 1098, 371, 102}, counts);
    // the splits cover every word once
    assertEquals(data.size(), data.indices(Split.TRAIN).length + data.indices(Split.VALIDATION).length
        + data.indices(Split.TEST).length);
    assertEquals(817, data.indices(Split.TEST).length);
    assertEquals(409, data.indices(Split.VALIDATION).length);
  }

  @Test
  void encodingAndBaselines() {
    Tensor end = SyllableData.encode(List.of("cab"), false);
    Tensor start = SyllableData.encode(List.of("cab"), true);
    assertArrayEquals(new int[] {1, 12, 26}, end.shape());
    assertEquals(1.0, end.get(0, 0, 2));
    assertEquals(1.0, end.get(0, 2, 1));
    assertEquals(1.0, start.get(0, 9, 2));
    assertEquals(1.0, start.get(0, 11, 1));
    assertEquals(3.0, java.util.Arrays.stream(end.data()).sum());
    assertEquals(1, SyllableData.vowelGroups("strength"));
    assertEquals(1, SyllableData.vowelGroups("stone"));      // silent e
    assertEquals(2, SyllableData.vowelGroups("table"));      // -le counts
    assertEquals(3, SyllableData.vowelGroups("australia"));  // "ia" is one group: the rule's weak spot
    assertEquals(4, SyllableData.classOf(7));
    assertEquals(1, SyllableData.majority(new int[] {0, 1, 1, 2}));
  }

  @Test
  void aShortRunBeatsTheMajorityClassAndTheMaskMakesThePaddingIrrelevant() {
    SyllableCount.Result r = SyllableCount.run(7, 8, 0);
    assertEquals(817, r.testWords());
    assertTrue(r.finite());
    assertEquals(0.464, r.majority(), 0.001);
    assertEquals(0.831, r.vowelGroups(), 0.001);
    assertTrue(r.accuracy() > r.majority() + 0.25, r.toString());
    // where the padding is and what it holds changes no probability
    assertEquals(0.0, r.padAtStartDifference(), 1e-12, r.toString());
    assertEquals(0.0, r.lengthsDifference(), 1e-12, r.toString());
    // without the mask the padding is read as input, and the same weights classify worse
    assertTrue(r.unmaskedAtStartAccuracy() < r.accuracy() - 0.2, r.toString());
  }
}
