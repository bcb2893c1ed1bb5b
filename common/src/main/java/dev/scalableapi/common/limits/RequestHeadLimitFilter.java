package dev.scalableapi.common.limits;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.errors.RoutingErrorWriter;
import dev.scalableapi.common.ordering.RouteOrder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * Refuses a request line over {@link RequestHeadLimits#maxRequestLine()} with 414 and request headers over
 * {@link RequestHeadLimits#maxHeaderSize()} with 431, both as the error envelope. Netty's own limits (Quarkus'
 * {@code quarkus.http.limits.max-initial-line-length} and {@code max-header-size}) refuse with a bare status and
 * no body, before any of our code runs and with no hook Quarkus exposes; they are set well above these, as a
 * memory ceiling only.
 */
@ApplicationScoped
public class RequestHeadLimitFilter {

    /** Bytes of a header line besides its name and value: {@code ": "} and CRLF, as Netty counts them. */
    private static final int HEADER_LINE_OVERHEAD = 4;
    /** Bytes of a request line besides method and target: two spaces and {@code HTTP/1.1}. */
    private static final int REQUEST_LINE_OVERHEAD = 10;

    private final long maxRequestLine;
    private final long maxHeaderSize;
    private final RoutingErrorWriter errors;

    RequestHeadLimitFilter(RequestHeadLimits limits, RoutingErrorWriter errors) {
        this.maxRequestLine = limits.maxRequestLine().asLongValue();
        this.maxHeaderSize = limits.maxHeaderSize().asLongValue();
        this.errors = errors;
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            HttpServerRequest request = rc.request();
            ApiException refusal = null;
            if (request.method().name().length() + request.uri().length() + REQUEST_LINE_OVERHEAD > maxRequestLine) {
                refusal = new ApiException(ErrorCode.URI_TOO_LONG,
                        "Request line exceeds " + maxRequestLine + " bytes");
            } else if (headerBytes(request) > maxHeaderSize) {
                refusal = new ApiException(ErrorCode.HEADERS_TOO_LARGE,
                        "Request headers exceed " + maxHeaderSize + " bytes");
            }
            if (refusal != null) {
                rc.response().putHeader("Connection", "close");
                errors.write(rc.response(), refusal);
                return;
            }
            rc.next();
        }, RouteOrder.REQUEST_HEAD_LIMIT);
    }

    private static long headerBytes(HttpServerRequest request) {
        long total = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            total += header.getKey().length() + header.getValue().length() + HEADER_LINE_OVERHEAD;
        }
        return total;
    }
}
