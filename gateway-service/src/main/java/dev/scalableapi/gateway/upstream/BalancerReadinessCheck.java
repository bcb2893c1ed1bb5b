package dev.scalableapi.gateway.health;

import dev.scalableapi.gateway.proxy.UpstreamConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while at least one balancer answers its own readiness check: a gateway that cannot reach any
 * balancer should leave its Service. Probed in the background every 2 s, so the health endpoint never waits.
 */
@Readiness
@ApplicationScoped
public class UpstreamReadinessCheck implements HealthCheck {

    private final Vertx vertx;
    private final UpstreamConfig config;
    private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
    private HttpClient client;
    private long timer = -1;

    UpstreamReadinessCheck(Vertx vertx, UpstreamConfig config) {
        this.vertx = vertx;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(1000).setMaxPoolSize(2));
        probeAll();
        timer = vertx.setPeriodic(2000, id -> probeAll());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void probeAll() {
        for (String url : config.url()) {
            URI uri = URI.create(url.trim());
            client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
                            .setPort(uri.getPort() > 0 ? uri.getPort() : 80).setURI("/q/health/ready")
                            .setIdleTimeout(1000))
                    .compose(request -> request.send())
                    .compose(response -> response.body().map(body -> response.statusCode() == 200))
                    .onComplete(result -> ready.put(url.trim(), result.succeeded() && result.result()));
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("balancer");
        ready.forEach((url, up) -> response.withData(url, up ? "UP" : "DOWN"));
        return response.status(ready.values().stream().anyMatch(Boolean::booleanValue)).build();
    }
}
