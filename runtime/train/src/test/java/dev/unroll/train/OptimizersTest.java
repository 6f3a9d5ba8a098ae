package dev.unroll.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The first three steps of each optimizer against trajectories computed from Keras 3's update
 * formulas (keras/src/optimizers/{sgd,adam,rmsprop}.py, base_optimizer.py) by an independent
 * float64 script, not by this code:
 *
 * <pre>
 * w0 = [1.0, -2.0, 0.5]; gradients g1 = [0.1, -0.2, 0.3], g2 = [0.05, 0.4, -0.1], g3 = [-0.3, 0.1, 0.2]
 * SGD:     m = m*momentum - g*lr; w += m (Nesterov: w += m*momentum - g*lr); no momentum: w -= g*lr
 * Adam:    alpha = lr*sqrt(1-b2^t)/(1-b1^t); m += (g-m)*(1-b1); v += (g*g-v)*(1-b2); w -= m*alpha/(sqrt(v)+eps)
 * RMSprop: v = rho*v + (1-rho)*g*g; centered: a = rho*a + (1-rho)*g, den = v - a*a + eps, else den = v + eps;
 *          inc = lr*g/sqrt(den); momentum: mom = momentum*mom + inc, w -= mom; else w -= inc
 * </pre>
 */
class OptimizersTest {
  private static final double[] W0 = {1.0, -2.0, 0.5};
  private static final double[][] G = {{0.1, -0.2, 0.3}, {0.05, 0.4, -0.1}, {-0.3, 0.1, 0.2}};

  private static void assertTrajectory(Optimizer opt, double[][] gradients, double[][] expected) {
    Tensor w = Tensor.wrap(W0.clone(), 3);
    for (int step = 0; step < expected.length; step++) {
      Tensor g = Tensor.wrap(gradients[step].clone(), 3);
      opt.apply(List.of(g), List.of(w));
      assertArrayEquals(expected[step], w.data(), 1e-15, opt + ", step " + (step + 1));
      assertEquals(step + 1, opt.iterations());
    }
  }

  @Test
  void sgdDefaults() {
    SGD sgd = new SGD();
    assertEquals(0.01, sgd.learningRate());
    assertEquals(0.0, sgd.momentum());
    assertTrajectory(sgd, G, new double[][] {
      {0.999, -1.998, 0.497},
      {0.9985, -2.002, 0.498},
      {1.0015, -2.0029999999999997, 0.496},
    });
  }

  @Test
  void sgdMomentum() {
    assertTrajectory(new SGD().learningRate(0.1).momentum(0.9), G, new double[][] {
      {0.99, -1.98, 0.47},
      {0.976, -2.002, 0.45299999999999996},
      {0.9934, -2.0317999999999996, 0.41769999999999996},
    });
  }

  @Test
  void sgdNesterov() {
    assertTrajectory(new SGD().learningRate(0.1).momentum(0.9).nesterov(true), G, new double[][] {
      {0.981, -1.962, 0.443},
      {0.9634, -2.0218, 0.43770000000000003},
      {1.00906, -2.05862, 0.38593000000000005},
    });
  }

  @Test
  void adamDefaults() {
    Adam adam = new Adam();
    assertEquals(0.001, adam.learningRate());
    assertEquals(0.9, adam.beta1());
    assertEquals(0.999, adam.beta2());
    assertEquals(1e-7, adam.epsilon());
    assertTrajectory(adam, G, new double[][] {
      {0.9990000316217766, -1.9990000158111383, 0.49900001054081444},
      {0.9980678783587934, -1.9993661167491907, 0.4985997959728079},
      {0.9984150984357844, -1.9997817650791938, 0.4979967145817946},
    });
  }

  @Test
  void adamLearningRate() {
    assertTrajectory(new Adam().learningRate(0.1), G, new double[][] {
      {0.9000031621776634, -1.9000015811138304, 0.4000010540814424},
      {0.8067878358793408, -1.9366116749190676, 0.35997959728078616},
      {0.8415098435784331, -1.9781765079193814, 0.29967145817945545},
    });
  }

  @Test
  void adamAmsgradKeepsTheLargestSecondMoment() {
    double[][] decreasing = {{1.0, -1.0, 0.5}, {0.01, 0.01, 0.01}, {0.01, -0.01, 0.02}};
    assertTrajectory(new Adam().learningRate(0.1).amsgrad(true), decreasing, new double[][] {
      {0.900000316226766, -1.900000316226766, 0.40000063245153206},
      {0.8322840794197135, -1.833772348360528, 0.3315404776634059},
      {0.7793265994958323, -1.7819647292793848, 0.2760918245582822},
    });
    assertTrajectory(new Adam().learningRate(0.1), decreasing, new double[][] {
      {0.900000316226766, -1.900000316226766, 0.40000063245153206},
      {0.8322535866253747, -1.8337425257374933, 0.3315199305002158},
      {0.7792484045758781, -1.7818882402825575, 0.2760712773950921},
    });
  }

  @Test
  void rmspropDefaults() {
    RMSprop rms = new RMSprop();
    assertEquals(0.001, rms.learningRate());
    assertEquals(0.9, rms.rho());
    assertEquals(0.0, rms.momentum());
    assertEquals(1e-7, rms.epsilon());
    assertEquals(false, rms.centered());
    assertTrajectory(rms, G, new double[][] {
      {0.9968378804418571, -1.9968377618675612, 0.4968377399078944},
      {0.995363524981326, -1.9996948974361022, 0.497886018984857},
      {0.9983582738010217, -2.0004273438905242, 0.4960745689412596},
    });
  }

