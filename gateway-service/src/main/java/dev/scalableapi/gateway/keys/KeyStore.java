package dev.scalableapi.gateway.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The admin side of {@code api_keys}: create, change, list, find, usage. Revocation is {@link KeyRevocations},
 * rotation {@link KeyRotations}.
 */
@ApplicationScoped
public class KeyStore {

    /** One page of keys and how many match in all. */
    public record Page(List<KeyView> keys, long total) {
    }

    /** Optional list filters; {@code search} matches the name or the prefix, case-insensitively. */
    public record Filter(String status, String tier, Long ownerId, String search) {
    }

    private static final String SELECT = """
            select k.id, k.prefix, k.name, k.owner_id, u.email, k.tier, k.scopes, k.rate_limit_per_minute,
                   k.rate_limits::text as rate_limits, k.status, k.expires_at, k.created_at, k.last_used_at, k.revoked_at,
                   k.previous_key_expires_at
            from api_keys k join users u on u.id = k.owner_id""";

    private final Pool db;
    private final DatabaseDeadline deadline;
    private final ObjectMapper json;

    KeyStore(Pool db, DatabaseDeadline deadline, ObjectMapper json) {
        this.db = db;
        this.deadline = deadline;
        this.json = json;
    }

    /**
     * Stores the key's hash and its own policies ({@code limits}, null for its tier's); empty when the owner does
     * not exist.
     */
    public Uni<Optional<KeyView>> create(NewKeyRequest request, List<RateLimitPolicy> limits, String fullKey) {
        String scopes = String.join(",", new TreeSet<>(request.scopes()));
        return deadline.bound(db.preparedQuery("""
                insert into api_keys (prefix, key_hash, name, owner_id, tier, scopes, rate_limit_per_minute, expires_at,
                                      rate_limits)
                select $1, $2, $3, u.id, $4, $5, $6, $7, $9::text::jsonb from users u where u.id = $8
                returning id""")
                .execute(Tuple.tuple().addValue(ApiKeyFormat.prefix(fullKey)).addValue(ApiKeyFormat.hash(fullKey))
                        .addValue(request.name().trim()).addValue(request.tier()).addValue(scopes)
                        .addValue(request.rateLimitPerMinute())
                        .addValue(request.expiresAt() == null ? null
                                : OffsetDateTime.ofInstant(request.expiresAt(), ZoneOffset.UTC))
                        .addValue(request.ownerId()).addValue(KeyLimits.write(json, limits))))
                .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().item(Optional.<KeyView>empty())
                        : byId(rows.iterator().next().getLong("id")));
    }

    /**
     * Applies the fields a patch names ({@code limits}: the patch's, validated; null returns the key to its tier's);
     * the hashes of the key's secrets (whose cached records are now wrong), or empty when there is no such key.
     */
    public Uni<Optional<List<String>>> update(long id, KeyPatch patch, List<RateLimitPolicy> limits) {
        return deadline.bound(db.preparedQuery("""
                update api_keys set name = case when $2 then $3 else name end,
                                    expires_at = case when $4 then $5 else expires_at end,
                                    rate_limits = case when $6 then $7::text::jsonb else rate_limits end
                where id = $1 returning key_hash, previous_key_hash""")
                .execute(Tuple.tuple().addValue(id).addValue(patch.hasName())
                        .addValue(patch.hasName() ? patch.getName().trim() : null).addValue(patch.hasExpiresAt())
                        .addValue(patch.getExpiresAt() == null ? null
                                : OffsetDateTime.ofInstant(patch.getExpiresAt(), ZoneOffset.UTC))
                        .addValue(patch.hasLimits()).addValue(KeyLimits.write(json, limits))))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(KeyCacheInvalidation.secretsOf(rows.iterator().next())));
    }

    public Uni<Optional<KeyView>> byId(long id) {
        return deadline.bound(db.preparedQuery(SELECT + " where k.id = $1").execute(Tuple.of(id)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toView(rows.iterator().next())));
    }

    public Uni<Page> page(Filter filter, int page, int limit) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (filter.status() != null) {
            params.add(filter.status());
            where.add("k.status = $" + params.size());
        }
        if (filter.tier() != null) {
            params.add(filter.tier());
            where.add("k.tier = $" + params.size());
        }
        if (filter.ownerId() != null) {
            params.add(filter.ownerId());
            where.add("k.owner_id = $" + params.size());
        }
        if (filter.search() != null) {
            params.add("%" + filter.search().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            where.add("(k.name ilike $" + params.size() + " or k.prefix ilike $" + params.size() + ")");
        }
        String condition = where.isEmpty() ? "" : " where " + String.join(" and ", where);
        Uni<Long> total = deadline.bound(db.preparedQuery("select count(*) from api_keys k" + condition)
                .execute(Tuple.from(params))).map(rows -> rows.iterator().next().getLong(0));
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(limit);
        pageParams.add((page - 1) * limit);
        Uni<List<KeyView>> keys = deadline.bound(db.preparedQuery(SELECT + condition + " order by k.id desc limit $"
                + (pageParams.size() - 1) + " offset $" + pageParams.size()).execute(Tuple.from(pageParams)))
                .map(rows -> {
                    List<KeyView> views = new ArrayList<>();
                    for (Row row : rows) {
                        views.add(toView(row));
                    }
                    return views;
                });
        return Uni.combine().all().unis(keys, total).asTuple().map(t -> new Page(t.getItem1(), t.getItem2()));
    }

    /**
     * The key's traffic from {@code key_usage_hourly}: the 24 hours and 30 days up to {@code now}, and the UTC
     * month {@code now} is in, from its 1st to {@code now}'s day.
     */
    public Uni<KeyUsage.Traffic> usage(long keyId, Instant lastUsedAt, Instant now) {
        Instant thisHour = now.truncatedTo(ChronoUnit.HOURS);
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        Instant firstHour = thisHour.minus(23, ChronoUnit.HOURS);
        Instant firstDay = today.minus(29, ChronoUnit.DAYS);
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant monthStart = day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant from = monthStart.isBefore(firstDay) ? monthStart : firstDay;
        return deadline.bound(db.preparedQuery("""
                select hour, requests, rate_limited, errors from key_usage_hourly
                where key_id = $1 and hour >= $2 order by hour""")
                .execute(Tuple.of(keyId, OffsetDateTime.ofInstant(from, ZoneOffset.UTC))))
                .map(rows -> {
                    Map<Instant, long[]> hours = new HashMap<>();
                    Map<Instant, long[]> days = new HashMap<>();
                    for (Row row : rows) {
                        Instant hour = row.getOffsetDateTime("hour").toInstant();
                        long[] counts = {row.getLong("requests"), row.getLong("rate_limited"), row.getLong("errors")};
                        add(hours, hour, counts);
                        add(days, hour.truncatedTo(ChronoUnit.DAYS), counts);
                    }
                    List<KeyUsage.Bucket> hourly = buckets(hours, firstHour, 24, ChronoUnit.HOURS);
                    List<KeyUsage.Bucket> daily = buckets(days, firstDay, 30, ChronoUnit.DAYS);
                    List<KeyUsage.Bucket> monthDays = buckets(days, monthStart, day.getDayOfMonth(), ChronoUnit.DAYS);
                    KeyUsage.Totals last24 = totals(hourly);
                    KeyUsage.Totals month = totals(monthDays);
                    return new KeyUsage.Traffic(keyId, lastUsedAt, last24, hourly, daily, new KeyUsage.Month(
                            monthStart, month.requests(), month.rateLimited(), month.errors(), monthDays));
                });
    }

    private static KeyUsage.Totals totals(List<KeyUsage.Bucket> buckets) {
        return new KeyUsage.Totals(buckets.stream().mapToLong(KeyUsage.Bucket::requests).sum(),
                buckets.stream().mapToLong(KeyUsage.Bucket::rateLimited).sum(),
                buckets.stream().mapToLong(KeyUsage.Bucket::errors).sum());
    }

    private static void add(Map<Instant, long[]> into, Instant at, long[] counts) {
        long[] sum = into.computeIfAbsent(at, k -> new long[3]);
        for (int i = 0; i < 3; i++) {
            sum[i] += counts[i];
        }
    }

    private static List<KeyUsage.Bucket> buckets(Map<Instant, long[]> counts, Instant first, int n,
            ChronoUnit unit) {
        List<KeyUsage.Bucket> buckets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant start = first.plus(i, unit);
            long[] c = counts.getOrDefault(start, new long[3]);
            buckets.add(new KeyUsage.Bucket(start, c[0], c[1], c[2]));
        }
        return buckets;
    }

    private KeyView toView(Row row) {
        return new KeyView(row.getLong("id"), row.getString("prefix"), row.getString("name"),
                row.getLong("owner_id"), row.getString("email"), row.getString("tier"),
                Arrays.stream(row.getString("scopes").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                row.getInteger("rate_limit_per_minute"), KeyLimits.read(json, row.getString("rate_limits")),
                row.getString("status"), instant(row, "expires_at"),
                instant(row, "created_at"), instant(row, "last_used_at"), instant(row, "revoked_at"),
                instant(row, "previous_key_expires_at"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
