package dev.scalableapi.common.errors;

import dev.scalableapi.common.envelope.ErrorResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Builds a JAX-RS response carrying the error envelope; the single place that decides its shape and headers. */
public final class ErrorEnvelopes {

    /** What every 401 of the platform asks for: an API key or a login token, both sent as a bearer credential. */
    public static final String CHALLENGE = "Bearer realm=\"scalable-api\"";

    private ErrorEnvelopes() {
    }

    public static Response of(ApiException e) {
        Response.ResponseBuilder builder = Response.status(e.code().status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorResponse.of(e.code().name(), e.getMessage(), e.details()));
        if (e.retryAfterSeconds() != null) {
            builder.header("Retry-After", e.retryAfterSeconds());
        }
        if (e.code().status() == 401) {
            builder.header("WWW-Authenticate", CHALLENGE); // RFC 9110: a 401 names how to authenticate
        }
        return builder.build();
    }

    public static Response of(ErrorCode code, String message) {
        return of(new ApiException(code, message));
    }

    public static Response of(ErrorCode code, String message, Map<String, List<String>> details) {
        return of(new ApiException(code, message, details, null));
    }
}
