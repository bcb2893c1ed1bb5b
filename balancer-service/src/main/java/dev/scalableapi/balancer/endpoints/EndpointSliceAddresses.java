package dev.scalableapi.balancer.endpoints;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pure mapping from a service's EndpointSlices to the backends to balance over, kept apart from the informer so
 * the rules can be unit tested without an API server.
 */
public final class EndpointSliceAddresses {

    private EndpointSliceAddresses() {
    }

    /** Which EndpointSlice ports to use: traffic, health checks, and the health port when the slice names none. */
    public record Ports(String trafficName, String healthName, int defaultHealthPort) {
    }

    /**
     * The union of all slices' serving endpoints, one {@code BackendAddress(ip, port, 1, healthPort)} per address,
     * sorted by id and without duplicates (an endpoint can briefly sit in two slices while the controller moves it).
     * The health port is the slice's port named {@code ports.healthName()}, else {@code ports.defaultHealthPort()},
     * else the traffic port.
     */
    public static List<BackendAddress> of(Collection<EndpointSlice> slices, Ports ports) {
        Map<String, BackendAddress> byId = new TreeMap<>();
        for (EndpointSlice slice : slices) {
            Optional<Integer> port = port(slice, ports.trafficName());
            if (port.isEmpty() || slice.getEndpoints() == null) {
                continue;
            }
            int healthPort = named(slice, ports.healthName()).orElse(ports.defaultHealthPort() > 0
                    ? ports.defaultHealthPort() : port.get());
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (!serving(endpoint) || endpoint.getAddresses() == null) {
                    continue;
                }
                for (String ip : endpoint.getAddresses()) {
                    BackendAddress address = new BackendAddress(ip, port.get(), 1, healthPort);
                    byId.putIfAbsent(address.id(), address);
                }
            }
        }
        return byId.values().stream().sorted(Comparator.comparing(BackendAddress::id)).toList();
    }

    /**
     * Per the discovery.k8s.io/v1 API docs an unknown (null) {@code ready} should be read as ready, and a null
     * {@code terminating} as not terminating. Terminating endpoints are left out even if still ready: the pod is
     * draining and new requests should go elsewhere.
     */
    static boolean serving(Endpoint endpoint) {
        EndpointConditions conditions = endpoint.getConditions();
        if (conditions == null) {
            return true;
        }
        return !Boolean.FALSE.equals(conditions.getReady()) && !Boolean.TRUE.equals(conditions.getTerminating());
    }

    /**
     * The port named {@code portName}, else the slice's first port. A port without a number means "all ports"
     * in the API, which gives us nothing to dial, so such a slice is skipped.
     */
    static Optional<Integer> port(EndpointSlice slice, String portName) {
        List<EndpointPort> ports = slice.getPorts();
        if (ports == null || ports.isEmpty()) {
            return Optional.empty();
        }
        EndpointPort chosen = ports.stream().filter(p -> portName.equals(p.getName())).findFirst().orElse(ports.get(0));
        return Optional.ofNullable(chosen.getPort());
    }

    /** The port named {@code portName}, if the slice has one with a number. */
    static Optional<Integer> named(EndpointSlice slice, String portName) {
        return slice.getPorts() == null ? Optional.empty() : slice.getPorts().stream()
                .filter(p -> portName.equals(p.getName()) && p.getPort() != null).map(EndpointPort::getPort).findFirst();
    }
}
