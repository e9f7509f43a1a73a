package io.netconform.junit;

import io.netconform.policy.Topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployments of one suite class, reused by its cases that deploy the same topology: creating namespaces and
 * pods is what a policy case spends most of its time on, and only policies (and labels) differ between such cases.
 * A deployment is created on first use; between cases it is {@link Deployment#reset put back} (labels restored,
 * policies deleted), and the next case starts only once the API lists no NetworkPolicy in its namespaces. A
 * deployment that cannot be put back, or whose pods are no longer all ready, is deleted and the next case deploys
 * afresh. Closed (JUnit's class-level store)
 * when the class ends, however it ends; the namespaces are the run's, so the run's shutdown cleanup finds them too.
 */
final class SharedDeployments implements AutoCloseable {

    private final Run run;
    private final String owner;
    /** Deployed and put back, by the topology they were deployed for (without IPs). */
    private final Map<Topology, Deployment> idle = new LinkedHashMap<>();
    private final List<Deployment> all = new ArrayList<>();
    private int created;
    private int reused;

    /** @param owner the suite class, which the namespaces are labelled with ({@code netconform.io/test}) */
    SharedDeployments(Run run, String owner) {
        this.run = run;
        this.owner = owner;
    }

    /** A deployment of {@code wanted} for one case: an idle one, proven free of policies, or a new one. */
    synchronized Deployment acquire(Topology wanted) {
        Deployment deployment = idle.remove(wanted);
        List<String> notReady = deployment == null ? List.of() : deployment.notReady();
        if (!notReady.isEmpty()) {
            run.say("WARNING: " + owner + ": pods of the shared deployment are " + notReady
                    + "; deleting it, the next case deploys afresh");
            all.remove(deployment);
            deployment.close();
            deployment = null;
        }
        if (deployment == null) {
            deployment = Deployment.create(run, owner, wanted);
            all.add(deployment);
            created++;
            return deployment;
        }
        deployment.awaitNoPolicies();
        reused++;
        return deployment;
    }

    /** The case is over: put the deployment back for the next case with the same topology. */
    synchronized void release(Topology wanted, Deployment deployment) {
        try {
            deployment.reset();
            idle.putIfAbsent(wanted, deployment);
        } catch (RuntimeException e) {
            run.say("WARNING: could not reset the deployment of " + owner + " (" + e.getMessage()
                    + "); deleting it, the next case deploys its own");
            all.remove(deployment);
            deployment.close();
        }
    }

    /** Deployments created and reuses, for the run's log and tests. */
    synchronized int created() {
        return created;
    }

    synchronized int reused() {
        return reused;
    }

    @Override
    public synchronized void close() {
        idle.clear();
        all.forEach(Deployment::close);
        all.clear();
    }
}
