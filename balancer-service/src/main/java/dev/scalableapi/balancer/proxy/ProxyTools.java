package dev.scalableapi.balancer.proxy;

import dev.scalableapi.balancer.outlier.OutlierDetector;
import dev.scalableapi.balancer.picking.LeastRequestPicker;
import dev.scalableapi.balancer.retry.ReplayBuffers;
import dev.scalableapi.balancer.retry.RetryBudget;
import dev.scalableapi.balancer.retry.RetryConfig;
import dev.scalableapi.balancer.status.BackendMetrics;
import dev.scalableapi.common.errors.RoutingErrorWriter;
import dev.scalableapi.common.forwarding.LoopLocalHttpClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/** Everything one {@link ProxyExchange} works with, shared by all exchanges. */
record ProxyTools(Vertx vertx, LoopLocalHttpClient clients, LeastRequestPicker picker, OutlierDetector outliers,
        RetryBudget budget, ReplayBuffers replayBuffers, RetryConfig retry, ProxyConfig config, BackendMetrics metrics,
        RoutingErrorWriter errors) {

    /** The keep-alive client of the caller's event loop. */
    HttpClient client() {
        return clients.current();
    }
}
