package dev.scalableapi.gateway.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalableapi.gateway.paging.KeysetCursor;
import dev.scalableapi.gateway.storage.StorableText;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.micrometer.core.instrument.Counter;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The {@code audit_log} table. Writing never fails the action it records (the action has happened): a failed
 * write is logged with the entry and counted as {@code gateway_audit_write_failures_total}. Failed and throttled
 * logins do not come here one by one: {@link FailedLoginAudit} aggregates them.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {
    };

    private final Pool db;
    private final ObjectMapper json;
    private final Counter writeFailures;
    private final DatabaseDeadline deadline;

    AuditLog(Pool db, ObjectMapper json, MeterRegistry registry, DatabaseDeadline deadline) {
        this.db = db;
        this.deadline = deadline;
        this.json = json;
        this.writeFailures = Counter.builder("gateway.audit.write.failures")
                .description("Audit entries that could not be written").register(registry);
    }

    public Uni<Void> record(AuditEntry entry) {
        return deadline.bound(db.preparedQuery("""
                insert into audit_log (actor_id, actor_email, action, target, outcome, details, client_ip, request_id)
                values ($1, $2, $3, $4, $5, $6, $7, $8)""")
                .execute(Tuple.tuple().addValue(entry.actorId())
                        .addValue(StorableText.of(entry.actorEmail(), FailedLoginAudit.EMAIL_MAX))
                        .addValue(entry.action()).addValue(entry.target()).addValue(entry.outcome())
                        .addValue(entry.details() == null ? null : new JsonObject(entry.details()))
                        .addValue(entry.clientIp()).addValue(entry.requestId())))
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    writeFailures.increment();
                    LOG.errorf("Audit entry not written (%s): action=%s actor=%s target=%s outcome=%s",
                            failure.toString(), entry.action(), entry.actorEmail(), entry.target(), entry.outcome());
                    return null;
                });
    }

    /** Newest first, {@code limit} + 1 rows fetched to know whether another page exists. */
    public Uni<List<AuditEntry>> page(String action, Long actorId, KeysetCursor before, int limit) {
        List<String> where = new ArrayList<>();
        Tuple args = Tuple.tuple();
        if (action != null) {
            args.addValue(action);
            where.add("action = $" + args.size());
        }
        if (actorId != null) {
            args.addValue(actorId);
            where.add("actor_id = $" + args.size());
        }
        if (before != null) {
            args.addValue(OffsetDateTime.ofInstant(before.occurredAt(), ZoneOffset.UTC));
            args.addValue(before.id());
            where.add("(occurred_at, id) < ($" + (args.size() - 1) + ", $" + args.size() + ")");
        }
        args.addValue(limit + 1);
        String sql = "select * from audit_log" + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by occurred_at desc, id desc limit $" + args.size();
        return deadline.bound(db.preparedQuery(sql).execute(args)).map(rows -> {
            List<AuditEntry> entries = new ArrayList<>();
            for (Row row : rows) {
                entries.add(toEntry(row));
            }
            return entries;
        });
    }

    private AuditEntry toEntry(Row row) {
        Object details = row.getValue("details");
        Map<String, Object> map = null;
        if (details != null) {
            try {
                map = json.readValue(details.toString(), DETAILS);
            } catch (JsonProcessingException e) {
                map = Map.of("unreadable", details.toString());
            }
        }
        return new AuditEntry(row.getLong("id"), row.getOffsetDateTime("occurred_at").toInstant(),
                row.getLong("actor_id"), row.getString("actor_email"), row.getString("action"),
                row.getString("target"), row.getString("outcome"), map, row.getString("client_ip"),
                row.getString("request_id"), row.getInteger("attempts"));
    }
}
