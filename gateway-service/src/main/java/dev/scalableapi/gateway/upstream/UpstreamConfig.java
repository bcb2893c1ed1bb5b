package dev.scalableapi.gateway.upstream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** The balancer(s) behind the gateway. */
@ConfigMapping(prefix = "gateway.upstream")
public interface UpstreamConfig {

    /**
     * Balancer URLs ({@code BALANCER_URL}), comma separated. In Kubernetes one Service URL; locally several may be
     * listed, and a connect failure on one fails over to the next. A URL may name its balancer's management port
     * ({@code http://host:3000;health-port=9000}); otherwise {@link #healthPort()} is used.
     */
    List<String> url();

    /**
     * The balancers' management port ({@code GATEWAY_UPSTREAM_HEALTH_PORT}), where the readiness probe asks
     * {@code /q/health/ready}: the balancer answers health there, never on its traffic port.
     */
    @WithDefault("9000")
    int healthPort();

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

    /**
     * How long an idle pooled connection is kept: clearly shorter than the balancer's own idle timeout
     * ({@code quarkus.http.idle-timeout} in balancer-service). The gateway must retire a connection before the
     * balancer may close it, or a request can be written into a connection the balancer is just closing, which is
     * then not retried.
     */
    @WithDefault("30s")
    Duration keepAliveTimeout();
}
