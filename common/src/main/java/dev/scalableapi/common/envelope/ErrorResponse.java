package dev.scalableapi.common.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/** Error envelope of the brief: {@code {"error": {"message", "code", "details"?}, "meta": {…}}}. */
@RegisterForReflection
public record ErrorResponse(Body error, Meta meta) {

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Body(String message, String code, Map<String, List<String>> details) {
    }

    public static ErrorResponse of(String code, String message, Map<String, List<String>> details) {
        return new ErrorResponse(new Body(message, code, details), Meta.now());
    }
}
