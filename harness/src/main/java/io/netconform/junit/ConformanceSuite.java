package io.netconform.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a conformance suite: its tests receive a {@link Scenario} parameter bound to the run's cluster,
 * and everything they create is removed when they end.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ConformanceExtension.class)
public @interface ConformanceSuite {
}
