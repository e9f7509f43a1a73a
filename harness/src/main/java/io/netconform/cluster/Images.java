package io.netconform.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The container images the test pods run, pinned here and nowhere else.
 *
 * <p>Air-gapped clusters pull through a mirror ({@link #withRegistry}) or from images they built
 * themselves ({@link #with}); an override for one image wins over the mirror whatever the order of
 * the calls, so "mirror everything but use our own netshoot" reads the way it is written.
 * Instances are immutable.
 */
public final class Images {

    public static final String NETSHOOT = "docker.io/nicolaka/netshoot:v0.13";
    public static final String NGINX = "docker.io/library/nginx:1.27";
    public static final String BUSYBOX = "docker.io/library/busybox:1.36";

    private static final String DOCKER_HUB = "docker.io/";
    private static final Map<String, String> PINNED = Map.of("netshoot", NETSHOOT, "nginx", NGINX, "busybox", BUSYBOX);
    private static final List<String> ROLES = List.of("netshoot", "nginx", "busybox");

    // The grammar of github.com/distribution/reference: [domain[:port]/]path[:tag][@digest].
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*(?::" + TAG + ")?(?:@" + DIGEST + ")?");
    private static final Pattern SECRET_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final String mirror;
    private final Map<String, String> overrides;
    private final List<String> pullSecrets;

    private Images(String mirror, Map<String, String> overrides, List<String> pullSecrets) {
        this.mirror = mirror;
        this.overrides = Map.copyOf(overrides);
        this.pullSecrets = List.copyOf(pullSecrets);
    }

    public static Images defaults() {
        return new Images(null, Map.of(), List.of());
    }

    /**
     * Pulls every pinned image through {@code mirrorPrefix} instead of Docker Hub, keeping the
     * repository path: {@code registry.local:5000/mirror} gives
     * {@code registry.local:5000/mirror/nicolaka/netshoot:v0.13} (the layout of Harbor and
     * registry:2 pull-through caches).
     */
    public Images withRegistry(String mirrorPrefix) {
        Objects.requireNonNull(mirrorPrefix, "mirrorPrefix");
        String prefix = mirrorPrefix.strip();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.isEmpty() || !REFERENCE.matcher(prefix + "/nicolaka/netshoot:v0.13").matches()) {
            throw new IllegalArgumentException("registry mirror '" + mirrorPrefix
                    + "' is not a registry host with an optional path, e.g. registry.local:5000/mirror");
        }
        return new Images(prefix, overrides, pullSecrets);
    }

    /** Replaces one image ({@code netshoot}, {@code nginx} or {@code busybox}); wins over the mirror. */
    public Images with(String role, String image) {
        String key = role == null ? "" : role.strip().toLowerCase(Locale.ROOT);
        if (!PINNED.containsKey(key)) {
            throw new IllegalArgumentException("unknown image role '" + role + "': expected one of " + ROLES);
        }
        requireReference(key, image);
        Map<String, String> next = new LinkedHashMap<>(overrides);
        next.put(key, image.strip());
        return new Images(mirror, next, pullSecrets);
    }

    /** Secrets (in each test namespace) the kubelet uses to pull from a private registry or mirror. */
    public Images withPullSecrets(List<String> secretNames) {
        Objects.requireNonNull(secretNames, "secretNames");
        for (String name : secretNames) {
            if (name == null || !SECRET_NAME.matcher(name).matches() || name.length() > 253) {
                throw new IllegalArgumentException("image pull secret name '" + name
                        + "' is not a valid Kubernetes object name (lowercase RFC 1123 subdomain)");
            }
        }
        return new Images(mirror, overrides, secretNames);
    }

    public String netshoot() {
        return resolve("netshoot");
    }

    public String nginx() {
        return resolve("nginx");
    }

    public String busybox() {
        return resolve("busybox");
    }

    public List<String> pullSecrets() {
        return pullSecrets;
    }

    /** Role to image, in a stable order, for reports and the CLI's "which images" line. */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String role : ROLES) {
            map.put(role, resolve(role));
        }
        return map;
    }

    private String resolve(String role) {
        String override = overrides.get(role);
        if (override != null) {
            return override;
        }
        String pinned = PINNED.get(role);
        return mirror == null ? pinned : mirror + "/" + pinned.substring(DOCKER_HUB.length());
    }

    private static void requireReference(String role, String image) {
        if (image == null || !REFERENCE.matcher(image.strip()).matches()) {
            throw new IllegalArgumentException("image for " + role + " '" + image
                    + "' is not a valid image reference ([registry[:port]/]path[:tag][@digest], lowercase path)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Images other && asMap().equals(other.asMap()) && pullSecrets.equals(other.pullSecrets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(asMap(), pullSecrets);
    }

    @Override
    public String toString() {
        return asMap() + (pullSecrets.isEmpty() ? "" : " pullSecrets=" + pullSecrets);
    }
}
