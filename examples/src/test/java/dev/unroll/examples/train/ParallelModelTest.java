package dev.unroll.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.Activation;
import dev.unroll.Bidirectional;
import dev.unroll.Dense;
import dev.unroll.Float32;
import dev.unroll.Gradients;
import dev.unroll.Gru;
import dev.unroll.Input;
import dev.unroll.Layer;
import dev.unroll.Lstm;
import dev.unroll.ParallelModel;
import dev.unroll.SequenceModel;
import dev.unroll.ShapeMismatchException;
import dev.unroll.Tensor;
import dev.unroll.train.History;
import dev.unroll.train.Trainer;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ParallelModel} against one instance of the same class: the same predictions and input gradients
 * (bit for bit), the same weight gradients up to the order of additions, and the same training.
 */
class ParallelModelTest {

  /** Bidirectional GRU over 6 steps of 3 features, its last step into a softmax. */
  @Input(timesteps = 6, features = 3)
  interface BiGruClassifier {
    @Bidirectional @Gru(units = 5) Layer encoder();

    @Dense(units = 4, activation = Activation.SOFTMAX) Layer classes();
  }

  /** TinyStack in float32. */
  @Float32
  @Lstm(units = 8, timesteps = 10, features = 2, returnSequences = true)
  @Lstm(units = 4)
  @Dense(units = 1)
  interface TinyStack32 {}

