package io.netconform.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The capabilities a suite or test needs. {@link ConformanceExtension} checks them before each test (class ones
 * first) and skips the test naming the first one missing and why, e.g.
 * {@code requires SCTP between pods: SCTP not supported by the kernel/CNI: ...}.
 * May sit on a composed annotation (see {@link PolicySuite}).
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Requires {
    Capability[] value();
}
