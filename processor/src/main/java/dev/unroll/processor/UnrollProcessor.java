package dev.unroll.processor;

import com.google.auto.service.AutoService;
import dev.unroll.processor.diagram.ModelDiagram;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.model.Plan;
import dev.unroll.processor.model.Planner;
import dev.unroll.processor.model.Summary;
import dev.unroll.processor.writer.ModelWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * The adapter between javac and Unroll: finds each {@code @Lstm} type, validates it, plans and
 * writes its {@code Unrolled<Type>} class. Never crashes javac: an unexpected exception becomes an
 * error on the element being processed, and processing goes on with the next one.
 *
 * <p>Options: {@code -Aunroll.summary=true} prints each model's summary as a NOTE;
 * {@code -Aunroll.maxUnrolledSteps=N} (default {@value Planner#DEFAULT_MAX_UNROLLED_STEPS}) is the
 * longest sequence whose time loop is written out step by step; {@code -Aunroll.diagrams=false} stops
 * the picture of each model, {@code Unrolled<Type>.svg}, that is otherwise written beside its class.
 */
@AutoService(Processor.class)
public final class UnrollProcessor extends AbstractProcessor {
  static final String OPTION_SUMMARY = "unroll.summary";
  static final String OPTION_MAX_UNROLLED_STEPS = "unroll.maxUnrolledSteps";
  static final String OPTION_DIAGRAMS = "unroll.diagrams";

  /** Generated names claimed so far in this compilation, with the type that claimed each. */
  private final Map<String, String> claimed = new HashMap<>();
  private boolean printSummary;
  private boolean diagrams;
  private Planner planner;
  private boolean optionsValid;

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return new LinkedHashSet<>(List.of(ModelDeclaration.LSTM, ModelDeclaration.LSTM_LIST, ModelDeclaration.DENSE,
        ModelDeclaration.DENSE_LIST, ModelDeclaration.FLOAT32, ModelDeclaration.INPUT, ModelDeclaration.GRU,
        ModelDeclaration.GRU_LIST, ModelDeclaration.BIDIRECTIONAL));
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(OPTION_SUMMARY, OPTION_MAX_UNROLLED_STEPS, OPTION_DIAGRAMS);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    optionsValid = true;
    // javac gives a null value for -Akey and -Akey=: present without a value, which is invalid too
    String summary = env.getOptions().get(OPTION_SUMMARY);
    if (env.getOptions().containsKey(OPTION_SUMMARY) && !"true".equals(summary) && !"false".equals(summary)) {
      optionError(Messages.badOption(OPTION_SUMMARY, summary, "true or false"));
    }
    printSummary = "true".equals(summary);
    String diagram = env.getOptions().get(OPTION_DIAGRAMS);
    if (env.getOptions().containsKey(OPTION_DIAGRAMS) && !"true".equals(diagram) && !"false".equals(diagram)) {
      optionError(Messages.badOption(OPTION_DIAGRAMS, diagram, "true or false (default true: write Unrolled<Type>.svg "
          + "beside each generated class)"));
    }
    diagrams = !"false".equals(diagram);
    int maxSteps = Planner.DEFAULT_MAX_UNROLLED_STEPS;
    String steps = env.getOptions().get(OPTION_MAX_UNROLLED_STEPS);
    if (env.getOptions().containsKey(OPTION_MAX_UNROLLED_STEPS)) {
      try {
        maxSteps = Integer.parseInt(steps == null ? "" : steps.trim());
        if (maxSteps < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        optionError(Messages.badOption(OPTION_MAX_UNROLLED_STEPS, steps,
            "a whole number of timesteps >= 0 (0 rolls every time loop)"));
        maxSteps = Planner.DEFAULT_MAX_UNROLLED_STEPS;
      }
    }
    planner = new Planner(maxSteps);
  }

  private void optionError(String message) {
    optionsValid = false;
    processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message);
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (!optionsValid) {
      return true;
    }
    Set<Element> models = new LinkedHashSet<>();
    for (String name : getSupportedAnnotationTypes()) {
      TypeElement annotation = processingEnv.getElementUtils().getTypeElement(name);
      if (annotation != null) {
        for (Element e : round.getElementsAnnotatedWith(annotation)) {
          // a layer method of the member form stands for its type
          models.add(e instanceof TypeElement ? e : e.getEnclosingElement());
        }
      }
    }
    for (Element element : models) {
      if (!(element instanceof TypeElement)) {
        continue; // a layer annotation on a method of something that is not a type: javac refuses it
      }
      try {
        process((TypeElement) element);
      } catch (Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
            Messages.unexpected(element.getSimpleName().toString(), trace.toString()), element);
      }
    }
    // These annotations are Unroll's alone: claiming them keeps -Xlint:processing quiet for -Werror builds.
    return true;
  }

  private void process(TypeElement type) throws Exception {
    ModelDeclaration declaration = new ModelDeclaration(type, processingEnv);
    Optional<ModelSpec> spec = new Validator(processingEnv, claimed).validate(declaration);
    if (spec.isEmpty()) {
      return;
    }
    ModelSpec model = spec.get();
    Plan plan = planner.plan(model);
    boolean generated = processingEnv.getElementUtils().getTypeElement("javax.annotation.processing.Generated") != null;
    boolean picture = diagrams;
    String text = new ModelWriter(model, plan, generated).picture(picture).source();
    String name = Validator.qualified(model.packageName(), model.generatedSimpleName());
    JavaFileObject source = processingEnv.getFiler().createSourceFile(name, type);
    try (Writer writer = source.openWriter()) {
      writer.write(text);
    }
    if (picture) {
      FileObject svg = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, model.packageName(),
          model.generatedSimpleName() + ".svg", type);
      try (Writer writer = svg.openWriter()) {
        writer.write(ModelDiagram.svg(model));
      }
    }
    for (Plan.LayerPlan layer : plan.layers()) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE,
          "Unroll: " + model.generatedSimpleName() + ", layer " + layer.layer().name() + ": " + layer.note(model.float32()), type);
    }
    if (printSummary) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE,
          "Unroll: " + model.generatedSimpleName() + "\n" + Summary.of(model), type);
    }
  }
}
