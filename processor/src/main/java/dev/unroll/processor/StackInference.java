package dev.unroll.processor;

import dev.unroll.Activation;
import dev.unroll.MergeMode;
import dev.unroll.processor.model.BidirectionalLayer;
import dev.unroll.processor.model.DenseLayer;
import dev.unroll.processor.model.GruLayer;
import dev.unroll.processor.model.Layer;
import dev.unroll.processor.model.LstmLayer;
import dev.unroll.processor.model.MaskingLayer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of a model's layers, in stack order: the first {@code @Lstm} fixes timesteps and
 * features, each later layer infers its input from the one before (and may state it only if it
 * agrees); an {@code @Lstm} that feeds another must return sequences, only the last layer may return
 * its state, a Dense after sequences applies per timestep; then each layer's own attributes and its
 * sizes against {@link Limits}.
 */
final class StackInference {
  private final Report report;
  /** The member form's {@code @Input}, or null in the type-level form. */
  private Declaration input;

  StackInference(Report report) {
    this.report = report;
  }

  /**
   * Whether the model has at most {@link Limits#MAX_LAYERS} layers; if not, reports it on the first
   * layer too many (in stack order: the @Lstm layers, then the @Dense layers).
   */
  boolean checkCount(ModelDeclaration m) {
    List<Declaration> recurrent = m.lstms.isEmpty() ? m.grus : m.lstms;
    int count = m.lstms.size() + m.grus.size() + m.denses.size() + m.maskings.size();
    if (count > Limits.MAX_LAYERS) {
      Declaration extra = m.memberForm() ? m.members.get(Math.min(m.members.size() - 1, Limits.MAX_LAYERS))
          : m.denses.isEmpty() || recurrent.size() > Limits.MAX_LAYERS
          ? recurrent.get(Math.min(recurrent.size() - 1, Limits.MAX_LAYERS))
          : m.denses.get(Limits.MAX_LAYERS - recurrent.size());
      report.error(extra, null, Messages.tooManyLayers(count));
      return false;
    }
    return true;
  }

  /**
   * Checks every layer, in stack order. A layer that has a problem does not stop the checks of the
   * layers after it: they infer what they can (the units of the layer before, the model's
   * timesteps) and skip the checks that need what could not be inferred.
   */
  List<Layer> checkLayers(ModelDeclaration m) {
    input = m.memberForm() ? m.input : null;
    if (input != null) {
      return checkMembers(m);
    }
    List<Layer> layers = new ArrayList<>();
    List<Declaration> recurrent = m.lstms.isEmpty() ? m.grus : m.lstms;
    Declaration first = recurrent.get(0);
    int timesteps = 0; // the model's, once known
    int width = 0; // the output width of the layer before, once known
    boolean sequences = false; // whether the layer before returns sequences
    for (int i = 0; i < recurrent.size(); i++) {
      Declaration d = recurrent.get(i);
      Declaration prev = i == 0 ? null : recurrent.get(i - 1);
      Declaration next = i + 1 < recurrent.size() ? recurrent.get(i + 1) : m.denses.isEmpty() ? null : m.denses.get(0);
      Layer layer = checkLstm(d, i, timesteps, width, prev, first, next);
      if (i == 0) {
        timesteps = input != null ? known(input, "timesteps") : known(d, "timesteps");
      }
      width = known(d, "units");
      sequences = !d.isErroneous("returnSequences") && d.booleanValue("returnSequences");
      if (layer != null) {
        layers.add(layer);
      }
    }
    for (int i = 0; i < m.denses.size(); i++) {
      Declaration d = m.denses.get(i);
      DenseLayer layer = checkDense(d, i, width, sequences ? timesteps : 0, sequences);
      width = known(d, "units");
      if (layer != null) {
        layers.add(layer);
      }
    }
    return layers;
  }

