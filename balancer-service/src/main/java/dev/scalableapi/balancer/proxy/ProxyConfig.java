package dev.scalableapi.balancer.proxy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Connections and timeouts towards the backends. */
@ConfigMapping(prefix = "balancer.proxy")
public interface ProxyConfig {

    @WithDefault("1s")
    Duration connectTimeout();

    /** Longest wait for the response to start once the request was sent, and longest silence while it streams. */
    @WithDefault("15s")
    Duration firstByteTimeout();

    /** Longest a whole exchange may take, retries included. */
    @WithDefault("30s")
    Duration totalTimeout();

    /** Pooled keep-alive connections per backend. */
    @WithDefault("200")
    int maxConnectionsPerBackend();

    /**
     * How long an idle pooled connection is kept: clearly shorter than the backends' own idle timeout
     * ({@code quarkus.http.idle-timeout} in api-service). The balancer must retire a connection before the server may
     * close it, or a request can be written into a connection the server is just closing — which, once its head went
     * out, is retried only for idempotent requests.
     */
    @WithDefault("30s")
    Duration keepAliveTimeout();
}
