package io.netconform.cli;

import io.netconform.cluster.Images;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which images the test pods use; shared by every command that starts pods. */
final class ImageOptions {

    @Option(names = "--image-registry", paramLabel = "PREFIX",
            description = "Registry mirror prefix for every test image, e.g. registry.local:5000/mirror.")
    String imageRegistry;

    @Option(names = "--netshoot-image", paramLabel = "IMAGE", description = "Client/server image (default ${DEFAULT-VALUE}).",
            defaultValue = Images.NETSHOOT)
    String netshootImage;

    @Option(names = "--nginx-image", paramLabel = "IMAGE", description = "HTTP server image (default ${DEFAULT-VALUE}).",
            defaultValue = Images.NGINX)
    String nginxImage;

    @Option(names = "--busybox-image", paramLabel = "IMAGE", description = "Minimal client image (default ${DEFAULT-VALUE}).",
            defaultValue = Images.BUSYBOX)
    String busyboxImage;

    @Option(names = "--image-pull-secret", split = ",", paramLabel = "NAME",
            description = "imagePullSecrets for the test pods (the secret must exist in each test namespace's scope; see README).")
    List<String> pullSecrets = new ArrayList<>();

    /** Only overrides that differ from the pinned defaults, so --image-registry still applies to the rest. */
    Map<String, String> overrides() {
        Map<String, String> images = new LinkedHashMap<>();
        if (!netshootImage.equals(Images.NETSHOOT)) {
            images.put("netshoot", netshootImage);
        }
        if (!nginxImage.equals(Images.NGINX)) {
            images.put("nginx", nginxImage);
        }
        if (!busyboxImage.equals(Images.BUSYBOX)) {
            images.put("busybox", busyboxImage);
        }
        return images;
    }
}
