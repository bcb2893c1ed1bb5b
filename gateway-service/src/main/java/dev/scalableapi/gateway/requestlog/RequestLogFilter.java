package dev.scalableapi.gateway.requestlog;

import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.common.ordering.RouteOrder;
import dev.scalableapi.common.requestid.RequestId;
import dev.scalableapi.gateway.instance.InstanceConfig;
import dev.scalableapi.gateway.pipeline.Exchange;
import dev.scalableapi.gateway.storage.StorableText;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Hooks every request on the traffic port into the request log (health, metrics and OpenAPI answer on the
 * management port, whose requests never pass here; a {@code /q/…} probe of the traffic port is a logged 404). It runs right after
 * the request-id filter ({@link RouteOrder#REQUEST_LOG}), starts the request's {@link Exchange}
 * clock, and when the response has ended hands one entry to the {@link RequestLogQueue} — never blocking, never
 * failing the request. A connection that closed before the response ended is logged with status 499. When the
 * {@link RequestLogSampler} leaves a row out, nothing of the row is built: a keyed request queues only its key, time
 * and status (for exact usage counts), a request without a key queues nothing.
 */
@ApplicationScoped
public class RequestLogFilter {

    static final int CLIENT_CLOSED = 499;

    private static final Logger LOG = Logger.getLogger(RequestLogFilter.class);

    private final RequestLogQueue queue;
    private final RequestLogSampler sampler;
    private final RequestLogConfig config;
    private final String instance;

    RequestLogFilter(RequestLogQueue queue, RequestLogSampler sampler, RequestLogConfig config,
            InstanceConfig instance) {
        this.queue = queue;
        this.sampler = sampler;
        this.config = config;
        this.instance = StorableText.of(instance.id(), RequestLogRecord.INSTANCE_MAX);
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            if (config.enabled()) {
                Exchange exchange = Exchange.of(rc);
                rc.addEndHandler(ended -> log(rc, exchange, ended));
            }
            rc.next();
        }, RouteOrder.REQUEST_LOG);
    }

    private void log(RoutingContext rc, Exchange exchange, AsyncResult<Void> ended) {
        try {
            int status = ended.succeeded() ? rc.response().getStatusCode() : CLIENT_CLOSED;
            if (sampler.stores(status)) {
                queue.offer(record(rc, exchange, status));
            } else {
                Identity identity = exchange.identity();
                if (identity != null && identity.keyId() != null) {
                    queue.offer(new SampledOutRequest(identity.keyId(), exchange.startedAt(), status));
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("Request log record not built: %s", e.toString());
        }
    }

    RequestLogRecord record(RoutingContext rc, Exchange exchange, int status) {
        HttpServerRequest request = rc.request();
        float latencyMs = (System.nanoTime() - exchange.startedNanos()) / 1_000_000f;
        String requestId = request.getHeader(RequestId.HEADER);
        if (requestId == null) {
            requestId = UUID.randomUUID().toString();
        }
        String path = request.path() == null ? "/" : request.path();
        Identity identity = exchange.identity();
        String clientIp = exchange.clientIp();
        return new RequestLogRecord(
                StorableText.of(requestId, RequestLogRecord.REQUEST_ID_MAX),
                exchange.startedAt(),
                StorableText.of(request.method().name(), RequestLogRecord.METHOD_MAX),
                RouteTemplate.of(path),
                StorableText.of(path, RequestLogRecord.PATH_MAX),
                status,
                latencyMs,
                identity == null ? null : identity.keyId(),
                identity == null ? null : identity.userId(),
                StorableText.of(clientIp, RequestLogRecord.CLIENT_IP_MAX),
                instance,
                StorableText.of(rc.response().headers().get("X-Cache"), RequestLogRecord.CACHE_STATUS_MAX),
                StorableText.of(exchange.errorCode(), RequestLogRecord.ERROR_CODE_MAX));
    }
}
