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

    @WithDefault("60s")
    Duration keepAliveTimeout();
}
