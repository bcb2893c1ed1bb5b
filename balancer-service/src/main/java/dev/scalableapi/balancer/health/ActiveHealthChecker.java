package dev.scalableapi.balancer.health;

import dev.scalableapi.balancer.endpoints.Backend;
import dev.scalableapi.balancer.endpoints.BackendPool;
import dev.scalableapi.common.degradation.Degraded;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Probes {@code GET <path>} on every backend each interval and reports each result to {@link BackendHealth}: an
 * error, a timeout or any non-2xx (a draining replica answers 503 from its readiness check) is a failed check. A
 * new backend is probed at once.
 */
@ApplicationScoped
public class ActiveHealthChecker {

    private final Vertx vertx;
    private final BackendPool pool;
    private final BackendHealth health;
    private final HealthCheckConfig config;
    private HttpClient client;
    private long timer = -1;

    ActiveHealthChecker(Vertx vertx, BackendPool pool, BackendHealth health, HealthCheckConfig config) {
        this.vertx = vertx;
        this.pool = pool;
        this.health = health;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.timeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(2));
        pool.onAdded(this::probe);
        timer = vertx.setPeriodic(config.interval().toMillis(), id -> pool.all().forEach(this::probe));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void probe(Backend backend) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
                .setHost(backend.address().host()).setPort(backend.address().healthPort())
                .setURI(config.path()).setIdleTimeout(config.timeout().toMillis());
        client.request(request)
                .compose(req -> req.send())
                .compose(response -> response.body().map(body -> response))
                .onComplete(result -> {
                    if (result.succeeded() && result.result().statusCode() / 100 == 2) {
                        health.passed(backend, result.result().headers().contains(Degraded.HEADER));
                    } else {
                        health.failed(backend, result.succeeded() ? "status " + result.result().statusCode()
                                : String.valueOf(result.cause().getMessage()));
                    }
                });
    }
}
