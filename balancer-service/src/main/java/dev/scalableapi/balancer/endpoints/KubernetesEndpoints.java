package dev.scalableapi.balancer.endpoints;

import dev.scalableapi.balancer.health.HealthCheckConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

/**
 * Cluster discovery: the ready, non-terminating endpoints of the api Service's EndpointSlices
 * ({@code balancer.endpoints.mode=kubernetes}). Needs get, list and watch on {@code discovery.k8s.io}
 * endpointslices in the watched namespace.
 */
@ApplicationScoped
public class KubernetesEndpoints {

    private static final Logger LOG = Logger.getLogger(KubernetesEndpoints.class);

    private final EndpointsConfig config;
    private final HealthCheckConfig health;
    private final BackendPool pool;
    // Lazy: in static mode (local runs, tests) the client is never created, so nothing looks for a kubeconfig.
    private final Instance<KubernetesClient> client;
    private EndpointSliceWatcher watcher;
    private volatile boolean stopping;

    KubernetesEndpoints(EndpointsConfig config, HealthCheckConfig health, BackendPool pool,
            Instance<KubernetesClient> client) {
        this.health = health;
        this.config = config;
        this.pool = pool;
        this.client = client;
    }

    void start(@Observes StartupEvent event) {
        if (config.mode() != EndpointsConfig.Mode.KUBERNETES) {
            return;
        }
        KubernetesClient kubernetes = client.get();
        EndpointsConfig.Kubernetes k8s = config.kubernetes();
        // The client's namespace is the pod's own (service account file) unless quarkus.kubernetes-client says else.
        String namespace = k8s.namespace().filter(n -> !n.isBlank()).orElseGet(kubernetes::getNamespace);
        if (namespace == null) {
            throw new IllegalStateException("balancer.endpoints.mode=kubernetes: cannot tell the namespace; set "
                    + "balancer.endpoints.kubernetes.namespace (BALANCER_ENDPOINTS_KUBERNETES_NAMESPACE)");
        }
        watcher = new EndpointSliceWatcher(kubernetes, namespace, k8s.service(),
                new EndpointSliceAddresses.Ports(k8s.portName(), k8s.healthPortName(), health.port().orElse(0)), pool);
        // Do not block startup on the API server: readiness stays down until the first list arrives.
        watcher.start().whenComplete((ok, error) -> {
            if (error != null && !stopping) {
                LOG.errorf(error, "EndpointSlice discovery for %s/%s stopped", namespace, k8s.service());
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true; // closing an informer that never synced fails its start stage: not worth an error
        if (watcher != null) {
            watcher.close();
        }
    }
}
