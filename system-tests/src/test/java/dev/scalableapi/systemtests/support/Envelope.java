package dev.scalableapi.systemtests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.common.errors.ErrorCode;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The brief's error envelope: {@code {"error": {"message", "code", "details"?}, "meta": {"requestId", "timestamp"}}}. */
public final class Envelope {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CODES = Arrays.stream(ErrorCode.values()).map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());

    private Envelope() {
    }

    /** Asserts the body is an error envelope with one of the stable codes, and returns the code. */
    public static String assertError(RawHttp.Response response, String context) {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("status " + response.status() + " without a JSON envelope for " + context
                    + ": " + abbreviate(response.body()));
        }
        JsonNode error = body == null ? null : body.get("error");
        assertTrue(error != null && error.isObject(), () -> "no error object for " + context + ": "
                + abbreviate(response.body()));
        String code = error.path("code").asText("");
        assertTrue(CODES.contains(code), () -> "unknown error code '" + code + "' for " + context);
        assertEquals(ErrorCode.valueOf(code).status(), response.status(),
                () -> "status does not match code " + code + " for " + context);
        assertFalse(error.path("message").asText("").isBlank(), () -> "empty message for " + context);
        assertFalse(body.path("meta").path("requestId").asText("").isBlank(), () -> "no meta.requestId for " + context);
        assertFalse(body.path("meta").path("timestamp").asText("").isBlank(), () -> "no meta.timestamp for " + context);
        assertFalse(response.body().contains("\tat ") || response.body().contains("Exception"),
                () -> "stack trace or exception name leaked for " + context + ": " + abbreviate(response.body()));
        return code;
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
