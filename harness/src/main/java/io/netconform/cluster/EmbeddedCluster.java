package io.netconform.cluster;

import com.dajudge.kindcontainer.KindContainer;
import io.fabric8.kubernetes.client.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A throw-away cluster in Docker through Testcontainers: K3s (flannel + kube-router policies) or Kind. */
final class EmbeddedCluster {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedCluster.class);
    /** Override for registry mirrors and air-gapped machines. */
    static final String K3S_IMAGE_VARIABLE = "NETCONFORM_K3S_IMAGE";
    static final String DEFAULT_K3S_IMAGE = "rancher/k3s:v1.31.4-k3s1";

    private EmbeddedCluster() {
    }

    static Target start(String kind, Environment env, Duration connectTimeout) {
        quietTestcontainers();
        GenericContainer<?> container;
        String what;
        if ("k3s".equals(kind)) {
            String image = env.variables().getOrDefault(K3S_IMAGE_VARIABLE, DEFAULT_K3S_IMAGE);
            container = new K3sContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("rancher/k3s"));
            what = "embedded k3s (" + image + " in Docker)";
        } else {
            container = new KindContainer<>();
            what = "embedded kind (" + container.getDockerImageName() + " in Docker)";
        }
        try {
            LOG.info("Starting {}; this takes about a minute", what);
            container.start();
            String kubeconfig = container instanceof K3sContainer k3s
                    ? k3s.getKubeConfigYaml()
                    : ((KindContainer<?>) container).getKubeconfig();
            Config config = Targets.limitWaiting(Config.fromKubeconfig(null, kubeconfig, null),
                    new TargetOptions(null, null, kind, connectTimeout));
            String server = config.getMasterUrl().replaceAll("/$", "");
            return new Target(config, what + ", server " + server, kind, container::stop);
        } catch (RuntimeException e) {
            container.stop();
            throw new ClusterException("Could not start " + what + ": " + Secrets.rootMessage(e)
                    + ". Check `docker info` and that privileged containers are allowed.", e);
        }
    }

    /**
     * Asks Testcontainers whether a Docker engine answers, giving up after {@code limit}: its probe walks several
     * strategies and can take long on a machine with a stale socket.
     */
    static boolean dockerAvailable(Duration limit) {
        quietTestcontainers();
        FutureTask<Boolean> check = new FutureTask<>(() -> DockerClientFactory.instance().isDockerAvailable());
        Thread thread = new Thread(check, "netconform-docker-check");
        thread.setDaemon(true);
        thread.start();
        try {
            return check.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("No answer from a Docker engine within {} s; treating Docker as unavailable", limit.toSeconds());
            return false;
        } catch (ExecutionException e) {
            LOG.debug("Docker check failed", e.getCause());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Testcontainers logs every failed Docker strategy at ERROR; our own message says what is wrong. Only applies
     * under Logback and only where the user's configuration left the level unset.
     */
    private static void quietTestcontainers() {
        quiet("org.testcontainers", "WARN");
        quiet("org.testcontainers.dockerclient", "OFF");
    }

    private static void quiet(String loggerName, String levelName) {
        Object logger = LoggerFactory.getLogger(loggerName);
        if (!logger.getClass().getName().equals("ch.qos.logback.classic.Logger")) {
            return;
        }
        try {
            if (logger.getClass().getMethod("getLevel").invoke(logger) != null) {
                return;
            }
            Class<?> level = Class.forName("ch.qos.logback.classic.Level", true, logger.getClass().getClassLoader());
            Method setLevel = logger.getClass().getMethod("setLevel", level);
            setLevel.invoke(logger, level.getField(levelName).get(null));
        } catch (ReflectiveOperationException e) {
            LOG.debug("could not lower the log level of {}", loggerName, e);
        }
    }
}
