package dev.scalableapi.gateway.chain;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.ordering.RouteOrder;
import dev.scalableapi.gateway.auth.AuthStage;
import dev.scalableapi.gateway.fleet.FleetRecorder;
import dev.scalableapi.gateway.pipeline.EdgeErrors;
import dev.scalableapi.gateway.pipeline.Exchange;
import dev.scalableapi.gateway.proxy.ProxyStage;
import dev.scalableapi.gateway.ratelimit.RateLimitStage;
import dev.scalableapi.gateway.shedding.SheddingStage;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway's request path, in order — the one place that shows it:
 * <ol>
 * <li>request id, request log hook ({@code RequestLogFilter}), body limit (filters, in
 * {@link RouteOrder}'s order), client address, request target check
 * ({@link RequestTarget})</li>
 * <li>load shedding ({@link SheddingStage}), first: under overload a refusal must cost no more than its 503</li>
 * <li>authentication ({@link AuthStage})</li>
 * <li>rate limiting ({@link RateLimitStage})</li>
 * <li>proxy to the balancer ({@link ProxyStage})</li>
 * </ol>
 * Everything under {@code /api/} is proxied except what the gateway answers itself (auth, me, admin). Each
 * finished request is counted for the fleet-wide metrics ({@link FleetRecorder}, in memory). It lives apart from
 * {@code pipeline/}, which holds what the stages share, so the stages depend on that package and never on the
 * composer of them all.
 */
@ApplicationScoped
public class GatewayPipeline {

    private static final int CLIENT_CLOSED = 499;
    static final String PROXIED = "^/api/(?!v1/(admin|auth|me)(/|$|\\?)).*";
    /**
     * A replica's operator routes (cache clear, breaker reset) are reached through the audited admin API only, never
     * proxied: an admin's token or key would otherwise act on them unaudited. Matched on the normalized path, with
     * what a replica might still read as a segment end (an encoded slash, matrix parameters).
     */
    private static final Pattern REPLICA_OPERATOR_ROUTES = Pattern.compile("^/api/v1/internal([/;]|%2[fF]|$)");

    private final EdgeErrors edgeErrors;
    private final AuthStage auth;
    private final RateLimitStage rateLimit;
    private final SheddingStage shedding;
    private final ProxyStage proxy;
    private final FleetRecorder fleet;
    private final boolean compression;
    private final Set<String> compressedMediaTypes;

    GatewayPipeline(EdgeErrors edgeErrors, AuthStage auth, RateLimitStage rateLimit,
            SheddingStage shedding, ProxyStage proxy, FleetRecorder fleet,
            @ConfigProperty(name = "quarkus.http.enable-compression", defaultValue = "false") boolean compression,
            @ConfigProperty(name = "quarkus.http.compress-media-types") Optional<List<String>> compressedMediaTypes) {
        this.compression = compression;
        this.compressedMediaTypes = compressedMediaTypes.orElse(List.of()).stream()
                .map(type -> type.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.edgeErrors = edgeErrors;
        this.auth = auth;
        this.rateLimit = rateLimit;
        this.shedding = shedding;
        this.proxy = proxy;
        this.fleet = fleet;
    }

    void register(@Observes Router router) {
        router.routeWithRegex(PROXIED).order(RouteOrder.PROXY)
                .handler(rc -> {
                    Exchange exchange = Exchange.of(rc);
                    rc.addEndHandler(ended -> fleet.record(ended.succeeded() ? rc.response().getStatusCode()
                            : CLIENT_CLOSED, System.nanoTime() - exchange.startedNanos(),
                            isRateLimited(exchange.errorCode()) ? exchange.rateLimitSubject() : null));
                    if (!RequestTarget.isAscii(rc.request().uri())) {
                        edgeErrors.reject(rc, RequestTarget.notAscii());
                        return;
                    }
                    if (isReplicaOperatorRoute(rc.normalizedPath())) {
                        edgeErrors.reject(rc, ApiException.notFound("Route " + rc.normalizedPath()));
                        return;
                    }
                    if (compression) {
                        rc.addHeadersEndHandler(v -> allowCompression(rc.response().headers()));
                    }
                    rc.next();
                })
                .handler(shedding)
                .handler(auth)
                .handler(rateLimit)
                .handler(proxy);
    }

    /**
     * With {@code quarkus.http.enable-compression} Quarkus marks every response {@code Content-Encoding: identity}
     * and lifts that only for its own REST and static routes (whose media type is in
     * {@code quarkus.http.compress-media-types}); plain Vert.x routes like this one stay uncompressed. Do the same
     * here: when the body is of a compressible type and nobody (e.g. the upstream) chose another encoding, drop the
     * marker so Vert.x gzips/deflates for clients that accept it.
     */
    private void allowCompression(MultiMap headers) {
        String contentType = headers.get(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || !"identity".equalsIgnoreCase(headers.get(HttpHeaders.CONTENT_ENCODING))) {
            return;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim()
                .toLowerCase(Locale.ROOT);
        if (compressedMediaTypes.contains(mediaType)) {
            headers.remove(HttpHeaders.CONTENT_ENCODING);
        }
    }

    /** The prefix test first: it settles nearly every proxied request without running the pattern. */
    static boolean isReplicaOperatorRoute(String path) {
        return path.startsWith("/api/v1/internal") && REPLICA_OPERATOR_ROUTES.matcher(path).lookingAt();
    }

    /** Refused by the rate limiter: a spent window or a spent quota. */
    private static boolean isRateLimited(String errorCode) {
        return ErrorCode.RATE_LIMIT_EXCEEDED.name().equals(errorCode)
                || ErrorCode.QUOTA_EXCEEDED.name().equals(errorCode);
    }
}
