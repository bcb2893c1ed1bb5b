package dev.scalableapi.common.errors;

import java.util.List;
import java.util.Map;

/**
 * Thrown (or emitted as a Uni failure) by any service code that wants a specific error envelope.
 * {@code retryAfterSeconds} becomes a {@code Retry-After} header when set.
 */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, List<String>> details;
    private final Long retryAfterSeconds;

    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public ApiException(ErrorCode code, String message, Map<String, List<String>> details, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.details = details;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException notFound(String what) {
        return new ApiException(ErrorCode.NOT_FOUND, what + " not found");
    }

    public static ApiException invalidParameter(String name, String why) {
        return new ApiException(ErrorCode.INVALID_PARAMETER, "Invalid parameter '" + name + "': " + why,
                Map.of(name, List.of(why)), null);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, List<String>> details() {
        return details;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
