/**
 * Weft's weaver: rewrites {@code @Async} methods into state machines at build time, with ASM only
 * and without loading user classes.
 *
 * <p>{@link dev.weft.weaver.Weaver} weaves one class file, a directory or a jar;
 * {@link dev.weft.weaver.ClassHierarchy} answers type questions from the classpath;
 * {@link dev.weft.weaver.Diagnostic} carries the user's mistakes back as build errors and warnings.
 * Everything under {@code dev.weft.weaver.internal} may change without notice.
 */
package dev.weft.weaver;