  @Test
  void rmspropMomentumCentered() {
    assertTrajectory(new RMSprop().learningRate(0.01).momentum(0.5).centered(true), G, new double[][] {
      {0.9666685183642119, -1.9666671296199847, 0.46666687242607835},
      {0.9338155282064623, -1.9789314878652544, 0.46065362771964524},
      {0.9477987669247239, -1.9925690977245296, 0.4385290362783321},
    });
  }

  @Test
  void rmspropKerasDocstringExample() {
    // keras.optimizers.RMSprop(learning_rate=0.1) minimising var1**2 / 2 from var1 = 10 gives 9.683772
    Tensor w = Tensor.wrap(new double[] {10.0}, 1);
    new RMSprop().learningRate(0.1).apply(List.of(Tensor.wrap(new double[] {10.0}, 1)), List.of(w));
    assertEquals(9.683772, w.data()[0], 5e-7);
  }

  @Test
  void clipnormClipsEachGradientToItsNorm() {
    Tensor a = Tensor.wrap(new double[] {3.0, 4.0}, 2); // norm 5
    Tensor b = Tensor.wrap(new double[] {0.5, -12.0}, 2); // norm 12.01...
    Tensor wa = Tensor.zeros(2);
    Tensor wb = Tensor.zeros(2);
    new SGD().learningRate(1.0).clipnorm(1.0).apply(List.of(a, b), List.of(wa, wb));
    assertArrayEquals(new double[] {-0.6, -0.8}, wa.data(), 1e-15);
    assertArrayEquals(new double[] {-0.04163054471218133, 0.999133073092352}, wb.data(), 1e-15);
  }

  @Test
  void clipnormLeavesSmallGradients() {
    Tensor a = Tensor.wrap(new double[] {3.0, 4.0}, 2);
    Tensor wa = Tensor.zeros(2);
    new SGD().learningRate(1.0).clipnorm(100.0).apply(List.of(a), List.of(wa));
    assertArrayEquals(new double[] {-3.0, -4.0}, wa.data(), 1e-15);
  }

  @Test
  void globalClipnormScalesAllGradientsTogether() {
    Tensor a = Tensor.wrap(new double[] {3.0, 4.0}, 2);
    Tensor b = Tensor.wrap(new double[] {0.5, -12.0}, 2);
    Tensor wa = Tensor.zeros(2);
    Tensor wb = Tensor.zeros(2);
    new SGD().learningRate(1.0).globalClipnorm(2.0).apply(List.of(a, b), List.of(wa, wb));
    // global norm sqrt(9 + 16 + 0.25 + 144) = 13.0096..., scale 2 / 13.0096...
    assertArrayEquals(new double[] {-0.4611974652144527, -0.6149299536192703}, wa.data(), 1e-15);
    assertArrayEquals(new double[] {-0.07686624420240878, 1.8447898608578108}, wb.data(), 1e-15);
  }

  @Test
  void clipvalueClipsEachValue() {
    Tensor a = Tensor.wrap(new double[] {3.0, -0.25, -7.0}, 3);
    Tensor w = Tensor.zeros(3);
    new SGD().learningRate(1.0).clipvalue(0.5).apply(List.of(a), List.of(w));
    assertArrayEquals(new double[] {-0.5, 0.25, 0.5}, w.data(), 0.0);
  }

  @Test
  void onlyOneClipSetting() {
    assertThrows(IllegalArgumentException.class, () -> new Adam().clipnorm(1.0).clipvalue(0.5));
    assertThrows(IllegalArgumentException.class, () -> new Adam().clipnorm(1.0).globalClipnorm(0.5));
    assertThrows(IllegalArgumentException.class, () -> new Adam().clipnorm(-1.0));
  }

  @Test
  void scheduleGivesTheRateOfEachStep() {
    // lr(step) = 0.1 * 0.5^step: steps 0, 1, 2 use 0.1, 0.05, 0.025
    LearningRateSchedule decay = LearningRateSchedule.exponentialDecay(0.1, 1, 0.5, false);
    assertEquals(0.1, decay.at(0), 1e-17);
    assertEquals(0.05, decay.at(1), 1e-17);
    SGD sgd = new SGD().learningRate(decay);
    Tensor w = Tensor.wrap(new double[] {1.0}, 1);
    for (int i = 0; i < 3; i++) {
      sgd.apply(List.of(Tensor.wrap(new double[] {1.0}, 1)), List.of(w));
    }
    assertEquals(1.0 - 0.1 - 0.05 - 0.025, w.data()[0], 1e-15);
    assertEquals(0.0125, sgd.learningRate(), 1e-17);
    LearningRateSchedule stairs = LearningRateSchedule.exponentialDecay(1.0, 10, 0.5, true);
    assertEquals(1.0, stairs.at(9));
    assertEquals(0.5, stairs.at(10));
  }

  @Test
  void stateIsBuiltForOneSetOfWeights() {
    Adam adam = new Adam();
    adam.apply(List.of(Tensor.zeros(3)), List.of(Tensor.zeros(3)));
    assertThrows(IllegalArgumentException.class, () -> adam.apply(List.of(Tensor.zeros(4)), List.of(Tensor.zeros(4))));
    adam.reset();
    assertEquals(0, adam.iterations());
    adam.apply(List.of(Tensor.zeros(4)), List.of(Tensor.zeros(4)));
  }

  @Test
  void anOptimizerServesOneModel() {
    Adam adam = new Adam();
    LinearModel a = new LinearModel(2, 1, 1, false, 1);
    LinearModel b = new LinearModel(2, 1, 1, false, 2);
    new BatchTrainer(a, new MeanSquaredError(), adam, 4, List.of());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new BatchTrainer(b, new MeanSquaredError(), adam, 4, List.of()));
    assertEquals(true, e.getMessage().contains("reset()"));
    adam.reset();
    new BatchTrainer(b, new MeanSquaredError(), adam, 4, List.of());
  }
}
