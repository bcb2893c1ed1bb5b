package dev.scalableapi.gateway.requestlog;

import dev.scalableapi.gateway.storage.StorableText;

import java.time.Instant;

/**
 * One row of {@code request_logs}, built when the response ends. Strings are already made storable by
 * {@link StorableText}.
 */
public record RequestLogRecord(
        String requestId,
        Instant occurredAt,
        String method,
        String route,
        String path,
        int status,
        float latencyMs,
        Long keyId,
        Long userId,
        String clientIp,
        String instance,
        String cacheStatus,
        String errorCode) implements RequestLogEntry {

    static final int REQUEST_ID_MAX = 64;
    static final int METHOD_MAX = 10;
    static final int ROUTE_MAX = 200;
    static final int PATH_MAX = 2048;
    static final int CLIENT_IP_MAX = 45;
    static final int INSTANCE_MAX = 64;
    static final int CACHE_STATUS_MAX = 10;
    static final int ERROR_CODE_MAX = 40;
}
