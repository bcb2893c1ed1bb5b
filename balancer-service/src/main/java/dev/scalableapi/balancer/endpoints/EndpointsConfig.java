package dev.scalableapi.balancer.endpoints;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Where the backends come from: a static list (local runs) or the Kubernetes API (cluster). */
@ConfigMapping(prefix = "balancer.endpoints")
public interface EndpointsConfig {

    enum Mode { STATIC, KUBERNETES }

    Mode mode();

    /**
     * Static backends ({@code API_SERVERS}): {@code http://host:port}, optionally {@code ;weight=N} and
     * {@code ;health-port=N} (the replica's management port), comma separated.
     */
    Optional<List<String>> servers();

    Kubernetes kubernetes();

    interface Kubernetes {
        /** Namespace to watch; defaults to the pod's own namespace. */
        Optional<String> namespace();

        /** Service whose EndpointSlices list the api pods. */
        @WithDefault("api-service")
        String service();

        /** Name of the port in the EndpointSlice to use; the first port if absent. */
        @WithDefault("http")
        String portName();

        /** Name of the EndpointSlice port health checks go to (api-service's management port). */
        @WithDefault("management")
        String healthPortName();
    }
}
