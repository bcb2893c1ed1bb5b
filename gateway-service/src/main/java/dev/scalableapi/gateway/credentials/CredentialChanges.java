package dev.scalableapi.gateway.credentials;

import dev.scalableapi.gateway.accounts.UserSignIns;
import dev.scalableapi.gateway.keys.KeyLookup;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import dev.scalableapi.gateway.tiers.TierStore;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Brings every change to keys, users and rate-limit tiers into this replica's caches and the shared Redis, from
 * PostgreSQL — the path that works whoever made the change (the admin API, or an operator in SQL) and whether or not
 * Redis answered then. Triggers on {@code api_keys}, {@code users} and {@code rate_limit_tiers} write each change to
 * {@code credential_changes}; every {@code poll-interval} this replica reads the ones it has not applied and, for a
 * key, forgets its cached record ({@link KeyLookup#forget}); for a user, forgets the records of the user's keys
 * (under their current and previous secrets) and ends the user's tokens and sessions issued before the change
 * ({@link UserSignIns#endBefore}); for a tier, reads the tiers again and swaps this replica's policies
 * ({@link TierStore#sync}). Applying is idempotent, so every replica applies every change, and a change is
 * retried on the next read until Redis took it.
 * <p>
 * Nothing is missed for being committed late: each read fetches the changes written by transactions at least as
 * new as the oldest one still running at the previous read ({@code pg_snapshot_xmin}), whatever their timestamps.
 * A replica that starts catches up on the last hour, in case no replica was running to apply a change to Redis.
 * Rows older than a day are deleted.
 */
@ApplicationScoped
public class CredentialChanges {

    private static final Logger LOG = Logger.getLogger(CredentialChanges.class);
    private static final long STARTUP_LOOKBACK_SECONDS = 3_600;
    private static final long RETENTION_SECONDS = 86_400;

    /** One snapshot: the oldest running transaction, and the changes of transactions not older than $1. */
    private static final String READ = """
            with snapshot as (select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin)
            select s.xmin, c.id, c.txid, c.user_id, c.user_version, c.key_hash, c.tier,
                   case when c.user_id is not null
                        then array(select h from api_keys k, unnest(array[k.key_hash, k.previous_key_hash]) h
                                   where k.owner_id = c.user_id and h is not null) end as owner_keys
            from snapshot s
            left join credential_changes c on c.txid >= $1 and c.changed_at > now() - make_interval(secs => $2)
            order by c.id""";

    private record Change(long id, long txid, Long userId, Long userVersion, List<String> keyHashes, String tier) {
    }

    private final Pool db;
    private final DatabaseDeadline deadline;
    private final KeyLookup keys;
    private final UserSignIns signIns;
    private final TierStore tiers;
    /** Transactions at least this new may have changes not read yet; -1 before the first read. */
    private volatile long watermark = -1;
    /** Changes read and applied, by id, with their transaction: not applied again while they are read again. */
    private final Map<Long, Long> applied = new ConcurrentHashMap<>();
    private final String interval;
    private volatile boolean failing;

    public CredentialChanges(Pool db, DatabaseDeadline deadline, KeyLookup keys, UserSignIns signIns,
            TierStore tiers, CredentialsConfig config) {
        this.interval = config.pollInterval().toString();
        this.db = db;
        this.deadline = deadline;
        this.keys = keys;
        this.signIns = signIns;
        this.tiers = tiers;
    }

    @Scheduled(identity = "credential-changes", every = "${gateway.credentials.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return poll().invoke(applied -> {
            if (failing) {
                failing = false;
                LOG.info("Reading credential changes again");
            }
        }).onFailure().invoke(e -> {
            // once per outage, not once a second
            if (!failing) {
                failing = true;
                LOG.warnf("Reading credential changes failed, retrying every %s: %s", interval, e.toString());
            }
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    @Scheduled(identity = "credential-changes-retention", every = "1h", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> retention() {
        return db.preparedQuery("delete from credential_changes where changed_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of((double) RETENTION_SECONDS))
                .onFailure().invoke(e -> LOG.warnf("Deleting old credential changes failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Reads and applies the changes not applied yet; how many it applied fully. */
    public Uni<Integer> poll() {
        boolean first = watermark < 0;
        Tuple args = Tuple.of(first ? 0L : watermark, (double) (first ? STARTUP_LOOKBACK_SECONDS : RETENTION_SECONDS));
        return deadline.bound(db.preparedQuery(READ).execute(args)).flatMap(rows -> {
            long xmin = rows.iterator().next().getLong("xmin");
            List<Change> fresh = unapplied(rows);
            if (fresh.isEmpty()) {
                advance(xmin);
                return Uni.createFrom().item(0);
            }
            // however many tier changes a read brings, the tiers are read once
            Uni<Void> tierSync = tiers.sync().memoize().indefinitely();
            List<Uni<Boolean>> applying = fresh.stream().map(change -> apply(change, tierSync)).toList();
            return Uni.join().all(applying).andFailFast().map(results -> {
                int done = 0;
                for (int i = 0; i < results.size(); i++) {
                    if (results.get(i)) {
                        applied.put(fresh.get(i).id(), fresh.get(i).txid());
                        done++;
                    }
                }
                if (done == results.size()) {
                    advance(xmin);
                }
                return done;
            });
        });
    }

    private List<Change> unapplied(RowSet<Row> rows) {
        List<Change> fresh = new ArrayList<>();
        for (Row row : rows) {
            Long id = row.getLong("id");
            if (id == null || applied.containsKey(id)) {
                continue;
            }
            String keyHash = row.getString("key_hash");
            String[] ownerKeys = row.getArrayOfStrings("owner_keys");
            List<String> hashes = keyHash != null ? List.of(keyHash)
                    : ownerKeys == null ? List.of() : Arrays.asList(ownerKeys);
            fresh.add(new Change(id, row.getLong("txid"), row.getLong("user_id"), row.getLong("user_version"),
                    hashes, row.getString("tier")));
        }
        return fresh;
    }

    /** Every change of transactions older than {@code xmin} is applied: they will not be read again. */
    private void advance(long xmin) {
        watermark = xmin;
        applied.values().removeIf(txid -> txid < xmin);
    }

    /** True when every part reached Redis; this replica's own copies are forgotten either way. */
    private Uni<Boolean> apply(Change change, Uni<Void> tierSync) {
        List<Uni<Void>> parts = new ArrayList<>();
        if (change.tier() != null) {
            parts.add(tierSync);
        }
        change.keyHashes().forEach(hash -> parts.add(keys.forget(hash)));
        if (change.userId() != null) {
            parts.add(signIns.endBefore(change.userId(), change.userVersion()).replaceWithVoid());
        }
        if (parts.isEmpty()) {
            return Uni.createFrom().item(true);
        }
        return Uni.join().all(parts).andCollectFailures().map(done -> true)
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Credential change %d not fully applied, will retry: %s", change.id(),
                            failure.toString());
                    return false;
                });
    }
}
