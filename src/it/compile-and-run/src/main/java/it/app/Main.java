package it.app;

import dev.unroll.Gradients;
import dev.unroll.SelfCheck;
import dev.unroll.SequenceModel;
import dev.unroll.Tensor;

public final class Main {
  public static void main(String[] args) {
    SequenceModel model = new UnrolledForecaster();
    // first: does the compiled class compute what was declared, on this JVM?
    SelfCheck check = model.selfCheck();
    System.out.println(check);
    check.orThrow();
    if (model.paramCount() != 4 * (3 * 32 + 32 * 32 + 32) || UnrolledForecaster.PARAM_COUNT != 4608) {
      throw new AssertionError("parameter count " + model.paramCount());
    }
    Tensor x = Tensor.zeros(2, 24, 3);
    for (int i = 0; i < x.size(); i++) {
      x.data()[i] = Math.sin(0.1 * i);
    }
    Tensor y = model.predict(x);
    if (!y.hasShape(2, 32)) {
      throw new AssertionError("output shape " + Tensor.format(y.shape()));
    }
    Gradients g = model.gradients(x, Tensor.zeros(2, 32));
    if (!g.input().hasShape(2, 24, 3) || g.weights().size() != 3) {
      throw new AssertionError("gradient shapes");
    }
    System.out.println("IT OK: UnrolledForecaster " + model.paramCount() + " params, output " + Tensor.format(y.shape()));
  }
}
