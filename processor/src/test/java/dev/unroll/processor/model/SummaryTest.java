package dev.unroll.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keras's model.summary() table, without javac. */
class SummaryTest {

  @Test
  void aStackAsKerasPrintsIt() {
    LstmLayer first = new LstmLayer("lstm", 16, 12, 3, Activation.TANH, Activation.SIGMOID, true, true, true, false,
        false);
    LstmLayer second = new LstmLayer("lstm_1", 8, 12, 16, Activation.TANH, Activation.SIGMOID, true, true, false,
        false, false);
    DenseLayer head = new DenseLayer("dense", 1, 8, 0, Activation.LINEAR, true);
    String expected = """
        Model: "AirlineModel"
        _________________________________________________________________
         Layer (type)                Output Shape              Param #
        =================================================================
         lstm (LSTM)                 (None, 12, 16)            1280

         lstm_1 (LSTM)               (None, 8)                 800

         dense (Dense)               (None, 1)                 9
        =================================================================
        Total params: 2,089
        Trainable params: 2,089
        Non-trainable params: 0
        _________________________________________________________________
        """;
    assertEquals(expected, Summary.of(ModelSpec.of("p", "AirlineModel", List.of(first, second, head), false)));
  }

  /**
   * Masking, Bidirectional, GRU and Dense rows, counted by hand: Bidirectional(LSTM(8)) on 3 features is
   * 2 * 4 * (3*8 + 8*8 + 8) = 768, GRU(4, reset_after) on 16 is 3 * (16*4 + 4*4 + 2*4) = 264, Dense(1) on 4 is 5.
   */
  @Test
  void everyLayerKind() {
    MaskingLayer masking = new MaskingLayer("masking", 12, 3, 0.0);
    BidirectionalLayer bi = new BidirectionalLayer("bidirectional", new LstmLayer("lstm", 8, 12, 3, Activation.TANH,
        Activation.SIGMOID, true, true, true, false, false), MergeMode.CONCAT);
    GruLayer gru = new GruLayer("gru", 4, 12, 16, Activation.TANH, Activation.SIGMOID, true, true, false, false, false);
    DenseLayer head = new DenseLayer("dense", 1, 4, 0, Activation.LINEAR, true);
    String expected = """
        Model: "Tagger"
        _________________________________________________________________
         Layer (type)                Output Shape              Param #
        =================================================================
         masking (Masking)           (None, 12, 3)             0

         bidirectional (Bidirectional) (None, 12, 16)          768

         gru (GRU)                   (None, 4)                 264

         dense (Dense)               (None, 1)                 5
        =================================================================
        Total params: 1,037
        Trainable params: 1,037
        Non-trainable params: 0
        _________________________________________________________________
        """;
    assertEquals(expected, Summary.of(ModelSpec.of("p", "Tagger", List.of(masking, bi, gru, head), false)));
  }
}
