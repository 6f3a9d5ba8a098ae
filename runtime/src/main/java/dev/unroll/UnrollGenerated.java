package dev.unroll;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class written by the Unroll processor. Kept in class files (unlike
 * {@code javax.annotation.processing.Generated}) so that coverage tools can skip generated code and
 * the processor can tell its own output from a user's class of the same name.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface UnrollGenerated {}
