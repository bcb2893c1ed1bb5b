package dev.scalableapi.balancer.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSliceAddressesTest {

    private static final EndpointSliceAddresses.Ports HTTP = new EndpointSliceAddresses.Ports("http", "management", 0);

    @Test
    void readyNullCountsAsReadyAndNoConditionsToo() {
        EndpointSlice slice = slice(List.of(port("http", 8080)),
                endpoint("10.0.0.1", null, null),
                new EndpointBuilder().withAddresses("10.0.0.2").build());
        assertEquals(List.of("10.0.0.1:8080", "10.0.0.2:8080"), ids(slice));
    }

    @Test
    void notReadyAndTerminatingAreLeftOut() {
        EndpointSlice slice = slice(List.of(port("http", 8080)),
                endpoint("10.0.0.1", true, false),
                endpoint("10.0.0.2", false, null),
                endpoint("10.0.0.3", true, true),
                endpoint("10.0.0.4", null, true));
        assertEquals(List.of("10.0.0.1:8080"), ids(slice));
    }

    @Test
    void namedPortWinsElseTheFirstPort() {
        assertEquals(List.of("10.0.0.1:3001"), ids(slice(List.of(port("metrics", 9090), port("http", 3001)),
                endpoint("10.0.0.1", true, false))));
        assertEquals(List.of("10.0.0.1:9090"), ids(slice(List.of(port("metrics", 9090), port(null, 3001)),
                endpoint("10.0.0.1", true, false))));
    }

    @Test
    void healthChecksGoToTheManagementPortElseTheConfiguredOneElseTheTrafficPort() {
        EndpointSlice withManagement = slice(List.of(port("http", 3001), port("management", 9001)),
                endpoint("10.0.0.1", true, false));
        EndpointSlice without = slice(List.of(port("http", 3001)), endpoint("10.0.0.1", true, false));
        assertEquals(List.of(new BackendAddress("10.0.0.1", 3001, 1, 9001)),
                EndpointSliceAddresses.of(List.of(withManagement), HTTP));
        assertEquals(List.of(new BackendAddress("10.0.0.1", 3001, 1, 9100)), EndpointSliceAddresses.of(
                List.of(without), new EndpointSliceAddresses.Ports("http", "management", 9100)));
        assertEquals(List.of(new BackendAddress("10.0.0.1", 3001, 1, 3001)),
                EndpointSliceAddresses.of(List.of(without), HTTP));
    }

    @Test
    void aStaticBackendNamesItsHealthPortElseTakesTheConfiguredOne() {
        assertEquals(new BackendAddress("localhost", 3002, 2, 9002),
                BackendAddress.parse("http://localhost:3002;weight=2;health-port=9002", 9100));
        assertEquals(new BackendAddress("localhost", 3002, 1, 9100), BackendAddress.parse("http://localhost:3002", 9100));
        assertEquals(new BackendAddress("localhost", 3002, 1, 3002), BackendAddress.parse("http://localhost:3002", 0));
    }

    @Test
    void sliceWithoutAUsablePortIsSkipped() {
        assertEquals(List.of(), ids(slice(List.of(), endpoint("10.0.0.1", true, false))));
        assertEquals(List.of(), ids(slice(List.of(port("http", null)), endpoint("10.0.0.1", true, false))));
    }

    @Test
    void everyAddressCountsOnceAcrossSlicesWithWeightOne() {
        EndpointSlice a = slice(List.of(port("http", 8080)), endpoint("10.0.0.2", true, false));
        EndpointSlice b = slice(List.of(port("http", 8080)), new EndpointBuilder()
                .withAddresses("10.0.0.1", "10.0.0.2").withNewConditions().withReady(true).endConditions().build());
        List<BackendAddress> addresses = EndpointSliceAddresses.of(List.of(a, b), HTTP);
        assertEquals(List.of(new BackendAddress("10.0.0.1", 8080, 1, 8080), new BackendAddress("10.0.0.2", 8080, 1, 8080)),
                addresses);
    }

    @Test
    void noSlicesOrNoEndpointsGiveAnEmptySet() {
        assertEquals(List.of(), EndpointSliceAddresses.of(List.of(), HTTP));
        assertEquals(List.of(), ids(new EndpointSliceBuilder().withAddressType("IPv4")
                .withPorts(port("http", 8080)).build()));
    }

    private static List<String> ids(EndpointSlice slice) {
        return EndpointSliceAddresses.of(List.of(slice), HTTP).stream().map(BackendAddress::id).toList();
    }

    static EndpointSlice slice(List<EndpointPort> ports, Endpoint... endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withName("s").endMetadata()
                .withAddressType("IPv4").withPorts(ports).withEndpoints(endpoints).build();
    }

    static EndpointPort port(String name, Integer number) {
        EndpointPort port = new EndpointPort();
        port.setName(name);
        port.setPort(number);
        port.setProtocol("TCP");
        return port;
    }

    static Endpoint endpoint(String ip, Boolean ready, Boolean terminating) {
        return new EndpointBuilder().withAddresses(ip)
                .withNewConditions().withReady(ready).withTerminating(terminating).endConditions().build();
    }
}
