package dev.unroll.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * A model type and its layer annotations in declaration order, repeated ones unwrapped from their
 * containers ({@code @Lstm.List}, {@code @Dense.List}) and each matched with its own source tree.
 */
final class ModelDeclaration {
  static final String LSTM = "dev.unroll.Lstm";
  static final String LSTM_LIST = "dev.unroll.Lstm.List";
  static final String GRU = "dev.unroll.Gru";
  static final String GRU_LIST = "dev.unroll.Gru.List";
  static final String DENSE = "dev.unroll.Dense";
  static final String DENSE_LIST = "dev.unroll.Dense.List";
  static final String FLOAT32 = "dev.unroll.Float32";
  static final String INPUT = "dev.unroll.Input";
  static final String BIDIRECTIONAL = "dev.unroll.Bidirectional";
  static final String MASKING = "dev.unroll.Masking";

  final TypeElement type;
  final List<Declaration> lstms = new ArrayList<>();
  /** The {@code @Gru} layers, on the type or (member form) on methods. */
  final List<Declaration> grus = new ArrayList<>();
  final List<Declaration> denses = new ArrayList<>();
  /** The member form's {@code @Masking} layers (a valid model has at most one, first). */
  final List<Declaration> maskings = new ArrayList<>();
  final boolean float32;
  /** The {@code @Float32} mirror, if any, for messages. */
  final AnnotationMirror float32Mirror;
  /** A container written by hand and empty, {@code @Lstm.List({})}, if any, for messages. */
  AnnotationMirror emptyContainer;
  /** {@code @Input} on the type: the member form's input. */
  Declaration input;
  /** The member form's layer annotations, in source order (both kinds); also in {@link #lstms}, {@link #denses}. */
  final List<Declaration> members = new ArrayList<>();
  /** Layer annotations on the type, when the type also has layer methods or @Input: the two forms mixed. */
  final List<Declaration> typeLevel = new ArrayList<>();
  /** A second layer annotation on a method that has one already, for messages. */
  final List<Declaration> extraOnMethod = new ArrayList<>();
  /** {@code @Bidirectional} on a method without a recurrent layer annotation, for messages. */
  final List<Declaration> strayBidirectional = new ArrayList<>();