  /**
   * The member form: the layers in source order, LSTM and Dense in any order. Each takes the output
   * of the one before (the first, @Input's); an LSTM needs a sequence, so the layer before it must
   * keep the time axis: an LSTM that returns sequences, or a Dense applied per timestep.
   */
  private List<Layer> checkMembers(ModelDeclaration m) {
    List<Layer> layers = new ArrayList<>();
    int timesteps = known(input, "timesteps");
    int width = known(input, "features");
    boolean sequences = true; // the input is a sequence
    Declaration firstLstm = m.members.stream()
        .filter(x -> x.annotation.equals("@Lstm") || x.annotation.equals("@Gru")).findFirst().orElse(null);
    Declaration prev = null;
    Declaration lastLstm = null; // the LSTM whose output the layers since reach, for messages
    int lstmIndex = 0;
    int denseIndex = 0;
    for (int i = 0; i < m.members.size(); i++) {
      Declaration d = m.members.get(i);
      Declaration next = i + 1 < m.members.size() ? m.members.get(i + 1) : null;
      Layer layer;
      if (d.annotation.equals("@Masking")) {
        layer = checkMasking(d, m, i, timesteps, width);
      } else if (!d.annotation.equals("@Dense")) {
        if (!sequences && prev != null) {
          reportNotSequence(prev, lastLstm, d, timesteps, width);
        }
        layer = checkLstm(d, lstmIndex++, timesteps, width, prev, firstLstm, next);
        width = known(d, "units");
        if (d.bidirectional != null) {
          layer = wrap(d, layer);
          width = width > 0 && d.bidirectional.enumName("mergeMode").equals("CONCAT") ? 2 * width : width;
        }
        sequences = !d.isErroneous("returnSequences") && d.booleanValue("returnSequences");
        lastLstm = d;
      } else {
        layer = checkDense(d, denseIndex++, width, sequences ? timesteps : 0, sequences);
        width = known(d, "units");
      }
      if (layer != null) {
        layers.add(layer);
      }
      prev = d;
    }
    return layers;
  }

  /**
   * A {@code @Masking} layer: the first layer, the only one of its kind, with a finite mask value. Its
   * output is the model's input, so the layers after it infer their shapes as if it were not there.
   */
  private Layer checkMasking(Declaration d, ModelDeclaration m, int position, int timesteps, int features) {
    boolean before = report.begin();
    String method = d.method.getSimpleName().toString();
    if (m.maskings.indexOf(d) > 0) {
      report.error(d, null, Messages.twoMaskings(method, m.maskings.get(0).method.getSimpleName().toString()));
    } else if (position > 0) {
      report.error(d, null, Messages.maskingNotFirst(method, m.members.get(0).method.getSimpleName().toString()));
    }
    double value = d.doubleValue("maskValue");
    if (d.isErroneous("maskValue")) {
      report.fail();
    } else if (!Double.isFinite(value)) {
      report.error(d, "maskValue", Messages.maskValueNotFinite(value));
    }
    boolean ok = !report.failed() && timesteps > 0 && features > 0;
    report.end(before);
    return ok ? new MaskingLayer(d.layerName("masking"), timesteps, features, value) : null;
  }

  /**
   * {@code layer} (checked, or null) as the two directions of a Bidirectional layer named as its
   * method; returnState and goBackwards are refused inside it.
   */
  private Layer wrap(Declaration d, Layer layer) {
    boolean ok = true;
    for (String attribute : new String[] {"returnState", "goBackwards"}) {
      if (!d.isErroneous(attribute) && d.booleanValue(attribute)) {
        Report r = d.annotation.equals("@Gru") ? report.renaming("@Lstm", "@Gru") : report;
        r.error(d, attribute, Messages.bidirectionalOption(attribute));
        ok = false;
      }
    }
    if (layer == null || !ok) {
      return null;
    }
    String name = layer.name();
    Layer forward = layer instanceof LstmLayer l
        ? new LstmLayer(name + "_forward", l.units(), l.timesteps(), l.features(), l.activation(),
            l.recurrentActivation(), l.useBias(), l.unitForgetBias(), l.returnSequences(), false, false)
        : renamed((GruLayer) layer, name + "_forward");
    return new BidirectionalLayer(name, forward, MergeMode.valueOf(d.bidirectional.enumName("mergeMode")));
  }

  private static GruLayer renamed(GruLayer g, String name) {
    return new GruLayer(name, g.units(), g.timesteps(), g.features(), g.activation(), g.recurrentActivation(),
        g.useBias(), g.resetAfter(), g.returnSequences(), false, false);
  }

  /** An LSTM whose input has no time axis: on the LSTM before that returns only its last output. */
  private void reportNotSequence(Declaration prev, Declaration lastLstm, Declaration d, int timesteps, int width) {
    Declaration culprit = lastLstm != null ? lastLstm : prev;
    String sequence = "(batch, " + (timesteps > 0 ? timesteps : "timesteps") + ", "
        + (width > 0 ? width : "units") + ")";
    if (culprit == prev) {
      report.error(prev, "returnSequences", Messages.notSequences(prev.where(), d.where(), sequence));
    } else {
      report.error(culprit, "returnSequences", Messages.notSequencesThroughDense(culprit.where(), prev.where(),
          d.where(), sequence));
    }
  }

