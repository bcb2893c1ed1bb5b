package dev.scalableapi.balancer.proxy;

import dev.scalableapi.balancer.outlier.OutlierDetector;
import dev.scalableapi.balancer.picking.LeastRequestPicker;
import dev.scalableapi.balancer.retry.RetryBudget;
import dev.scalableapi.balancer.retry.RetryConfig;
import dev.scalableapi.balancer.status.BackendMetrics;
import dev.scalableapi.common.errors.RoutingErrorWriter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/** Everything one {@link ProxyExchange} works with, shared by all exchanges. */
record ProxyTools(Vertx vertx, HttpClient client, LeastRequestPicker picker, OutlierDetector outliers,
        RetryBudget budget, RetryConfig retry, ProxyConfig config, BackendMetrics metrics,
        RoutingErrorWriter errors) {
}
