/**
 * The shape checks: misuse of {@code @Async} and {@code await} found before anything is rewritten,
 * reported as build errors and warnings naming {@code File.java:line}. {@link
 * dev.weft.weaver.internal.check.ShapeChecker} runs one small check per concern over every method.
 */
package dev.weft.weaver.internal.check;