  /** The value of {@code attribute} if stated (or defaulted), evaluated and at least 1; else 0, unknown. */
  private static int known(Declaration d, String attribute) {
    return d.isErroneous(attribute) || d.intValue(attribute) < 1 ? 0 : d.intValue(attribute);
  }

  /**
   * @param modelTimesteps the timesteps the first @Lstm fixes, 0 if unknown
   * @param prevUnits the units of the @Lstm before, 0 if unknown (or if this is the first)
   */
  private Layer checkLstm(Declaration d, int index, int modelTimesteps, int prevUnits, Declaration prevDecl,
      Declaration first, Declaration next) {
    boolean gru = d.annotation.equals("@Gru");
    Report report = gru ? this.report.renaming("@Lstm", "@Gru") : this.report;
    boolean before = report.begin();
    long units = d.intValue("units");
    if (d.isErroneous("units")) {
      report.fail(); // javac has reported the value
    } else if (units < 1) {
      report.error(d, "units", Messages.units(units));
    }
    long timesteps = d.intValue("timesteps");
    long features = d.intValue("features");
    if (input != null) {
      // the member form: @Input fixes both, and no layer states them
      for (String attribute : new String[] {"timesteps", "features"}) {
        if (d.isStated(attribute)) {
          report.error(d, attribute, Messages.statedInMemberForm(attribute, d.intValue(attribute),
              input.intValue(attribute)));
        }
      }
      // the caller checked that the layer before returns a sequence
      timesteps = modelTimesteps;
      features = prevUnits;
    } else if (index == 0) {
      if (!d.isStated("timesteps")) {
        report.error(d, null, Messages.missingTimesteps());
      } else if (d.isErroneous("timesteps")) {
        report.fail();
      } else if (timesteps < 1) {
        report.error(d, "timesteps", Messages.timesteps(timesteps));
      }
      if (!d.isStated("features")) {
        report.error(d, null, Messages.missingFeatures());
      } else if (d.isErroneous("features")) {
        report.fail();
      } else if (features < 1) {
        report.error(d, "features", Messages.features(features));
      }
    } else {
      if (modelTimesteps > 0 && d.isStated("timesteps") && !d.isErroneous("timesteps")
          && timesteps != modelTimesteps) {
        report.error(d, "timesteps", Messages.disagrees("timesteps", timesteps, modelTimesteps,
            "every layer sees the sequence length that the first @Lstm (" + first.where() + ") fixes"));
      }
      if (prevUnits > 0 && d.isStated("features") && !d.isErroneous("features") && features != prevUnits) {
        report.error(d, "features", Messages.disagrees("features", features, prevUnits,
            "its input is the output of the @Lstm " + prevDecl.where() + ", which has units = " + prevUnits));
      }
      if (!prevDecl.isErroneous("returnSequences") && !prevDecl.booleanValue("returnSequences")) {
        String sequence = "(batch, " + (modelTimesteps > 0 ? modelTimesteps : "timesteps") + ", "
            + (prevUnits > 0 ? prevUnits : "units") + ")";
        report.error(prevDecl, "returnSequences", Messages.notSequences(prevDecl.where(), d.where(), sequence));
      }
      timesteps = modelTimesteps;
      features = prevUnits;
    }
    for (String attribute : new String[] {"activation", "recurrentActivation"}) {
      if (!d.isErroneous(attribute) && d.activation(attribute) == Activation.SOFTMAX) {
        report.error(d, attribute, Messages.softmaxInLstm(attribute));
      }
    }
    boolean useBias = d.booleanValue("useBias");
    if (!gru && !d.isErroneous("useBias") && !useBias && d.isStated("unitForgetBias")
        && d.booleanValue("unitForgetBias")) {
      report.error(d, "unitForgetBias", Messages.forgetBiasWithoutBias());
    }
    if (d.booleanValue("returnState") && next != null) {
      report.error(d, "returnState", Messages.returnStateNotLast(next.annotation, next.where()));
    }
    if (d.hasErroneousValue()) {
      report.fail();
    }
    if (!report.failed() && timesteps > 0 && features > 0) {
      // exact: with units and features near Integer.MAX_VALUE these products overflow a long
      BigInteger u = BigInteger.valueOf(units);
      BigInteger t = BigInteger.valueOf(timesteps);
      BigInteger f = BigInteger.valueOf(features);
      BigInteger biasTerm = !useBias ? BigInteger.ZERO
          : gru && d.booleanValue("resetAfter") ? u.multiply(BigInteger.TWO) : u;
      BigInteger params = BigInteger.valueOf(gru ? 3 : 4).multiply(f.multiply(u).add(u.multiply(u)).add(biasTerm));
      if (Limits.exceeds(params, Limits.MAX_PARAMS)) {
        report.error(d, "units", gru ? Messages.gruTooManyParams(units, features, useBias, d.booleanValue("resetAfter"),
            params) : Messages.tooManyParams(units, features, useBias, params));
      }
      // the largest work buffer: z and its gradient, (T, 4U), or x and dx, (T, F); h and c, (T+1, U), are smaller
      BigInteger gates = t.multiply(u).multiply(BigInteger.valueOf(4));
      BigInteger inputs = t.multiply(f);
      BigInteger perSample = gates.max(inputs);
      if (Limits.exceeds(perSample, Limits.MAX_VALUES_PER_SAMPLE)) {
        report.error(index == 0 && input != null ? input : d, index == 0 ? "timesteps" : "units",
            Messages.bufferTooLarge(timesteps, units, features, perSample, inputs.compareTo(gates) > 0));
      }
    }
    boolean ok = !report.failed() && timesteps > 0 && features > 0;
    report.end(before);
    if (!ok) {
      return null;
    }
    if (gru) {
      return new GruLayer(d.layerName("gru"), (int) units, (int) timesteps, (int) features,
          d.activation("activation"), d.activation("recurrentActivation"), useBias, d.booleanValue("resetAfter"),
          d.booleanValue("returnSequences"), d.booleanValue("returnState"), d.booleanValue("goBackwards"));
    }
    return new LstmLayer(d.layerName("lstm"), (int) units, (int) timesteps, (int) features,
        d.activation("activation"), d.activation("recurrentActivation"), useBias,
        d.booleanValue("unitForgetBias"), d.booleanValue("returnSequences"), d.booleanValue("returnState"),
        d.booleanValue("goBackwards"));
  }

