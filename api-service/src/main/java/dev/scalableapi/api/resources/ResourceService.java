package dev.scalableapi.api.resources;

import dev.scalableapi.api.cache.CacheLookup;
import dev.scalableapi.api.cache.ResourceCache;
import dev.scalableapi.api.identity.AccessPolicy;
import dev.scalableapi.api.persistence.DatabaseAvailability;
import dev.scalableapi.api.persistence.DatabaseFailures;
import dev.scalableapi.api.resources.view.ResourceView;
import dev.scalableapi.common.envelope.Pagination;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.identity.Identity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Resource use cases. Every write is one transaction; only after it commits are the caches updated, and only
 * after that does the caller get an answer. A failure before commit leaves nothing behind.
 */
@ApplicationScoped
public class ResourceService {

    private final ResourceCache cache;
    private final ResourcesConfig config;
    private final DatabaseAvailability database;

    ResourceService(ResourceCache cache, ResourcesConfig config, DatabaseAvailability database) {
        this.cache = cache;
        this.config = config;
        this.database = database;
    }

    public record Page(List<ResourceView> items, Pagination pagination) {
    }

    public Uni<CacheLookup> get(long id) {
        return cache.get(id, this::load);
    }

    public Uni<Page> list(ResourceQuery query) {
        return database.guard(() -> Panache.withSession(() -> {
            PanacheQuery<Resource> found = find(query);
            return found.count().flatMap(total -> found.page(query.page() - 1, query.limit()).list()
                    .map(rows -> new Page(rows.stream().map(Resource::view).toList(),
                            Pagination.of(query.page(), query.limit(), total))));
        }))
                .ifNoItem().after(config.readTimeout()).fail()
                .onFailure().transform(DatabaseFailures::translate);
    }

    public Uni<ResourceView> create(ResourceInput input, Identity caller) {
        AccessPolicy.requireWriter(caller);
        return database.guard(() -> Panache.withTransaction(() -> {
            Resource resource = new Resource();
            resource.name = input.name();
            resource.type = input.type();
            resource.description = input.description();
            resource.ownerId = caller.userId();
            resource.createdAt = now();
            resource.updatedAt = resource.createdAt;
            return resource.<Resource>persist().map(Resource::view);
        })).onFailure().transform(DatabaseFailures::translate);
    }

    public Uni<ResourceView> replace(long id, ResourceInput input, Long expectedVersion, Identity caller) {
        Long expected = expectedVersion != null ? expectedVersion : input.version();
        return update(id, expected, caller, resource -> {
            resource.name = input.name();
            resource.type = input.type();
            resource.description = input.description();
        });
    }

    public Uni<ResourceView> patch(long id, ResourcePatch patch, Long expectedVersion, Identity caller) {
        patch.rejectNulledRequiredFields();
        Long expected = expectedVersion != null ? expectedVersion : patch.getVersion();
        return update(id, expected, caller, patch::applyTo);
    }

    public Uni<Void> delete(long id, Long expectedVersion, Identity caller) {
        AccessPolicy.requireWriter(caller);
        return database.guard(() -> Panache.withTransaction(() -> lockedRow(id).flatMap(resource -> {
            checkWritable(id, resource, expectedVersion, caller);
            return resource.delete();
        })))
                .onFailure().transform(DatabaseFailures::translate)
                .call(() -> cache.afterDelete(id));
    }

    private Uni<ResourceView> update(long id, Long expectedVersion, Identity caller, Consumer<Resource> change) {
        AccessPolicy.requireWriter(caller);
        return database.guard(() -> Panache.withTransaction(() -> lockedRow(id).flatMap(resource -> {
            checkWritable(id, resource, expectedVersion, caller);
            change.accept(resource);
            resource.updatedAt = now();
            return Panache.flush().map(flushed -> resource.view());
        })))
                .onFailure().transform(DatabaseFailures::translate)
                .call(cache::afterUpdate);
    }

    /**
     * The row, locked until the transaction ends ({@code SELECT … FOR UPDATE}): concurrent writes to one resource
     * queue instead of failing each other's version check, so without {@code If-Match} the last write wins, as
     * documented, and with it a stale version is a 409 decided on the row's committed state.
     */
    private static Uni<Resource> lockedRow(long id) {
        return Resource.findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    private static void checkWritable(long id, Resource resource, Long expectedVersion, Identity caller) {
        if (resource == null) {
            throw ApiException.notFound("Resource " + id);
        }
        AccessPolicy.requireOwnerOrAdmin(caller, resource.ownerId);
        if (expectedVersion != null && expectedVersion != resource.version) {
            throw new ApiException(ErrorCode.CONFLICT,
                    "Version mismatch: expected " + expectedVersion + ", current is " + resource.version,
                    Map.of("version", List.of("current version is " + resource.version)), null);
        }
    }

    private Uni<ResourceView> load(long id) {
        return database.guard(() -> Panache.withSession(() -> Resource.<Resource>findById(id)))
                .map(resource -> resource == null ? null : resource.view())
                .ifNoItem().after(config.readTimeout()).fail();
    }

    private static PanacheQuery<Resource> find(ResourceQuery query) {
        StringBuilder where = new StringBuilder();
        Map<String, Object> params = new HashMap<>();
        if (query.type() != null) {
            where.append("type = :type");
            params.put("type", query.type());
        }
        if (query.owner() != null) {
            where.append(where.isEmpty() ? "" : " and ").append("ownerId = :owner");
            params.put("owner", query.owner());
        }
        return where.isEmpty() ? Resource.findAll(query.sort()) : Resource.find(where.toString(), query.sort(), params);
    }

    /** PostgreSQL keeps microseconds; truncating here keeps the cached copy equal to a re-read row. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
