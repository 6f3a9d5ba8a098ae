package dev.unroll.examples;

import dev.unroll.Stepper;
import dev.unroll.Tensor;
import java.util.Locale;

/**
 * A stacked model ({@link Forecaster}: LSTM 32 → LSTM 16 → Dense 8 → Dense 1) on a batch, then a
 * streaming model ({@link Streaming}) stepped one timestep at a time, checked against predict.
 *
 * <p>Run: {@code mvn -B -q -pl examples exec:java -Dexec.mainClass=dev.unroll.examples.StackAndStream}
 */
public final class StackAndStream {
  private StackAndStream() {}

  public static void main(String[] args) {
    UnrolledForecaster forecaster = new UnrolledForecaster();
    System.out.print(forecaster.summary());
    Tensor x = Tensor.zeros(4, UnrolledForecaster.TIMESTEPS, UnrolledForecaster.FEATURES);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = Math.sin(0.05 * i);
    }
    Tensor y = forecaster.predict(x);
    System.out.println("predict " + Tensor.format(x.shape()) + " -> " + Tensor.format(y.shape()) + ": " + y);
    System.out.println();

    UnrolledStreaming streaming = new UnrolledStreaming();
    System.out.print(streaming.summary());
    int steps = UnrolledStreaming.TIMESTEPS;
    Tensor sequence = Tensor.zeros(1, steps, 1);
    for (int t = 0; t < steps; t++) {
      sequence.data()[t] = 10 * Math.sin(0.1 * Math.PI * t);
    }
    Tensor whole = streaming.predict(sequence);
    Stepper stepper = streaming.stepper();
    double worst = 0;
    for (int t = 0; t < steps; t++) {
      double[] out = stepper.step(new double[] {sequence.data()[t]});
      worst = Math.max(worst, Math.abs(out[0] - whole.data()[t]));
    }
    System.out.println(String.format(Locale.ROOT,
        "stepped %d timesteps one at a time: largest difference from predict %.3g", steps, worst));
  }
}
