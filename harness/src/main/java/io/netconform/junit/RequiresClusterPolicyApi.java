package io.netconform.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The test creates cluster-scoped policies of these kinds ({@code ClusterNetworkPolicy}, {@code AdminNetworkPolicy},
 * {@code BaselineAdminNetworkPolicy}). Where the API server does not serve one (no CRD) the test is skipped with
 * "ClusterNetworkPolicy API not installed …", where the credentials lack the optional grant with that grant — checked
 * once per run, before NetworkPolicy enforcement, since without the API there is nothing to enforce.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiresClusterPolicyApi {
    String[] value();
}
