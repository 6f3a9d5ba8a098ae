package dev.unroll.examples.interop;

import static dev.unroll.examples.interop.MismatchAndCorruptionTest.refused;
import static dev.unroll.examples.interop.Resources.KERASJS;
import static dev.unroll.examples.interop.Resources.TORCH_RECURRENT;
import static dev.unroll.examples.interop.Resources.path;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.SequenceModel;
import dev.unroll.io.ArchitectureMismatchException;
import dev.unroll.io.ModelFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GRU and Bidirectional files loaded into models that differ from them: an
 * {@link ArchitectureMismatchException} naming each difference, from the headers, and the model
 * unchanged.
 */
class RecurrentMismatchTest {
  static List<String> differences(SequenceModel model, String resource) {
    return ((ArchitectureMismatchException) refused(model, () -> ModelFiles.load(model, path(resource))))
        .differences();
  }

  @Test
  void gruFileIntoAnLstmModel() {
    assertEquals(List.of("layer gru (model's lstm): file has a GRU layer, model declares LSTM"),
        differences(new UnrolledKjsLstm(), KERASJS + "h5/gru_0.h5"));
  }

  @Test
  void resetAfterDiffers() {
    assertEquals(List.of("layer gru: file has reset_after false, model declares resetAfter = true"),
        differences(new UnrolledKjsGru0ResetAfter(), KERASJS + "h5/gru_0.h5"));
    // PyTorch's GRU is reset_after's
    assertEquals(List.of("layer gru: file has reset_after true, model declares resetAfter = false",
        "layer gru: file has units 5, model declares 4",
        "layer gru: file has recurrent_activation sigmoid, model declares HARD_SIGMOID", "layer gru: file has 3 features, model declares features = 6",
        "file has 2 layers (gru GRU(5), fc Dense(2)), model declares 1 layer (gru GRU(4))").stream().sorted().toList(),
        differences(new UnrolledKjsGru0(), TORCH_RECURRENT + "gru_linear.npz").stream().sorted().toList());
  }

  @Test
  void otherActivationsAndFlagsAreNamed() {
    assertEquals(List.of("layer gru: file has activation tanh, model declares SIGMOID",
        "layer gru: file has recurrent_activation hard_sigmoid (Keras 1/2: 0.2·x + 0.5), model declares SIGMOID",
        "layer gru: file has 6 features, model declares features = 5",
        "layer gru: file has timesteps 3, model declares 8", "layer gru: file has units 4, model declares 5").stream().sorted().toList(),
        differences(new UnrolledKjsGru1(), KERASJS + "h5/gru_0.h5").stream().sorted().toList());
    assertEquals(List.of("layer gru: file has return_sequences false, model declares returnSequences = true"),
        differences(new UnrolledKjsGru2(), KERASJS + "h5/gru_0.h5"));
    assertEquals(List.of("layer gru: file has go_backwards true, model declares goBackwards = false"),
        differences(new UnrolledKjsGru0(), KERASJS + "h5/gru_3.h5"));
  }

  @Test
  void mergeModeDiffers() {
    assertEquals(List.of("layer bidirectional: file has merge_mode concat, model declares mergeMode = SUM"),
        differences(new UnrolledKjsBiLstmSum(), KERASJS + "h5/bidirectional_6.h5"));
  }

  @Test
  void bidirectionalFileIntoAUnidirectionalModel() {
    assertEquals(List.of("layer bidirectional (model's lstm): file has a Bidirectional(LSTM) layer, model declares "
        + "LSTM"), differences(new UnrolledKjsLstm(), KERASJS + "h5/bidirectional_6.h5"));
    assertEquals(List.of("layer gru (model's bidirectional): file has a GRU layer, model declares Bidirectional(GRU)"),
        differences(new UnrolledKjsBiGru(), KERASJS + "h5/gru_2.h5"));
  }

  @Test
  void wrappedKindDiffers() {
    assertEquals(List.of("layer bidirectional: file has Bidirectional(GRU), model declares Bidirectional(LSTM)"),
        differences(new UnrolledKjsBiLstm(), KERASJS + "h5/bidirectional_5.h5"));
  }

  @Test
  void pyTorchBidirectionalIntoAUnidirectionalModel() {
    SequenceModel model = new UnrolledTorchGruLinear();
    List<String> d = differences(model, TORCH_RECURRENT + "bigru2_linear.npz");
    assertEquals("file has 3 layers (gru.l0 Bidirectional(GRU)(4), gru.l1 Bidirectional(GRU)(4), fc Dense(2)), model "
        + "declares 2 layers (gru GRU(5), fc Dense(2))", d.get(0));
    assertEquals("layer gru.l0 (model's gru): file has a Bidirectional(GRU) layer, model declares GRU", d.get(1));
  }
}
