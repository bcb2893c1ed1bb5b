package dev.scalableapi.gateway.tiers;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.requestid.RequestId;
import dev.scalableapi.common.tiers.Tier;
import dev.scalableapi.gateway.admin.AdminCaller;
import dev.scalableapi.gateway.audit.AuditEntry;
import dev.scalableapi.gateway.audit.AuditLog;
import dev.scalableapi.gateway.pipeline.Exchange;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicies;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import dev.scalableapi.gateway.storage.DatabaseDeadline;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The rate-limit tiers for admins: {@code GET /api/v1/admin/tiers} lists every tier with its policies;
 * {@code PUT /api/v1/admin/tiers/{name}} {@code {"policies": [...]}} replaces a tier's list (validated like a key's
 * {@code limits}). Only the four tiers exist (anonymous, free, pro, enterprise): users and keys are checked against
 * them, so a PUT does not create a tier and an unknown name is 404 {@code NOT_FOUND}. The change applies on this
 * replica at once and on every other within {@code GATEWAY_CREDENTIALS_POLL_INTERVAL} ({@link TierStore}); keys with
 * their own {@code limits} keep them. Audited as {@code tier.update} with the old and the new policies.
 */
@Path("/api/v1/admin/tiers")
@Produces(MediaType.APPLICATION_JSON)
public class TierAdminResource {

    private final TierStore store;
    private final DatabaseDeadline deadline;
    private final AuditLog audit;

    TierAdminResource(TierStore store, DatabaseDeadline deadline, AuditLog audit) {
        this.store = store;
        this.deadline = deadline;
        this.audit = audit;
    }

    @GET
    public Uni<ApiResponse<List<TierView>>> list() {
        return deadline.bound(store.all()).map(stored -> ApiResponse.of(stored.stream().map(TierView::of).toList()));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ApiResponse<TierView>> update(@RestPath String name, TierChange body, RoutingContext rc) {
        Tier tier = Tier.fromId(name).filter(known -> known.id().equals(name))
                .orElseThrow(() -> ApiException.notFound("Tier " + name + " (the tiers are anonymous, free, pro and "
                        + "enterprise)"));
        if (body == null || body.policies() == null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Validation failed for: policies",
                    Map.of("policies", List.of("is required: the tier's whole list of policies")), null);
        }
        List<RateLimitPolicy> policies = RateLimitPolicies.validated("policies", body.policies());
        AdminCaller admin = AdminCaller.of(rc);
        return deadline.bound(store.update(tier.id(), policies))
                .call(before -> {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("old", before.map(TierAdminResource::describe).orElse(null));
                    details.put("new", describe(policies));
                    return audit.record(AuditEntry.of(admin.user().id(), admin.user().email(), "tier.update",
                            "tier:" + tier.id(), AuditEntry.SUCCESS, details, Exchange.of(rc).clientIp(),
                            RequestId.current()));
                })
                .flatMap(before -> deadline.bound(store.all()))
                .map(stored -> ApiResponse.of(stored.stream().filter(t -> t.name().equals(tier.id()))
                        .map(TierView::of).findFirst()
                        .orElseThrow(() -> ApiException.notFound("Tier " + tier.id()))));
    }

    /** For the audit log: {@code burst: 50 per second, monthly: 5 per month} (as a key's limits are shown). */
    private static String describe(List<RateLimitPolicy> policies) {
        return String.join(", ", policies.stream()
                .map(p -> p.name() + ": " + p.limit() + " per " + p.window().id()).toList());
    }
}
