package dev.scalableapi.balancer.endpoints;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Keeps a {@link BackendPool} equal to the serving endpoints of one Service, from an informer on its EndpointSlices.
 * Not a CDI bean so tests can run it against a mock API server; {@link KubernetesEndpoints} wires it in the app.
 */
public final class EndpointSliceWatcher implements AutoCloseable {

    /** The label the EndpointSlice controller puts on every slice of a Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    /** A periodic full resync repairs anything a missed event could have left stale. */
    static final long RESYNC_MILLIS = 30_000;

    private static final Logger LOG = Logger.getLogger(EndpointSliceWatcher.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String service;
    private final EndpointSliceAddresses.Ports ports;
    private final BackendPool pool;
    private volatile SharedIndexInformer<EndpointSlice> informer;
    private List<BackendAddress> last;

    public EndpointSliceWatcher(KubernetesClient client, String namespace, String service,
            EndpointSliceAddresses.Ports ports, BackendPool pool) {
        this.client = client;
        this.namespace = namespace;
        this.service = service;
        this.ports = ports;
        this.pool = pool;
    }

    /**
     * Starts watching; the stage completes after the first list. The pool is filled then even if the Service has no
     * slice yet, so readiness reflects "discovery works" rather than "some pod exists".
     */
    public CompletionStage<Void> start() {
        informer = client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel(SERVICE_NAME_LABEL, service)
                .runnableInformer(RESYNC_MILLIS);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice slice) {
                refresh();
            }

            @Override
            public void onUpdate(EndpointSlice before, EndpointSlice after) {
                refresh();
            }

            @Override
            public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
                refresh();
            }
        });
        // By default an informer gives up if its first list fails (API server not reachable yet, RBAC being
        // applied): keep retrying with the informer's backoff, and stay unready meanwhile. The informer logs each
        // failure itself; only an unreadable object, which a retry cannot fix, stops it.
        informer.exceptionHandler((started, error) -> !ExceptionHandler.isDeserializationException(error));
        LOG.infof("Watching EndpointSlices of service %s in namespace %s (port %s)", service, namespace, ports.trafficName());
        return informer.start().thenRun(this::refresh);
    }

    /**
     * Recomputes from the informer's store, not from the event, so that add, update, delete and resync are one code
     * path and a slice's deletion needs no bookkeeping. Informer events arrive on one thread, one at a time.
     */
    synchronized void refresh() {
        List<BackendAddress> next = EndpointSliceAddresses.of(informer.getStore().list(), ports);
        if (!next.equals(last)) {
            LOG.infof("Service %s/%s endpoints: %s", namespace, service,
                    next.stream().map(BackendAddress::id).toList());
        }
        last = next;
        pool.replace(next);
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
