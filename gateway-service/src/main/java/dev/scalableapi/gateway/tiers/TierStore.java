package dev.scalableapi.gateway.tiers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.common.tiers.Tier;
import dev.scalableapi.gateway.ratelimit.RateLimitConfig;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicies;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import dev.scalableapi.gateway.ratelimit.TierPolicies;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The tiers' policies in PostgreSQL ({@code rate_limit_tiers}) and this replica's copy of them
 * ({@link TierPolicies}). {@link #sync} seeds the tiers the table lacks from the properties — never overwriting
 * one — and replaces the copy with what the table holds: at start, and whenever {@code credentials/CredentialChanges}
 * reads a tier's change (every replica within its poll interval, whoever wrote it). Only the four tiers of
 * {@link Tier} are kept; a row that is not a valid policy list (written by hand in SQL) keeps that tier's current
 * policies and is logged.
 */
@ApplicationScoped
public class TierStore {

    private static final Logger LOG = Logger.getLogger(TierStore.class);
    private static final TypeReference<List<RateLimitPolicy>> LIST = new TypeReference<>() {
    };
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** A tier as stored. */
    public record Stored(String name, List<RateLimitPolicy> policies, OffsetDateTime updatedAt) {
    }

    private final Pool db;
    private final TierPolicies tiers;
    private final ObjectMapper json;
    private final Map<String, List<RateLimitPolicy>> seed;

    @Inject
    TierStore(Pool db, TierPolicies tiers, ObjectMapper json, RateLimitConfig config) {
        this(db, tiers, json, TierPolicies.fromProperties(config));
    }

    /** @param seed what a tier missing from the table starts with (the properties' policies) */
    public TierStore(Pool db, TierPolicies tiers, ObjectMapper json, Map<String, List<RateLimitPolicy>> seed) {
        this.db = db;
        this.tiers = tiers;
        this.json = json;
        this.seed = Map.copyOf(seed);
    }

    /** Before the first request: what operators set applies from the start, not the properties. */
    void onStart(@Observes StartupEvent event) {
        try {
            sync().await().atMost(START_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("Reading the rate-limit tiers failed; using the properties' until the next read: %s",
                    e.toString());
        }
    }

    /** Seeds the missing tiers, then makes the table's policies this replica's. */
    public Uni<Void> sync() {
        List<String> names = new ArrayList<>(seed.keySet());
        String[] lists = names.stream().map(name -> write(seed.get(name))).toArray(String[]::new);
        return db.preparedQuery("""
                        insert into rate_limit_tiers (name, policies)
                        select name, policies::jsonb from unnest($1::text[], $2::text[]) as seed(name, policies)
                        on conflict (name) do nothing""")
                .execute(Tuple.tuple().addArrayOfString(names.toArray(String[]::new)).addArrayOfString(lists))
                .flatMap(ignored -> all())
                .invoke(stored -> {
                    Map<String, List<RateLimitPolicy>> next = new LinkedHashMap<>(tiers.tiers());
                    stored.forEach(tier -> next.put(tier.name(), tier.policies()));
                    tiers.replace(next);
                })
                .replaceWithVoid();
    }

    /** Every known tier as stored, in the order anonymous, free, pro, enterprise. */
    public Uni<List<Stored>> all() {
        return db.query("""
                        select name, policies::text as policies, updated_at from rate_limit_tiers
                        order by array_position(array['anonymous', 'free', 'pro', 'enterprise'], name::text), name""")
                .execute()
                .map(rows -> {
                    List<Stored> stored = new ArrayList<>();
                    for (Row row : rows) {
                        read(row).ifPresent(stored::add);
                    }
                    return stored;
                });
    }

    /**
     * Sets a known tier's policies (validated by the caller) and applies them on this replica at once; the others
     * follow from the change row the table's trigger writes. The tier's policies before, if it had any.
     */
    public Uni<Optional<List<RateLimitPolicy>>> update(String name, List<RateLimitPolicy> policies) {
        return db.withTransaction(conn -> conn
                        .preparedQuery("select policies::text as policies from rate_limit_tiers where name = $1"
                                + " for update")
                        .execute(Tuple.of(name))
                        .flatMap(before -> conn.preparedQuery("""
                                        insert into rate_limit_tiers (name, policies) values ($1, $2::text::jsonb)
                                        on conflict (name) do update set policies = excluded.policies,
                                                                         updated_at = now()""")
                                .execute(Tuple.of(name, write(policies)))
                                .map(ignored -> before.iterator().hasNext()
                                        ? parse(before.iterator().next().getString("policies"))
                                        : Optional.<List<RateLimitPolicy>>empty())))
                .call(this::sync);
    }

    private Optional<Stored> read(Row row) {
        String name = row.getString("name");
        if (Tier.fromId(name).filter(tier -> tier.id().equals(name)).isEmpty()) {
            return Optional.empty();
        }
        Optional<List<RateLimitPolicy>> policies = parse(row.getString("policies"));
        if (policies.isEmpty()) {
            LOG.warnf("rate_limit_tiers holds no valid policy list for tier %s; keeping its current policies", name);
        }
        return policies.map(list -> new Stored(name, list, row.getOffsetDateTime("updated_at")));
    }

    /** The list when it is one a tier may have (1 to 8 policies, names unique), else empty. */
    private Optional<List<RateLimitPolicy>> parse(String column) {
        try {
            List<RateLimitPolicy> list = List.copyOf(json.readValue(column, LIST));
            boolean unique = new HashSet<>(list.stream().map(RateLimitPolicy::name).toList()).size() == list.size();
            return !list.isEmpty() && list.size() <= RateLimitPolicies.MAX_POLICIES && unique
                    ? Optional.of(list) : Optional.empty();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String write(List<RateLimitPolicy> policies) {
        try {
            return json.writeValueAsString(policies);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
