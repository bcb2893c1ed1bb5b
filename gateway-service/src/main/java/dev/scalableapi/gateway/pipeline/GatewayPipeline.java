package dev.scalableapi.gateway.pipeline;

import dev.scalableapi.gateway.auth.AuthStage;
import dev.scalableapi.gateway.proxy.ProxyStage;
import dev.scalableapi.gateway.ratelimit.RateLimitStage;
import dev.scalableapi.gateway.shedding.SheddingStage;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The gateway's request path, in order — the one place that shows it:
 * <ol>
 * <li>request id, body limit (common filters), client address, request log hook ({@code RequestLogFilter})</li>
 * <li>authentication ({@link AuthStage})</li>
 * <li>rate limiting ({@link RateLimitStage})</li>
 * <li>load shedding ({@link SheddingStage})</li>
 * <li>proxy to the balancer ({@link ProxyStage})</li>
 * </ol>
 * Everything under {@code /api/} is proxied except what the gateway answers itself (auth, me, admin).
 */
@ApplicationScoped
public class GatewayPipeline {

    static final String PROXIED = "^/api/(?!v1/(admin|auth|me)(/|$|\\?)).*";

    private final ClientAddress clientAddress;
    private final AuthStage auth;
    private final RateLimitStage rateLimit;
    private final SheddingStage shedding;
    private final ProxyStage proxy;

    GatewayPipeline(ClientAddress clientAddress, AuthStage auth, RateLimitStage rateLimit, SheddingStage shedding,
            ProxyStage proxy) {
        this.clientAddress = clientAddress;
        this.auth = auth;
        this.rateLimit = rateLimit;
        this.shedding = shedding;
        this.proxy = proxy;
    }

    void register(@Observes Router router) {
        router.routeWithRegex(PROXIED).order(1)
                .handler(rc -> {
                    Exchange.of(rc).clientIp(clientAddress.resolve(rc));
                    rc.next();
                })
                .handler(auth)
                .handler(rateLimit)
                .handler(shedding)
                .handler(proxy);
    }
}
