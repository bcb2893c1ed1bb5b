package dev.scalableapi.common.errors;

/**
 * The stable error codes of the brief. Clients switch on {@link #name()}, so a code is never renamed;
 * new ones may be added.
 */
public enum ErrorCode {
    MALFORMED_JSON(400),
    MALFORMED_REQUEST(400),
    INVALID_PARAMETER(400),
    AUTH_REQUIRED(401),
    AUTH_INVALID_KEY(401),
    AUTH_KEY_REVOKED(401),
    AUTH_KEY_EXPIRED(401),
    AUTH_INVALID_CREDENTIALS(401),
    FORBIDDEN(403),
    INSUFFICIENT_SCOPE(403),
    CSRF_REJECTED(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    NOT_ACCEPTABLE(406),
    CONFLICT(409),
    PRECONDITION_FAILED(412),
    PAYLOAD_TOO_LARGE(413),
    URI_TOO_LONG(414),
    UNSUPPORTED_MEDIA_TYPE(415),
    VALIDATION_FAILED(422),
    PRECONDITION_REQUIRED(428),
    RATE_LIMIT_EXCEEDED(429),
    /** A day or month quota is spent: retrying within seconds does not help (Retry-After says until when). */
    QUOTA_EXCEEDED(429),
    HEADERS_TOO_LARGE(431),
    INTERNAL_ERROR(500),
    UPSTREAM_ERROR(502),
    SERVICE_UNAVAILABLE(503),
    UPSTREAM_UNAVAILABLE(503),
    CIRCUIT_OPEN(503),
    OVERLOADED(503),
    UPSTREAM_TIMEOUT(504);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
