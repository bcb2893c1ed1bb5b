package dev.scalableapi.api.resources;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** What the API shows of a resource; also what the cache stores. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ResourceView(long id, String name, String type, String description, long ownerId, long version,
        Instant createdAt, Instant updatedAt) {

    static ResourceView of(Resource r) {
        return new ResourceView(r.id, r.name, r.type, r.description, r.ownerId, r.version, r.createdAt,
                r.updatedAt);
    }

    /** Strong validator for this representation; the version changes on every update. */
    public String etag() {
        return "\"" + version + "\"";
    }
}
