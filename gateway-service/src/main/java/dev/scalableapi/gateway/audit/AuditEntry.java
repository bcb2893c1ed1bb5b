package dev.scalableapi.gateway.audit;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Map;

/**
 * One row of the audit log.
 *
 * @param action  what was done: {@code auth.login}, {@code admin.login}, {@code admin.logout}, {@code key.create},
 *                {@code key.revoke}, {@code sessions.revoke}, {@code user.create}, {@code user.update},
 *                {@code auth.invitation}, {@code breaker.reset}, {@code cache.clear}
 * @param outcome  {@code success} or {@code failure} (and why, for logins: {@code denied}, {@code throttled})
 * @param attempts how many attempts the row stands for: 1, except for failed and throttled logins, which are
 *                 one row per action, outcome, email, address and minute ({@code occurredAt} is that minute)
 */
@RegisterForReflection
public record AuditEntry(Long id, Instant occurredAt, Long actorId, String actorEmail, String action, String target,
        String outcome, Map<String, Object> details, String clientIp, String requestId, int attempts) {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String THROTTLED = "throttled";

    public static AuditEntry of(Long actorId, String actorEmail, String action, String target, String outcome,
            Map<String, Object> details, String clientIp, String requestId) {
        return new AuditEntry(null, null, actorId, actorEmail, action, target, outcome, details, clientIp, requestId,
                1);
    }
}
