package dev.scalableapi.gateway.requestlog;

import dev.scalableapi.gateway.paging.KeysetCursor;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code request_logs} for the admin API: newest first, keyset-paged on (occurred_at, id), every filter
 * a bound parameter. The time bounds also let PostgreSQL skip whole daily partitions.
 */
@ApplicationScoped
public class RequestLogQuery {

    /**
     * All optional. {@code statusFrom}..{@code statusTo} is one status ({@code 404}) or a class ({@code 4xx}:
     * 400..499); {@code pathPrefix} matches the start of the path.
     */
    public record Filter(Instant from, Instant to, Integer statusFrom, Integer statusTo, String method,
            String pathPrefix, Long keyId, String requestId) {
    }

    @RegisterForReflection
    public record Entry(long id, Instant occurredAt, String requestId, String method, String route, String path,
            int status, double latencyMs, Long keyId, Long userId, String clientIp, String instance,
            String cacheStatus, String errorCode) {
    }

    private final Pool db;
    private final DatabaseDeadline deadline;

    RequestLogQuery(Pool db, DatabaseDeadline deadline) {
        this.db = db;
        this.deadline = deadline;
    }

    /** Up to {@code limit + 1} entries (one more than a page, to tell whether another page exists). */
    public Uni<List<Entry>> page(Filter filter, KeysetCursor before, int limit) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (filter.from() != null) {
            params.add(utc(filter.from()));
            where.add("occurred_at >= $" + params.size());
        }
        if (filter.to() != null) {
            params.add(utc(filter.to()));
            where.add("occurred_at < $" + params.size());
        }
        if (filter.statusFrom() != null && filter.statusFrom().equals(filter.statusTo())) {
            // An equality, not a one-value range: only then does the status index walk its rows newest first.
            params.add(filter.statusFrom().shortValue());
            where.add("status = $" + params.size());
        } else if (filter.statusFrom() != null) {
            params.add(filter.statusFrom().shortValue());
            params.add(filter.statusTo().shortValue());
            where.add("status between $" + (params.size() - 1) + " and $" + params.size());
        }
        if (filter.method() != null) {
            params.add(filter.method());
            where.add("method = $" + params.size());
        }
        if (filter.pathPrefix() != null) {
            params.add(filter.pathPrefix().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            where.add("path like $" + params.size());
        }
        if (filter.keyId() != null) {
            params.add(filter.keyId());
            where.add("key_id = $" + params.size());
        }
        if (filter.requestId() != null) {
            params.add(filter.requestId());
            where.add("request_id = $" + params.size());
        }
        if (before != null) {
            params.add(utc(before.occurredAt()));
            params.add(before.id());
            where.add("(occurred_at, id) < ($" + (params.size() - 1) + ", $" + params.size() + ")");
        }
        params.add(limit + 1);
        String sql = "select * from request_logs" + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by occurred_at desc, id desc limit $" + params.size();
        return deadline.bound(db.preparedQuery(sql).execute(Tuple.from(params))).map(rows -> {
            List<Entry> entries = new ArrayList<>();
            for (Row row : rows) {
                entries.add(toEntry(row));
            }
            return entries;
        });
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Entry toEntry(Row row) {
        return new Entry(row.getLong("id"), row.getOffsetDateTime("occurred_at").toInstant(),
                row.getString("request_id"), row.getString("method"), row.getString("route"), row.getString("path"),
                row.getShort("status"), row.getFloat("latency_ms"), row.getLong("key_id"), row.getLong("user_id"),
                row.getString("client_ip"), row.getString("instance"), row.getString("cache_status"),
                row.getString("error_code"));
    }
}
