package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import dev.unroll.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileLayerTest {
  @Test
  void whatIsNotSetIsUnstated() {
    FileLayer l = FileLayer.builder("masking", "Masking").build();
    assertEquals(new FileLayer("masking", "Masking", null, 0, 0, 0, null, null, false, null, null, null, List.of(),
        null), l);
    assertFalse(l.supported());
  }

  @Test
  void everyComponentIsSetByItsNamesake() {
    List<Tensor> w = new ArrayList<>(List.of(Tensor.zeros(3, 8), Tensor.zeros(2, 8), Tensor.zeros(8)));
    FileLayer l = FileLayer.builder("lstm_1", "LSTM").kind("LSTM").units(2).inputs(3).timesteps(5)
        .activation(Activation.TANH).recurrentActivation(Activation.HARD_SIGMOID).useBias(true)
        .returnSequences(true).returnState(false).goBackwards(false).weights(w).build();
    assertEquals(new FileLayer("lstm_1", "LSTM", "LSTM", 2, 3, 5, Activation.TANH, Activation.HARD_SIGMOID, true,
        true, false, false, w, null), l);
    assertTrue(l.supported());
    assertTrue(l.isLstm());
    assertEquals(3 * 8 + 2 * 8 + 8, l.paramCount());
    w.clear();
    assertEquals(3, l.weights().size()); // copied
    assertThrows(UnsupportedOperationException.class, () -> l.weights().clear());

    assertEquals(l, l.toBuilder().build());
    assertEquals(Activation.RELU, l.withActivation(Activation.RELU).activation());
    assertEquals(7, l.withTimesteps(7).timesteps());
    assertEquals(l.withTimesteps(7), l.toBuilder().timesteps(7).build());
    FileLayer broken = l.toBuilder().problem("layer lstm_1: why").build();
    assertFalse(broken.supported());
    assertNull(l.problem());
  }

  @Test
  void gruAndBidirectionalComponents() {
    FileLayer bi = FileLayer.builder("bi", "Bidirectional(GRU)").kind("Bidirectional").units(4).inputs(3)
        .resetAfter(true).wrapped("GRU").mergeMode(MergeMode.CONCAT).build();
    assertEquals(new FileLayer("bi", "Bidirectional(GRU)", "Bidirectional", 4, 3, 0, null, null, false, null, null,
        null, List.of(), null, true, "GRU", MergeMode.CONCAT, null), bi);
    assertEquals(bi, bi.toBuilder().build());
    assertTrue(bi.isBidirectional() && bi.isRecurrent());
    assertFalse(bi.isGru());
    assertEquals("GRU", bi.cell());
    assertEquals(8, bi.outputWidth());
    assertEquals(4, bi.toBuilder().mergeMode(MergeMode.SUM).build().outputWidth());
    assertEquals(8, bi.toBuilder().mergeMode(null).build().outputWidth(), "PyTorch's bidirectional modules concatenate");
    FileLayer gru = FileLayer.builder("gru", "GRU").kind("GRU").units(4).build();
    assertTrue(gru.isGru() && gru.isRecurrent());
    assertNull(gru.resetAfter(), "not stated");
    assertEquals(4, gru.outputWidth());
    // the constructor without the GRU and Bidirectional components leaves them unstated
    assertNull(new FileLayer("d", "Dense", "Dense", 1, 1, 0, null, null, true, null, null, null, List.of(), null)
        .mergeMode());
  }
}
