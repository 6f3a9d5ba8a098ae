package dev.unroll.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.Activation;
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
}
