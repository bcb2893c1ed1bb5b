package dev.scalableapi.common.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scalableapi.common.requestid.RequestId;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** The {@code meta} object of every response: who asked (request id), when, and paging where it applies. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Meta(String requestId, String timestamp, Pagination pagination) {

    public static Meta now() {
        return new Meta(RequestId.current(), Instant.now().toString(), null);
    }

    public static Meta now(Pagination pagination) {
        return new Meta(RequestId.current(), Instant.now().toString(), pagination);
    }
}
