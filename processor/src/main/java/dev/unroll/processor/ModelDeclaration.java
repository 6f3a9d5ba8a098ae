package dev.unroll.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * A model type and its layer annotations in declaration order, repeated ones unwrapped from their
 * containers ({@code @Lstm.List}, {@code @Dense.List}) and each matched with its own source tree.
 */
final class ModelDeclaration {
  static final String LSTM = "dev.unroll.Lstm";
  static final String LSTM_LIST = "dev.unroll.Lstm.List";
  static final String DENSE = "dev.unroll.Dense";
  static final String DENSE_LIST = "dev.unroll.Dense.List";
  static final String FLOAT32 = "dev.unroll.Float32";

  final TypeElement type;
  final List<Declaration> lstms = new ArrayList<>();
  final List<Declaration> denses = new ArrayList<>();
  final boolean float32;
  /** The {@code @Float32} mirror, if any, for messages. */
  final AnnotationMirror float32Mirror;

  ModelDeclaration(TypeElement type, ProcessingEnvironment env) {
    this.type = type;
    Elements elements = env.getElementUtils();
    AnnotationMirror f32 = null;
    for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
      String name = mirror.getAnnotationType().toString();
      switch (name) {
        case LSTM:
          lstms.add(new Declaration(type, mirror, "@Lstm", elements));
          break;
        case DENSE:
          denses.add(new Declaration(type, mirror, "@Dense", elements));
          break;
        case LSTM_LIST:
          contained(mirror).forEach(m -> lstms.add(new Declaration(type, m, "@Lstm", elements)));
          break;
        case DENSE_LIST:
          contained(mirror).forEach(m -> denses.add(new Declaration(type, m, "@Dense", elements)));
          break;
        case FLOAT32:
          f32 = mirror;
          break;
        default:
          break;
      }
    }
    this.float32 = f32 != null;
    this.float32Mirror = f32;
    locate(env);
  }

  /** The annotation type-level messages go on: the first @Lstm, else the first @Dense. */
  Declaration primary() {
    return !lstms.isEmpty() ? lstms.get(0) : denses.isEmpty() ? null : denses.get(0);
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
   * Matches each declaration with its annotation tree, in source order. Without the compiler's
   * tree API (another compiler, or a wrapped processing environment), messages fall back to the
   * annotation mirror.
   */
  private void locate(ProcessingEnvironment env) {
    Trees trees;
    try {
      trees = Trees.instance(env);
    } catch (RuntimeException | LinkageError e) {
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
    for (AnnotationTree tree : classTree.getModifiers().getAnnotations()) {
      Element e = trees.getElement(new TreePath(new TreePath(modifiers, tree), tree.getAnnotationType()));
      String name = e instanceof TypeElement ? ((TypeElement) e).getQualifiedName().toString() : "";
      if (name.equals(LSTM)) {
        lstmTrees.add(tree);
      } else if (name.equals(DENSE)) {
        denseTrees.add(tree);
      }
    }
    if (lstmTrees.size() == lstms.size()) {
      for (int i = 0; i < lstms.size(); i++) {
        lstms.get(i).locate(trees, unit, lstmTrees.get(i));
      }
    }
    if (denseTrees.size() == denses.size()) {
      for (int i = 0; i < denses.size(); i++) {
        denses.get(i).locate(trees, unit, denseTrees.get(i));
      }
    }
  }
}
