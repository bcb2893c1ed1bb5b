package dev.scalableapi.balancer.proxy;

import dev.scalableapi.balancer.outlier.OutlierDetector;
import dev.scalableapi.balancer.picking.LeastRequestPicker;
import dev.scalableapi.balancer.retry.ReplayBuffers;
import dev.scalableapi.balancer.retry.RetryBudget;
import dev.scalableapi.balancer.retry.RetryConfig;
import dev.scalableapi.balancer.status.BackendMetrics;
import dev.scalableapi.common.errors.RoutingErrorWriter;
import dev.scalableapi.common.forwarding.LoopLocalHttpClient;
import dev.scalableapi.common.ordering.RouteOrder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Sends every request except the balancer's own ({@code /lb/…}) and Quarkus' ({@code /q/…}) to a backend, one
 * {@link ProxyExchange} per request, over pooled keep-alive connections on the request's own event loop.
 */
@ApplicationScoped
public class ProxyRoute {

    private final ProxyTools tools;

    ProxyRoute(Vertx vertx, LeastRequestPicker picker, OutlierDetector outliers, RetryBudget budget,
            ReplayBuffers replayBuffers, RetryConfig retry, ProxyConfig config, BackendMetrics metrics, RoutingErrorWriter errors) {
        LoopLocalHttpClient clients = new LoopLocalHttpClient(vertx, new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) config.keepAliveTimeout().toSeconds())
                .setMaxPoolSize(config.maxConnectionsPerBackend())
                .setTcpNoDelay(true)
                .setTcpQuickAck(true) // as NIO leaves it (see quarkus.http.tcp-quick-ack)
                .setDecompressionSupported(false));
        this.tools = new ProxyTools(vertx, clients, picker, outliers, budget, replayBuffers, retry, config, metrics, errors);
    }

    void register(@Observes Router router) {
        router.routeWithRegex("^/(?!lb/|lb$|q/|q$).*").order(RouteOrder.PROXY)
                .handler(rc -> new ProxyExchange(rc, tools).start());
    }
}
