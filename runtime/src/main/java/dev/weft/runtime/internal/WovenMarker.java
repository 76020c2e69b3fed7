package dev.weft.runtime.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class the weaver has woven; written by the weaver only, never by hand.
 *
 * <p>It lives in the runtime because every program compiled against woven classes has the runtime on
 * its classpath (a woven method returns {@code Coroutine}), so javac can read the marker's elements
 * there instead of warning that their type is missing. The weaver leaves a class carrying the marker of
 * its own version as it is, and refuses one that another version wrote.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface WovenMarker {
    /**
     * The woven-code protocol the class was woven for.
     *
     * @return a version such as {@link Woven#PROTOCOL}
     */
    int protocol();

    /**
     * The version of the weaver that wove the class.
     *
     * @return a version such as {@code 0.1.0}
     */
    String weaver();
}