  static Tensor random(long seed, int... shape) {
    Tensor t = Tensor.zeros(shape);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < t.size(); i++) {
      t.data()[i] = rng.nextDouble(-1, 1);
    }
    return t;
  }

  /** Predictions, dL/dx and dh0/dc0 equal one instance's; the weights' gradients within a few ulps. */
  static void sameAsOneInstance(SequenceModel one, SequenceModel copy, int threads, int batch, double tolerance) {
    int[] in = one.inputShape();
    int[] out = one.outputShape();
    Tensor x = random(batch, withBatch(batch, in));
    Tensor dOut = random(batch + 1, withBatch(batch, out));
    try (ParallelModel parallel = ParallelModel.of(copy, threads)) {
      assertEquals(one.summary(), parallel.summary());
      Tensor expected = one.predict(x);
      Tensor actual = parallel.predict(x);
      assertArrayEquals(expected.data(), actual.data(), "predictions, " + threads + " threads, batch " + batch);
      Gradients g1 = one.gradients(x, dOut);
      Gradients gp = parallel.gradients(x, dOut);
      assertArrayEquals(g1.input().data(), gp.input().data(), "dL/dx");
      assertEquals(g1.initialState().size(), gp.initialState().size());
      for (int s = 0; s < g1.initialState().size(); s++) {
        assertArrayEquals(g1.initialState().get(s).data(), gp.initialState().get(s).data(), "initial state " + s);
      }
      for (int k = 0; k < g1.weights().size(); k++) {
        double[] a = g1.weights().get(k).data();
        double[] b = gp.weights().get(k).data();
        double scale = 0;
        for (double v : a) {
          scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i], b[i], tolerance * Math.max(scale, 1e-300), "weight " + k + " [" + i + "]");
        }
      }
      // backward after predict: the same as gradients, into the same tensors
      parallel.predict(x);
      Gradients again = parallel.backward(dOut, gp);
      assertSame(gp, again);
      assertArrayEquals(g1.input().data(), again.input().data());
    }
  }

  static int[] withBatch(int batch, int[] shape) {
    int[] s = new int[shape.length + 1];
    s[0] = batch;
    System.arraycopy(shape, 0, s, 1, shape.length);
    return s;
  }

  @Test
  void aStackSplitOverTwoAndThreeThreads() {
    sameAsOneInstance(new UnrolledTinyStack(7), new UnrolledTinyStack(7), 2, 7, 1e-13);
    sameAsOneInstance(new UnrolledTinyStack(7), new UnrolledTinyStack(7), 3, 32, 1e-13);
  }

  @Test
  void aBatchSmallerThanTheThreadsUsesFewerSlices() {
    sameAsOneInstance(new UnrolledTinyStack(7), new UnrolledTinyStack(7), 3, 2, 1e-13);
    sameAsOneInstance(new UnrolledTinyStack(7), new UnrolledTinyStack(7), 4, 1, 0);
  }

  @Test
  void bidirectionalGruAndFloat32() {
    sameAsOneInstance(new UnrolledParallelModelTest_BiGruClassifier(3), new UnrolledParallelModelTest_BiGruClassifier(3),
        2, 9, 1e-13);
    sameAsOneInstance(new UnrolledParallelModelTest_TinyStack32(5), new UnrolledParallelModelTest_TinyStack32(5),
        2, 11, 1e-5);
  }

  @Test
  void aMaskedModelGivesTheWholeBatchMask() {
    Tensor[] d = MaskedTrainingTest.task(9, 4, 0.0);
    SequenceModel one = new UnrolledMaskedTagger(2);
    try (ParallelModel parallel = ParallelModel.of(new UnrolledMaskedTagger(2), 2)) {
      assertArrayEquals(one.predict(d[0]).data(), parallel.predict(d[0]).data());
      assertNotNull(parallel.outputMask());
      assertArrayEquals(one.outputMask().data(), parallel.outputMask().data());
      assertArrayEquals(one.outputMask().shape(), parallel.outputMask().shape());
    }
    sameAsOneInstance(new UnrolledMaskedTagger(2), new UnrolledMaskedTagger(2), 2, 9, 1e-13);
  }

  @Test
  void anInitialStateIsCutWithItsSamples() {
    SequenceModel one = new UnrolledTinyStack(1);
    Tensor x = random(2, 5, 10, 2);
    List<Tensor> state = List.of(random(3, 5, 8), random(4, 5, 8));
    try (ParallelModel parallel = ParallelModel.of(new UnrolledTinyStack(1), 2)) {
      assertArrayEquals(one.predict(x, state, null).data(), parallel.predict(x, state, null).data());
      Tensor dOut = random(5, 5, 1);
      Gradients g1 = one.gradients(x, state, dOut, null);
      Gradients gp = parallel.gradients(x, state, dOut, null);
      assertArrayEquals(g1.initialState().get(0).data(), gp.initialState().get(0).data());
      assertArrayEquals(g1.initialState().get(1).data(), gp.initialState().get(1).data());
    }
  }

  @Test
  void trainingGivesTheSameHistoryAndWeights() {
    Tensor[] d = MaskedTrainingTest.task(96, 1, 0.0);
    SequenceModel one = new UnrolledMaskedTagger(4);
    SequenceModel model = new UnrolledMaskedTagger(4);
    History h1 = Trainer.fit(one, d[0], d[1], MaskedTrainingTest.config());
    History hp;
    try (ParallelModel parallel = ParallelModel.of(model, 2)) {
      hp = Trainer.fit(parallel, d[0], d[1], MaskedTrainingTest.config());
    }
    assertEquals(h1.loss().size(), hp.loss().size());
    for (int e = 0; e < h1.loss().size(); e++) {
      assertEquals(h1.loss().get(e), hp.loss().get(e), 1e-9 * Math.abs(h1.loss().get(e)), "epoch " + e);
    }
    assertTrue(h1.loss().get(h1.loss().size() - 1) < 0.5 * h1.loss().get(0), "it trains: " + h1.loss());
    // the model given to ParallelModel.of is the one trained
    List<Tensor> w1 = one.getWeights();
    List<Tensor> wp = model.getWeights();
    for (int k = 0; k < w1.size(); k++) {
      assertArrayEquals(w1.get(k).data(), wp.get(k).data(), 1e-8, "weight " + k);
    }
  }

  @Test
  void mistakesAreNamed() {
    SequenceModel model = new UnrolledTinyStack(1);
    assertEquals("ParallelModel: threads must be at least 1, found 0",
        assertThrows(IllegalArgumentException.class, () -> ParallelModel.of(model, 0)).getMessage());
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> ParallelModel.of(model, 2, () -> new UnrolledMaskedTagger()));
    assertTrue(other.getMessage().contains("must be a new dev.unroll.examples.train.UnrolledTinyStack, found "
        + "dev.unroll.examples.train.UnrolledMaskedTagger"), other.getMessage());
    try (ParallelModel parallel = ParallelModel.of(model, 2)) {
      ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> parallel.predict(Tensor.zeros(4, 9, 2)));
      assertEquals("predict: x: expected shape (batch, 10, 2), found (4, 9, 2)", e.getMessage());
      assertThrows(IllegalStateException.class, () -> parallel.backward(Tensor.zeros(4, 1), null));
      // an instance's own check fails on every slice (h0 of 7 units, not 8); the failure reaches the caller,
      // and the threads go on serving
      List<Tensor> wrong = List.of(Tensor.zeros(4, 7), Tensor.zeros(4, 8));
      parallel.predict(random(8, 4, 10, 2)); // a good pass first: the failed call below must discard it
      ShapeMismatchException slice = assertThrows(ShapeMismatchException.class,
          () -> parallel.predict(Tensor.zeros(4, 10, 2), wrong, null));
      assertTrue(slice.getMessage().contains("h0"), slice.getMessage());
      // the slices that ran before the failure left no pass behind to backpropagate through
      assertThrows(IllegalStateException.class, () -> parallel.backward(Tensor.zeros(4, 1), null));
      Tensor x = random(9, 4, 10, 2);
      assertArrayEquals(model.predict(x).data(), parallel.predict(x).data());
      parallel.close();
      assertEquals("ParallelModel: closed",
          assertThrows(IllegalStateException.class, () -> parallel.predict(Tensor.zeros(4, 10, 2))).getMessage());
    }
  }

  @Test
  void theCallingThreadAllocatesNothingPerCall() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Tensor x = random(1, 16, 10, 2);
    Tensor out = Tensor.zeros(16, 1);
    Tensor dOut = random(2, 16, 1);
    try (ParallelModel parallel = ParallelModel.of(new UnrolledTinyStack(1), 2)) {
      Gradients g = null;
      for (int i = 0; i < 2000; i++) {
        parallel.predict(x, null, out);
        g = parallel.backward(dOut, g);
      }
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 1000; i++) {
        parallel.predict(x, null, out);
      }
      long predict = (threads.getCurrentThreadAllocatedBytes() - before) / 1000;
      before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 1000; i++) {
        g = parallel.backward(dOut, g);
      }
      long backward = (threads.getCurrentThreadAllocatedBytes() - before) / 1000;
      assertTrue(predict < 16 && backward < 16, "bytes allocated per predict: " + predict + ", backward: " + backward);
    }
  }
}
