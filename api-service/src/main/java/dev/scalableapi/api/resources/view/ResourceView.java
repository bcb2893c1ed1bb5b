package dev.scalableapi.api.resources.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * What the API shows of a resource; also what the cache stores. In a package of its own so that the cache needs
 * nothing else of {@code resources}, which uses the cache.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ResourceView(long id, String name, String type, String description, long ownerId, long version,
        Instant createdAt, Instant updatedAt) {

    /** Strong validator for this representation; the version changes on every update. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
