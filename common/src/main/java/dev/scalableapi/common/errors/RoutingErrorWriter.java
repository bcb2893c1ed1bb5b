package dev.scalableapi.common.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.common.envelope.ErrorResponse;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes the error envelope straight onto a Vert.x response, for code that answers outside the REST layer
 * (filters, proxies). Does nothing if the response has already started.
 */
@ApplicationScoped
public class RoutingErrorWriter {

    private final ObjectMapper json;

    RoutingErrorWriter(ObjectMapper json) {
        this.json = json;
    }

    public void write(HttpServerResponse response, ApiException error) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        ErrorResponse body = ErrorResponse.of(error.code().name(), error.getMessage(), error.details());
        response.setStatusCode(error.code().status()).putHeader("Content-Type", "application/json");
        if (error.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", error.retryAfterSeconds().toString());
        }
        response.end(serialize(body));
    }

    private String serialize(ErrorResponse body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
