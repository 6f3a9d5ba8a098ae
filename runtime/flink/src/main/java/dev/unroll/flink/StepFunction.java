package dev.unroll.flink;

import dev.unroll.SequenceModel;
import dev.unroll.Stepper;
import dev.unroll.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Streaming inference keyed by stream: each key (a device, a user) is one stream of a generated
 * model's {@link Stepper}, advanced one step per event. The key's state, h and c of every LSTM layer
 * ({@link Stepper#state()}), lives in Flink keyed state, so it is checkpointed, rescaled with its key
 * and restored after a failure or from a savepoint; one stepper per parallel instance steps every
 * key, restoring the key's state before each step.
 *
 * <pre>{@code
 * DataStream<Reading> readings = ...;                          // one event per timestep of a device
 * DataStream<Forecast> forecasts = readings
 *     .keyBy(r -> r.deviceId)
 *     .process(new StepFunction<>(UnrolledForecaster::new, trainedModel,
 *         r -> r.features,                                     // double[3]: x_t of this device
 *         (r, step, y) -> new Forecast(r.deviceId, step, y[0]),
 *         TypeInformation.of(Forecast.class)));
 * }</pre>
 *
 * <p>What the job graph carries is the factory reference and the weights (copied from
 * {@code model} when the function is made); the generated class must be in the job jar. Each event
 * costs one state read, one step and one state write (an array of {@link Stepper#stateSize()}
 * doubles, plus the key's step count). The events of a key must arrive in order, which Flink keeps
 * from one source partition through {@code keyBy}.
 *
 * @param <K> the key
 * @param <IN> the events
 * @param <OUT> what is emitted for each event
 */
public final class StepFunction<K, IN, OUT> extends KeyedProcessFunction<K, IN, OUT>
    implements ResultTypeQueryable<OUT> {
  private static final long serialVersionUID = 1L;

  /** The name of the keyed state holding a stream's h and c. */
  public static final String STATE_NAME = "unroll-stepper-state";

  /** The name of the keyed state holding how many steps a stream has taken. */
  public static final String STEPS_NAME = "unroll-stepper-steps";

  /** A function that Flink can ship: a constructor reference of the generated class. */
  @FunctionalInterface
  public interface Factory extends Serializable {
    SequenceModel create();
  }

  /** The features of one event: x_t, {@code features} values. */
  @FunctionalInterface
  public interface Features<IN> extends Serializable {
    double[] of(IN event);
  }

  /** What to emit for an event, given the stream's step number (0 for its first event) and the output. */
  @FunctionalInterface
  public interface Emit<IN, OUT> extends Serializable {
    /**
     * @param output the model's output for this step; owned by the stepper and overwritten by the
     *     next step: copy it to keep it
     */
    OUT apply(IN event, long step, double[] output);
  }

  private final Factory factory;
  private final int[][] shapes;
  private final double[][] weights;
  private final Features<IN> features;
  private final Emit<IN, OUT> emit;
  private final TypeInformation<OUT> outputType;

  private transient Stepper stepper;
  private transient ValueState<double[]> state;
  private transient ValueState<Long> steps;

  /**
   * @param factory makes the model on each parallel instance, e.g. {@code UnrolledForecaster::new}
   * @param model a model of that class holding the weights to step with (copied now)
   * @param features the x_t of an event
   * @param emit what to emit for an event
   * @param outputType the type of what is emitted
   */
  public StepFunction(Factory factory, SequenceModel model, Features<IN> features, Emit<IN, OUT> emit,
      TypeInformation<OUT> outputType) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.features = Objects.requireNonNull(features, "features");
    this.emit = Objects.requireNonNull(emit, "emit");
    this.outputType = Objects.requireNonNull(outputType, "outputType");
    List<Tensor> w = model.getWeights();
    this.shapes = new int[w.size()][];
    this.weights = new double[w.size()][];
    for (int i = 0; i < w.size(); i++) {
      shapes[i] = w.get(i).shape();
      weights[i] = w.get(i).data().clone();
    }
    model.stepper(); // fails now, on the client, for a model that cannot be stepped (goBackwards)
  }

  @Override
  public void open(OpenContext context) {
    SequenceModel model = factory.create();
    List<Tensor> w = new ArrayList<>(weights.length);
    for (int i = 0; i < weights.length; i++) {
      w.add(Tensor.wrap(weights[i], shapes[i]));
    }
    model.setWeights(w);
    stepper = model.stepper();
    @SuppressWarnings("unchecked") // Types.PRIMITIVE_ARRAY(Types.DOUBLE) is the type information of double[]
    TypeInformation<double[]> arrays = (TypeInformation<double[]>) Types.PRIMITIVE_ARRAY(Types.DOUBLE);
    state = getRuntimeContext().getState(new ValueStateDescriptor<>(STATE_NAME, arrays));
    steps = getRuntimeContext().getState(new ValueStateDescriptor<>(STEPS_NAME, Types.LONG));
  }

  @Override
  public void processElement(IN event, Context ctx, Collector<OUT> out) throws Exception {
    double[] x = features.of(event);
    double[] saved = state.value();
    if (saved == null) {
      stepper.reset(); // the key's first event
    } else {
      stepper.restore(saved); // checks the length: a state saved by another model is refused
    }
    double[] y = stepper.step(x);
    state.update(stepper.state()); // a new array: the heap backend keeps the reference
    Long n = steps.value();
    long step = n == null ? 0 : n;
    steps.update(step + 1);
    out.collect(emit.apply(event, step, y));
  }

  @Override
  public TypeInformation<OUT> getProducedType() {
    return outputType;
  }
}
