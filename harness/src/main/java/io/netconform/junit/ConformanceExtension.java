package io.netconform.junit;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import io.netconform.cluster.RunClusterPolicies;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Binds suites to a {@link Run}: finds the run the CLI started (or starts one from configuration parameters),
 * resolves a {@link Scenario} per test, and checks each test's {@link Requires declared capabilities} before it runs
 * (a missing one skips it with the reason; NetworkPolicy with {@code --require-policy} fails it).
 *
 * <p>State lives in JUnit's stores: the run in the root store (closed after the last suite when this extension
 * started it), each scenario in its test's store (closed when the test ends — passed, failed or thrown: its own
 * namespaces deleted, shared deployments put back), and the deployments a suite class's cases share in the class's
 * store (deleted when the class ends).
 */
public final class ConformanceExtension implements ParameterResolver, BeforeAllCallback, BeforeEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ConformanceExtension.class);
    /** How many suites may run at once ({@code netconform run --parallel-suites}); absent: as JUnit runs them. */
    public static final String PARALLEL_SUITES = RunConfig.PREFIX + "parallel-suites";

    /** A suite's place at the {@link SuiteGate}, given back when JUnit closes the class's store (however it ends). */
    private record Admission(SuiteGate gate) implements AutoCloseable {
        @Override
        public void close() {
            gate.leave();
        }
    }

    /** Keeps a run the extension started itself, so JUnit closes it when the whole execution ends. */
    private record OwnedRun(Run run, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                run.close();
            }
        }
    }

    static Run run(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent("run", key -> {
            RunConfig config = RunConfig.fromParameters(context::getConfigurationParameter);
            return Run.find(config.runId())
                    .map(r -> new OwnedRun(r, false))
                    .orElseGet(() -> new OwnedRun(Run.start(config, System.out::println), true));
        }, OwnedRun.class).run();
    }

    /** Waits for the suite's turn when suites run side by side, and says that it starts. */
    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        Optional<Integer> permits = context.getConfigurationParameter(PARALLEL_SUITES, Integer::parseInt);
        if (permits.isPresent()) {
            SuiteGate gate = context.getRoot().getStore(NS)
                    .getOrComputeIfAbsent("gate", key -> new SuiteGate(permits.get()), SuiteGate.class);
            int rank = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), Order.class)
                    .map(Order::value).orElse(Order.DEFAULT);
            gate.enter(rank, context.getDisplayName());
            context.getStore(NS).put("admission", new Admission(gate));
        }
        run(context).say("▸ " + context.getDisplayName());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Run run = run(context);
        run.failIfFatal();
        // before the enforcement check: a cluster that does not serve the kind needs no policy probe to say so
        java.util.Optional<RequiresClusterPolicyApi> api = context.getElement()
                .flatMap(e -> AnnotationSupport.findAnnotation(e, RequiresClusterPolicyApi.class))
                .or(() -> context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, RequiresClusterPolicyApi.class)));
        for (String kind : api.map(RequiresClusterPolicyApi::value).orElse(new String[0])) {
            RunClusterPolicies.Kind k = RunClusterPolicies.KINDS.stream().filter(x -> x.kind().equals(kind)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("@RequiresClusterPolicyApi: unknown kind " + kind));
            run.clusterPolicyUnavailable(k).ifPresent(reason -> {
                throw new TestAbortedException(reason);
            });
        }
        for (Capability capability : required(context.getTestClass(), context.getTestMethod())) {
            run.capabilities().require(capability);
        }
    }

    /** The class's {@link Requires} (also through composed annotations such as {@link PolicySuite}), then the method's. */
    static Set<Capability> required(Optional<Class<?>> testClass, Optional<Method> testMethod) {
        Set<Capability> needed = new LinkedHashSet<>();
        Stream.of(testClass, testMethod)
                .flatMap(Optional::stream)
                .map(AnnotatedElement.class::cast)
                .flatMap(e -> AnnotationSupport.findAnnotation(e, Requires.class).stream())
                .forEach(r -> needed.addAll(List.of(r.value())));
        return needed;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == Scenario.class || type == Run.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        Run run = run(context);
        if (parameterContext.getParameter().getType() == Run.class) {
            return run;
        }
        return context.getStore(NS).getOrComputeIfAbsent("scenario",
                key -> new Scenario(run, context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName(),
                        shared(context, run)),
                Scenario.class);
    }

    /**
     * The deployments the cases of one suite class share, kept in the class's store: JUnit closes them (deletes the
     * namespaces) when the class ends, passed, failed or aborted. Its scenarios are closed first, as test stores are.
     */
    static SharedDeployments shared(ExtensionContext context, Run run) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        String owner = context.getRequiredTestClass().getSimpleName();
        return classContext.getStore(NS).getOrComputeIfAbsent("shared-deployments",
                key -> new SharedDeployments(run, owner), SharedDeployments.class);
    }
}
