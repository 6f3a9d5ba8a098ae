package dev.unroll.spark;

import dev.unroll.SequenceModel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Executor side: one model instance per task thread and per job (a scoring or a training run), made
 * once by the job's factory and given new weights only when the job broadcasts new ones. A model is
 * single-threaded; Spark runs each task on one thread, and a thread runs one task at a time, so a
 * thread's model is never shared. Each thread keeps the models of its {@value #KEPT} most recent jobs.
 */
final class TaskModels {
  static final int KEPT = 4;

  /** A model of one job on this thread, the id of the weights it holds, and the job's work buffers. */
  static final class Entry {
    final SequenceModel model;
    long weightsId = -1;
    Object buffers;

    Entry(SequenceModel model) {
      this.model = model;
    }
  }

  private static final ThreadLocal<Map<String, Entry>> MODELS = ThreadLocal.withInitial(LinkedHashMap::new);

  private TaskModels() {}

  /**
   * This thread's model of job {@code job}, holding the weights of broadcast {@code weightsId}.
   *
   * @param weights reads the broadcast value; called only when this thread's model lacks those weights
   */
  static Entry get(String job, SerializableSupplier<? extends SequenceModel> factory, long weightsId,
      Function<Long, ModelWeights> weights) {
    Map<String, Entry> models = MODELS.get();
    Entry e = models.remove(job);
    if (e == null) {
      SequenceModel model = factory.get();
      if (model == null) {
        throw new IllegalStateException("the model factory of job " + job + " returned null");
      }
      e = new Entry(model);
      if (models.size() >= KEPT) {
        Iterator<String> oldest = models.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }
    models.put(job, e); // most recent last
    if (e.weightsId != weightsId) {
      weights.apply(weightsId).applyTo(e.model);
      e.weightsId = weightsId;
    }
    return e;
  }
}