  /**
   * @param inputs the output width of the layer before, 0 if unknown
   * @param timesteps the timesteps of the sequence it applies to, 0 if unknown or if it applies to the
   *     last output only
   * @param perTimestep whether the layer before returns sequences
   */
  private DenseLayer checkDense(Declaration d, int index, int inputs, int timesteps, boolean perTimestep) {
    boolean before = report.begin();
    long units = d.intValue("units");
    if (d.isErroneous("units")) {
      report.fail();
    } else if (units < 1) {
      report.error(d, "units", Messages.denseUnits(units));
    }
    if (d.hasErroneousValue()) {
      report.fail();
    }
    if (!report.failed() && inputs > 0) {
      BigInteger params = BigInteger.valueOf(inputs).multiply(BigInteger.valueOf(units))
          .add(d.booleanValue("useBias") ? BigInteger.valueOf(units) : BigInteger.ZERO);
      if (Limits.exceeds(params, Limits.MAX_PARAMS)) {
        report.error(d, "units", Messages.denseTooLarge(inputs, units, params));
      }
    }
    if (!report.failed() && perTimestep && timesteps > 0) {
      // the output and its gradient, (T, units) per sample
      BigInteger values = BigInteger.valueOf(timesteps).multiply(BigInteger.valueOf(units));
      if (Limits.exceeds(values, Limits.MAX_DENSE_VALUES_PER_SAMPLE)) {
        report.error(d, "units", Messages.denseBufferTooLarge(timesteps, units, values));
      }
    }
    if (!d.isErroneous("units") && units == 1 && !d.isErroneous("activation")
        && d.activation("activation") == Activation.SOFTMAX) {
      report.warning(d, "activation", Messages.softmaxOfOne());
    }
    boolean ok = !report.failed() && inputs > 0 && (!perTimestep || timesteps > 0);
    report.end(before);
    if (!ok) {
      return null;
    }
    return new DenseLayer(d.layerName("dense"), (int) units, inputs, timesteps,
        d.activation("activation"), d.booleanValue("useBias"));
  }
}
