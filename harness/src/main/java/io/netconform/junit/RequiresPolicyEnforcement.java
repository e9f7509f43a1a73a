package io.netconform.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The test checks NetworkPolicy behaviour. On a CNI that does not enforce policies it is skipped as
 * "not supported by this CNI" (decided once per run), unless the run requires enforcement
 * ({@code --require-policy}), in which case it fails with the reason.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresPolicyEnforcement {
}