  ModelDeclaration(TypeElement type, ProcessingEnvironment env) {
    this.type = type;
    Elements elements = env.getElementUtils();
    AnnotationMirror f32 = null;
    for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
      String name = mirror.getAnnotationType().toString();
      switch (name) {
        case LSTM:
          lstms.add(new Declaration(type, mirror, "@Lstm", lstms.size(), elements));
          break;
        case DENSE:
          denses.add(new Declaration(type, mirror, "@Dense", denses.size(), elements));
          break;
        case GRU:
          grus.add(new Declaration(type, mirror, "@Gru", grus.size(), elements));
          break;
        case GRU_LIST:
          unwrap(mirror, grus, "@Gru", elements);
          break;
        case LSTM_LIST:
          unwrap(mirror, lstms, "@Lstm", elements);
          break;
        case DENSE_LIST:
          unwrap(mirror, denses, "@Dense", elements);
          break;
        case FLOAT32:
          f32 = mirror;
          break;
        case INPUT:
          input = new Declaration(type, mirror, "@Input", 0, elements);
          break;
        default:
          break;
      }
    }
    this.float32 = f32 != null;
    this.float32Mirror = f32;
    locate(env);
    collectMembers(elements, env);
  }

  /** Whether the model is declared in the member form: {@code @Input}, or a layer annotation on a method. */
  boolean memberForm() {
    return input != null || !members.isEmpty() || !extraOnMethod.isEmpty() || !strayBidirectional.isEmpty();
  }

  /**
   * The member form: each method of the type (in source order, as javax.lang.model gives them) with
   * a layer annotation is one layer. The type's own layer annotations, if any, are then set aside in
   * {@link #typeLevel}, for the validator to refuse the mix.
   */
  private void collectMembers(Elements elements, ProcessingEnvironment env) {
    List<Declaration> lstmMembers = new ArrayList<>();
    List<Declaration> gruMembers = new ArrayList<>();
    List<Declaration> denseMembers = new ArrayList<>();
    Trees trees = trees(env);
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      Declaration onMethod = null;
      Declaration bidirectional = null;
      for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
        String name = mirror.getAnnotationType().toString();
        Declaration d;
        if (name.equals(BIDIRECTIONAL)) {
          bidirectional = new Declaration(type, method, mirror, "@Bidirectional", 0, elements);
          locateMember(trees, method, mirror, bidirectional);
          continue;
        }
        if (name.equals(LSTM)) {
          d = new Declaration(type, method, mirror, "@Lstm", lstmMembers.size(), elements);
        } else if (name.equals(DENSE)) {
          d = new Declaration(type, method, mirror, "@Dense", denseMembers.size(), elements);
        } else if (name.equals(GRU)) {
          d = new Declaration(type, method, mirror, "@Gru", gruMembers.size(), elements);
        } else if (name.equals(MASKING)) {
          d = new Declaration(type, method, mirror, "@Masking", maskings.size(), elements);
        } else {
          continue;
        }
        locateMember(trees, method, mirror, d);
        if (onMethod != null) {
          extraOnMethod.add(d);
          continue;
        }
        onMethod = d;
        members.add(d);
        if (d.annotation.equals("@Masking")) {
          maskings.add(d);
          continue;
        }
        (d.annotation.equals("@Lstm") ? lstmMembers : d.annotation.equals("@Gru") ? gruMembers : denseMembers).add(d);
      }
      if (bidirectional != null) {
        if (onMethod == null) {
          strayBidirectional.add(bidirectional);
        } else {
          onMethod.bidirectional = bidirectional;
        }
      }
    }
    if (!memberForm()) {
      return;
    }
    typeLevel.addAll(lstms);
    typeLevel.addAll(grus);
    typeLevel.addAll(denses);
    lstms.clear();
    grus.clear();
    denses.clear();
    lstms.addAll(lstmMembers);
    grus.addAll(gruMembers);
    denses.addAll(denseMembers);
  }

  /** Attaches the source tree of {@code mirror} on {@code method}, matched by annotation type and order. */
  private static void locateMember(Trees trees, ExecutableElement method, AnnotationMirror mirror, Declaration d) {
    if (trees == null) {
      return;
    }
    TreePath path = trees.getPath(method);
    if (path == null || !(path.getLeaf() instanceof MethodTree)) {
      return;
    }
    MethodTree tree = (MethodTree) path.getLeaf();
    TreePath modifiers = new TreePath(path, tree.getModifiers());
    String wanted = mirror.getAnnotationType().toString();
    int nth = 0;
    for (AnnotationMirror m : method.getAnnotationMirrors()) {
      if (m == mirror) {
        break;
      }
      if (m.getAnnotationType().toString().equals(wanted)) {
        nth++;
      }
    }
    for (AnnotationTree annotation : tree.getModifiers().getAnnotations()) {
      if (name(trees, modifiers, annotation).equals(wanted) && nth-- == 0) {
        d.locate(trees, path.getCompilationUnit(), annotation);
        return;
      }
    }
  }

  /**
   * The annotation type-level messages go on: {@code @Input} in the member form, else the first
   * @Lstm, else the first @Dense.
   */
  Declaration primary() {
    if (input != null) {
      return input;
    }
    if (!lstms.isEmpty()) {
      return lstms.get(0);
    }
    if (!grus.isEmpty()) {
      return grus.get(0);
    }
    return denses.isEmpty() ? null : denses.get(0);
  }

  private void unwrap(AnnotationMirror container, List<Declaration> into, String annotation, Elements elements) {
    List<AnnotationMirror> contained = contained(container);
    if (contained.isEmpty() && emptyContainer == null) {
      emptyContainer = container;
    }
    for (AnnotationMirror m : contained) {
      into.add(new Declaration(type, m, annotation, into.size(), elements));
    }
  }

  private static List<AnnotationMirror> contained(AnnotationMirror container) {
    List<AnnotationMirror> out = new ArrayList<>();
    for (AnnotationValue v : container.getElementValues().values()) {
      Object value = v.getValue();
      if (value instanceof List) {
        for (Object item : (List<?>) value) {
          Object m = ((AnnotationValue) item).getValue();
          if (m instanceof AnnotationMirror) {
            out.add((AnnotationMirror) m);
          }
        }
      }
    }
    return out;
  }

  /**
   * Matches each declaration with its annotation tree, in source order: the {@code @Lstm} and
   * {@code @Dense} trees on the type, and those inside a container written by hand
   * ({@code @Lstm.List({...})}). Without the compiler's tree API (another compiler), messages fall
   * back to the annotation mirror.
   */
  private void locate(ProcessingEnvironment env) {
    Trees trees = trees(env);
    if (trees == null) {
      return;
    }
    TreePath path = trees.getPath(type);
    if (path == null || !(path.getLeaf() instanceof ClassTree)) {
      return;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    ClassTree classTree = (ClassTree) path.getLeaf();
    TreePath modifiers = new TreePath(path, classTree.getModifiers());
    List<AnnotationTree> lstmTrees = new ArrayList<>();
    List<AnnotationTree> denseTrees = new ArrayList<>();
    List<AnnotationTree> gruTrees = new ArrayList<>();
    for (AnnotationTree tree : classTree.getModifiers().getAnnotations()) {
      switch (name(trees, modifiers, tree)) {
        case LSTM:
          lstmTrees.add(tree);
          break;
        case DENSE:
          denseTrees.add(tree);
          break;
        case LSTM_LIST:
          lstmTrees.addAll(contained(tree));
          break;
        case DENSE_LIST:
          denseTrees.addAll(contained(tree));
          break;
        case GRU:
          gruTrees.add(tree);
          break;
        case GRU_LIST:
          gruTrees.addAll(contained(tree));
          break;
        case INPUT:
          if (input != null) {
            input.locate(trees, unit, tree);
          }
          break;
        default:
          break;
      }
    }
    if (lstmTrees.size() == lstms.size()) {
      for (int i = 0; i < lstms.size(); i++) {
        lstms.get(i).locate(trees, unit, lstmTrees.get(i));
      }
    }
    if (gruTrees.size() == grus.size()) {
      for (int i = 0; i < grus.size(); i++) {
        grus.get(i).locate(trees, unit, gruTrees.get(i));
      }
    }
    if (denseTrees.size() == denses.size()) {
      for (int i = 0; i < denses.size(); i++) {
        denses.get(i).locate(trees, unit, denseTrees.get(i));
      }
    }
  }

  private static String name(Trees trees, TreePath modifiers, AnnotationTree tree) {
    Element e = trees.getElement(new TreePath(new TreePath(modifiers, tree), tree.getAnnotationType()));
    return e instanceof TypeElement ? ((TypeElement) e).getQualifiedName().toString() : "";
  }

  /** The annotations in a container's value: {@code ({@Lstm(..), @Lstm(..)})} or {@code (@Lstm(..))}. */
  private static List<AnnotationTree> contained(AnnotationTree container) {
    List<AnnotationTree> out = new ArrayList<>();
    for (ExpressionTree argument : container.getArguments()) {
      ExpressionTree value = argument instanceof AssignmentTree ? ((AssignmentTree) argument).getExpression() : argument;
      if (value instanceof AnnotationTree) {
        out.add((AnnotationTree) value);
      } else if (value instanceof NewArrayTree && ((NewArrayTree) value).getInitializers() != null) {
        for (ExpressionTree item : ((NewArrayTree) value).getInitializers()) {
          if (item instanceof AnnotationTree) {
            out.add((AnnotationTree) item);
          }
        }
      }
    }
    return out;
  }

  /**
   * The compiler's tree API, or null without one. A build tool may wrap javac's environment (Gradle
   * does, for incremental processing), which {@link Trees#instance} refuses: then the wrapped one,
   * held in a field of the wrapper, is used.
   */
  static Trees trees(ProcessingEnvironment env) {
    for (int depth = 0; env != null && depth < 4; depth++) {
      try {
        return Trees.instance(env);
      } catch (IllegalArgumentException e) {
        env = wrapped(env);
      } catch (RuntimeException | LinkageError e) {
        return null;
      }
    }
    return null;
  }

  private static ProcessingEnvironment wrapped(ProcessingEnvironment env) {
    for (Class<?> c = env.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (ProcessingEnvironment.class.isAssignableFrom(field.getType())) {
          try {
            field.setAccessible(true);
            Object inner = field.get(env);
            return inner == env ? null : (ProcessingEnvironment) inner;
          } catch (RuntimeException | IllegalAccessException e) {
            return null;
          }
        }
      }
    }
    return null;
  }
}
