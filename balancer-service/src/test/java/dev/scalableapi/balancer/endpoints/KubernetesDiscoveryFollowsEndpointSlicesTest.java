package dev.scalableapi.balancer.endpoints;

import static dev.scalableapi.balancer.endpoints.EndpointSliceAddressesTest.endpoint;
import static dev.scalableapi.balancer.endpoints.EndpointSliceAddressesTest.port;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watcher against a fabric8 mock API server (CRUD mode): slices change, the pool follows. */
@EnableKubernetesMockClient(crud = true)
class KubernetesDiscoveryFollowsEndpointSlicesTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    static KubernetesClient client;

    private final BackendPool pool = new BackendPool();
    private EndpointSliceWatcher watcher;

    @AfterEach
    void stopWatching() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void poolFollowsScaleUpReadinessAndScaleDown() throws Exception {
        String ns = "scale";
        startWatching(ns);
        assertTrue(pool.initialised(), "an empty first list still initialises the pool");
        awaitPool();

        create(ns, slice("api-service-abc", "api-service", ready(1, 3)));
        awaitPool("10.0.0.1:3001", "10.0.0.2:3001", "10.0.0.3:3001");

        update(ns, slice("api-service-abc", "api-service", ready(1, 5)));
        awaitPool("10.0.0.1:3001", "10.0.0.2:3001", "10.0.0.3:3001", "10.0.0.4:3001", "10.0.0.5:3001");

        List<Endpoint> oneNotReady = ready(1, 5);
        oneNotReady.set(2, endpoint("10.0.0.3", false, false));
        update(ns, slice("api-service-abc", "api-service", oneNotReady));
        awaitPool("10.0.0.1:3001", "10.0.0.2:3001", "10.0.0.4:3001", "10.0.0.5:3001");

        update(ns, slice("api-service-abc", "api-service", ready(1, 2)));
        awaitPool("10.0.0.1:3001", "10.0.0.2:3001");
    }

    @Test
    void slicesOfTheServiceAreMergedOthersIgnoredDeletedOnesDropped() throws Exception {
        String ns = "merge";
        create(ns, slice("other-service-x", "other-service", ready(50, 52)));
        startWatching(ns);

        create(ns, slice("other-service-y", "other-service", ready(60, 61)));
        create(ns, slice("api-service-a", "api-service", ready(1, 2)));
        create(ns, slice("api-service-b", "api-service", ready(3, 4)));
        awaitPool("10.0.0.1:3001", "10.0.0.2:3001", "10.0.0.3:3001", "10.0.0.4:3001");

        client.discovery().v1().endpointSlices().inNamespace(ns).withName("api-service-a").delete();
        awaitPool("10.0.0.3:3001", "10.0.0.4:3001");

        client.discovery().v1().endpointSlices().inNamespace(ns).withName("api-service-b").delete();
        awaitPool();
    }

    @Test
    void theNamedPortIsUsed() throws Exception {
        String ns = "ports";
        startWatching(ns);
        create(ns, slice("api-service-p", "api-service", List.of(port("metrics", 9090), port("http", 3007)),
                ready(1, 1)));
        awaitPool("10.0.0.1:3007");
    }

    private void startWatching(String ns) throws Exception {
        watcher = new EndpointSliceWatcher(client, ns, "api-service",
                new EndpointSliceAddresses.Ports("http", "management", 0), pool);
        watcher.start().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private void awaitPool(String... ids) {
        await().atMost(DEADLINE).until(() -> pool.all().stream().map(Backend::id).toList(),
                ids.length == 0 ? empty() : contains(ids));
    }

    private static void create(String ns, EndpointSlice slice) {
        client.discovery().v1().endpointSlices().inNamespace(ns).resource(slice).create();
    }

    private static void update(String ns, EndpointSlice slice) {
        client.discovery().v1().endpointSlices().inNamespace(ns).resource(slice).update();
    }

    private static List<Endpoint> ready(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> endpoint("10.0.0." + i, true, false))
                .collect(Collectors.toList());
    }

    private static EndpointSlice slice(String name, String service, List<Endpoint> endpoints) {
        return slice(name, service, List.of(port("http", 3001)), endpoints);
    }

    private static EndpointSlice slice(String name, String service, List<EndpointPort> ports,
            List<Endpoint> endpoints) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withName(name).addToLabels(EndpointSliceWatcher.SERVICE_NAME_LABEL, service)
                .endMetadata()
                .withAddressType("IPv4").withPorts(ports).withEndpoints(endpoints).build();
    }
}
