package dev.scalableapi.gateway.proxy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** The balancer(s) behind the gateway. */
@ConfigMapping(prefix = "gateway.upstream")
public interface UpstreamConfig {

    /**
     * Balancer URLs ({@code BALANCER_URL}), comma separated. In Kubernetes one Service URL; locally several may be
     * listed, and a connect failure on one fails over to the next.
     */
    List<String> url();

    @WithDefault("1s")
    Duration connectTimeout();

    /**
     * Longest wait for the response to start and longest silence while it streams; a little longer than the
     * balancer's own, so that its 504 envelope arrives first.
     */
    @WithDefault("20s")
    Duration firstByteTimeout();

    @WithDefault("500")
    int maxConnections();

    @WithDefault("60s")
    Duration keepAliveTimeout();
}
