package dev.unroll.processor.writer;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the Javadoc of a nested layer class's fields into one table at the end of the class's
 * Javadoc: a field then costs one line of the table instead of a Javadoc block of three or more,
 * and the reader sees every weight and buffer, with its shape and meaning, in one place, beside the
 * layout the class Javadoc states.
 */
final class FieldDocs {
  private FieldDocs() {}

  /** {@code type} with its fields' Javadoc in a table of its own Javadoc; unchanged when no field has any. */
  static TypeSpec tabulate(TypeSpec type) {
    if (!type.staticBlock().isEmpty() || !type.initializerBlock().isEmpty()) {
      return type;
    }
    List<FieldSpec> fields = new ArrayList<>();
    List<String[]> rows = new ArrayList<>();
    int width = 0;
    for (FieldSpec f : type.fieldSpecs()) {
      String doc = f.javadoc().toString().strip();
      // a Javadoc that names a type ($T) would lose its import in a table of plain text: keep it on the field
      if (doc.isEmpty() || doc.contains("dev.unroll.") || doc.contains("java.")) {
        fields.add(f);
        continue;
      }
      rows.add(new String[] {f.name(), doc});
      width = Math.max(width, f.name().length());
      fields.add(FieldSpec.builder(f.type(), f.name(), f.modifiers().toArray(new javax.lang.model.element.Modifier[0]))
          .addAnnotations(f.annotations())
          .initializer(f.initializer())
          .build());
    }
    if (rows.isEmpty()) {
      return type;
    }
    StringBuilder table = new StringBuilder("\n<p>Its fields:\n<pre>\n");
    String indent = " ".repeat(width + 2);
    for (String[] row : rows) {
      String[] lines = row[1].split("\n");
      table.append(row[0]).append(" ".repeat(width + 2 - row[0].length())).append(lines[0]).append('\n');
      for (int i = 1; i < lines.length; i++) {
        table.append(indent).append(lines[i].strip()).append('\n');
      }
    }
    table.append("</pre>\n");
    TypeSpec.Builder b = TypeSpec.classBuilder(type.name())
        .addModifiers(type.modifiers().toArray(new javax.lang.model.element.Modifier[0]))
        .addJavadoc(type.javadoc())
        .addJavadoc(CodeBlock.of("$L", table.toString()))
        .addAnnotations(type.annotations())
        .addTypeVariables(type.typeVariables())
        .addSuperinterfaces(type.superinterfaces())
        .addFields(fields)
        .addMethods(type.methodSpecs())
        .addTypes(type.typeSpecs());
    if (!type.superclass().equals(ClassName.OBJECT)) {
      b.superclass(type.superclass());
    }
    return b.build();
  }
}
