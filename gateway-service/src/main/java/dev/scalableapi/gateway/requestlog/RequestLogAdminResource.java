package dev.scalableapi.gateway.requestlog;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.params.QueryParameters;
import dev.scalableapi.common.requestid.RequestId;
import dev.scalableapi.gateway.paging.KeysetCursor;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code GET /api/v1/admin/logs}: request logs, newest first, filtered by {@code from}/{@code to} (ISO-8601),
 * {@code status} ({@code 404} or a class such as {@code 5xx}), {@code method}, {@code path} (prefix),
 * {@code keyId} and {@code requestId}; {@code limit} ≤ 200 per page, then {@code cursor} = the previous page's
 * {@code meta.pagination.nextCursor}.
 */
@Path("/api/v1/admin/logs")
@Produces(MediaType.APPLICATION_JSON)
public class RequestLogAdminResource {

    private static final Pattern STATUS = Pattern.compile("([1-5])(?:xx|XX)|([1-5][0-9][0-9])");
    private static final Pattern METHOD = Pattern.compile("[A-Za-z]{1,10}");

    private final RequestLogQuery query;

    RequestLogAdminResource(RequestLogQuery query) {
        this.query = query;
    }

    @GET
    public Uni<ApiResponse<List<RequestLogQuery.Entry>>> logs(@RestQuery String from, @RestQuery String to,
            @RestQuery String status, @RestQuery String method, @RestQuery String path, @RestQuery String keyId,
            @RestQuery String requestId, @RestQuery String limit, @RestQuery String cursor) {
        int pageSize = QueryParameters.positiveInt("limit", limit, 50, 200);
        Long key = QueryParameters.positiveId("keyId", keyId);
        Integer statusFrom = null;
        Integer statusTo = null;
        if (status != null) {
            Matcher m = STATUS.matcher(status);
            if (!m.matches()) {
                throw ApiException.invalidParameter("status", "must be a status such as 404 or a class such as 5xx");
            }
            if (m.group(1) != null) {
                statusFrom = Integer.parseInt(m.group(1)) * 100;
                statusTo = statusFrom + 99;
            } else {
                statusFrom = Integer.parseInt(m.group(2));
                statusTo = statusFrom;
            }
        }
        if (method != null && !METHOD.matcher(method).matches()) {
            throw ApiException.invalidParameter("method", "must be an HTTP method such as GET");
        }
        if (path != null && (path.isEmpty() || path.length() > 2048 || !path.startsWith("/"))) {
            throw ApiException.invalidParameter("path", "must be a path prefix starting with '/'");
        }
        if (requestId != null && !RequestId.isSane(requestId)) {
            throw ApiException.invalidParameter("requestId", "must be a request id (≤ 64 of A-Z a-z 0-9 . _ -)");
        }
        Instant fromTime = instant("from", from);
        Instant toTime = instant("to", to);
        if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
            throw ApiException.invalidParameter("from", "must be before 'to'");
        }
        RequestLogQuery.Filter filter = new RequestLogQuery.Filter(fromTime, toTime, statusFrom, statusTo,
                method == null ? null : method.toUpperCase(Locale.ROOT), path, key, requestId);
        return query.page(filter, KeysetCursor.decode(cursor), pageSize).map(entries -> KeysetCursor.page(
                entries, pageSize, entry -> new KeysetCursor(entry.occurredAt(), entry.id())));
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalidParameter(name, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
