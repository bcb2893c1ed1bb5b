package dev.scalableapi.common.limits;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.common.envelope.ErrorResponse;
import dev.scalableapi.common.errors.ErrorCode;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Rejects a declared body over {@code quarkus.http.limits.max-body-size} with the 413 envelope before any of it
 * is read. Quarkus' own limit still guards chunked bodies that declare no length (with a bare 413).
 */
@ApplicationScoped
public class BodySizeLimitFilter {

    private final long maxBytes;
    private final ObjectMapper json;

    BodySizeLimitFilter(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize max,
            ObjectMapper json) {
        this.maxBytes = max.asLongValue();
        this.json = json;
    }

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String declared = rc.request().getHeader("Content-Length");
            if (declared != null && exceeds(declared)) {
                ErrorResponse body = ErrorResponse.of(ErrorCode.PAYLOAD_TOO_LARGE.name(),
                        "Request body exceeds " + maxBytes + " bytes", null);
                rc.response().setStatusCode(ErrorCode.PAYLOAD_TOO_LARGE.status())
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close")
                        .end(serialize(body));
                return;
            }
            rc.next();
        }, 9_000);
    }

    private boolean exceeds(String declared) {
        try {
            return Long.parseLong(declared.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private String serialize(ErrorResponse body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
