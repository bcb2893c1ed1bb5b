package dev.scalableapi.deploy.support;

import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Kubernetes API server that Helm's {@code lookup} talks to while the chart is rendered: a fabric8 mock server.
 *
 * <p>helm-java renders like {@code helm install --dry-run}, which (unlike {@code helm template}) resolves
 * {@code lookup} against the cluster in the kubeconfig. Without one, Go's client falls back to localhost:8080,
 * the gateway's local port. So the test JVM's {@code KUBECONFIG} (set by surefire) names a file written here that
 * points at this mock, and the chart's Secret lookup gets a real answer: not found, or a Secret a test put there.
 */
public final class ApiServerStandIn {

    /** Held so the level sticks: the mock logs every request at INFO. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

    private static KubernetesMockServer server;

    private ApiServerStandIn() {
    }

    public static synchronized void ensureStarted() {
        if (server != null) {
            return;
        }
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank()) {
            throw new IllegalStateException("KUBECONFIG must name the stand-in's kubeconfig (set by surefire in "
                    + "deploy-tests/pom.xml): without it Helm's lookup would call localhost:8080");
        }
        MOCK_LOG.setLevel(Level.WARNING);
        server = new KubernetesMockServer(false);
        server.init();
        // Discovery of the core group, which lookup does before its GET (client-go adds its default timeout).
        for (String path : new String[] {"/api/v1", "/api/v1?timeout=32s"}) {
            server.expect().get().withPath(path).andReturn(200, new APIResourceListBuilder()
                    .withGroupVersion("v1")
                    .addToResources(new APIResourceBuilder().withName("secrets").withSingularName("secret")
                            .withKind("Secret").withNamespaced(true)
                            .withVerbs("create", "delete", "get", "list", "patch", "update", "watch").build())
                    .build()).always();
        }
        writeKubeconfig(Path.of(kubeconfig), "http://" + server.getHostName() + ":" + server.getPort());
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
    }

    /**
     * Makes the next {@code lookup "v1" "Secret" namespace name} find this Secret, as in an upgrade. Any other
     * request gets the mock's 404, which Helm's lookup reads as "not there".
     */
    public static synchronized void serve(Secret secret) {
        serve(secret, 1);
    }

    /** As {@link #serve(Secret)}, for the next {@code lookups} lookups of it (one render may look it up repeatedly). */
    public static synchronized void serve(Secret secret, int lookups) {
        ensureStarted();
        server.expect().get().withPath(secretPath(secret.getMetadata().getNamespace(), secret.getMetadata().getName()))
                .andReturn(200, secret).times(lookups);
    }

    private static String secretPath(String namespace, String name) {
        return "/api/v1/namespaces/" + namespace + "/secrets/" + name;
    }

    private static void writeKubeconfig(Path file, String serverUrl) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: stand-in
                        cluster:
                          server: %s
                    contexts:
                      - name: stand-in
                        context:
                          cluster: stand-in
                          user: stand-in
                          namespace: default
                    current-context: stand-in
                    users:
                      - name: stand-in
                        user:
                          token: stand-in
                    """.formatted(serverUrl));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
