package io.netconform.junit;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A NetworkPolicy conformance suite: a {@link ConformanceSuite} tagged {@code policy} whose tests need
 * {@link Capability#NETWORK_POLICY} (skipped on a CNI that does not enforce it, failed with
 * {@code --require-policy}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ConformanceSuite
@Tag("policy")
@Requires(Capability.NETWORK_POLICY)
public @interface PolicySuite {
}
