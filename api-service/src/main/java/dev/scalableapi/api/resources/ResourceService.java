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
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Resource use cases. Every write is one transaction; only after it commits are the caches updated, and only
 * after that does the caller get an answer. A failure before commit leaves nothing behind.
 */
@ApplicationScoped
public class ResourceService {

    private final ResourceCache cache;
    private final ResourcesConfig config;
    private final DatabaseAvailability database;
    private final Pool pool;

    ResourceService(ResourceCache cache, ResourcesConfig config, DatabaseAvailability database, Pool pool) {
        this.cache = cache;
        this.config = config;
        this.database = database;
        this.pool = pool;
    }

    public record Page(List<ResourceView> items, Pagination pagination) {
    }

    public Uni<CacheLookup> get(long id) {
        return cache.get(id, this::load);
    }

    /**
     * A numbered page with its total counted up to {@code api.resources.max-count}, or the page after a cursor
     * (no total: counting is what a cursor walk avoids). Either way {@code nextCursor} when more rows follow.
     */
    public Uni<Page> list(ResourceQuery query) {
        return database.guard(() -> query.cursor() == null ? numberedPage(query) : pageAfterCursor(query))
                .ifNoItem().after(config.readTimeout()).fail()
                .onFailure().transform(DatabaseFailures::translate);
    }

    private Uni<Page> numberedPage(ResourceQuery query) {
        // Two connections at once: the count and the rows do not wait for each other.
        return Uni.combine().all().unis(rows(query), count(query)).asTuple().map(found -> {
            List<ResourceView> rows = found.getItem1();
            long counted = found.getItem2();
            boolean capped = counted > config.maxCount();
            return new Page(page(rows, query), Pagination.cappedTotal(query.page(), query.limit(),
                    capped ? config.maxCount() : counted, capped, nextCursor(rows, query)));
        });
    }

    private Uni<Page> pageAfterCursor(ResourceQuery query) {
        return rows(query).map(rows -> new Page(page(rows, query),
                Pagination.keyset(query.limit(), nextCursor(rows, query))));
    }

    private Uni<List<ResourceView>> rows(ResourceQuery query) {
        ResourceListSql.Statement statement = ResourceListSql.rows(query);
        return pool.preparedQuery(statement.sql()).execute(statement.params())
                .map(rows -> {
                    List<ResourceView> views = new ArrayList<>(rows.size());
                    rows.forEach(row -> views.add(ResourceListSql.view(row)));
                    return views;
                });
    }

    private Uni<Long> count(ResourceQuery query) {
        ResourceListSql.Statement statement = ResourceListSql.count(query, config.maxCount() + 1);
        return pool.preparedQuery(statement.sql()).execute(statement.params())
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** The rows were read with one extra, which only says that more follow. */
    private static List<ResourceView> page(List<ResourceView> rows, ResourceQuery query) {
        return rows.size() > query.limit() ? rows.subList(0, query.limit()) : rows;
    }

    private static String nextCursor(List<ResourceView> rows, ResourceQuery query) {
        if (rows.size() <= query.limit()) {
            return null;
        }
        return ResourceCursor.after(rows.get(query.limit() - 1), query.sort()).encode();
    }

    public Uni<ResourceView> create(ResourceInput input, Identity caller) {
        AccessPolicy.requireWriter(caller);
        return transaction(() -> {
            Resource resource = new Resource();
            resource.name = input.name();
            resource.type = input.type();
            resource.description = input.description();
            resource.ownerId = caller.userId();
            resource.createdAt = now();
            resource.updatedAt = resource.createdAt;
            return resource.<Resource>persist().map(Resource::view);
        }).onFailure().transform(DatabaseFailures::translate);
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
        return transaction(() -> lockedRow(id).flatMap(resource -> {
            checkWritable(id, resource, expectedVersion, caller);
            return resource.delete();
        }))
                .onFailure().transform(DatabaseFailures::translate)
                .call(() -> cache.afterDelete(id));
    }

    private Uni<ResourceView> update(long id, Long expectedVersion, Identity caller, Consumer<Resource> change) {
        AccessPolicy.requireWriter(caller);
        return transaction(() -> lockedRow(id).flatMap(resource -> {
            checkWritable(id, resource, expectedVersion, caller);
            change.accept(resource);
            resource.updatedAt = now();
            return Panache.flush().map(flushed -> resource.view());
        }))
                .onFailure().transform(DatabaseFailures::translate)
                .call(cache::afterUpdate);
    }

    /** A write transaction with a deadline ({@link WriteDeadline}): committed before it, or not at all. */
    private <T> Uni<T> transaction(Supplier<Uni<T>> work) {
        WriteDeadline deadline = WriteDeadline.start(config.writeTimeout());
        return database.<T>guard(() -> Panache.withTransaction(() -> work.get().invoke(deadline::checkBeforeCommit)))
                .onFailure().transform(deadline::failed)
                .ifNoItem().after(config.writeTimeout()).failWith(deadline::expired);
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

    /** PostgreSQL keeps microseconds; truncating here keeps the cached copy equal to a re-read row. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
