package dev.scalableapi.gateway.keys;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.envelope.Pagination;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.params.QueryParameters;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.requestid.RequestId;
import dev.scalableapi.gateway.admin.AdminCaller;
import dev.scalableapi.gateway.audit.AuditEntry;
import dev.scalableapi.gateway.audit.AuditLog;
import dev.scalableapi.gateway.pipeline.Exchange;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicies;
import dev.scalableapi.gateway.ratelimit.RateLimitPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * API keys for operators: list (never a hash or a value), create (the value shown once), change (name, expiry,
 * rate-limit policies),
 * rotate (the new value shown once, the old one working for a grace period), revoke (refused on every gateway
 * replica within 5 s) and usage. Every change is audited, never with a key's value.
 */
@Path("/api/v1/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyAdminResource {

    /** Deep enough for any key list; keeps (page - 1) × limit far from overflowing. */
    private static final int MAX_PAGE = 100_000;
    private static final Set<String> STATUSES = Set.of("active", "revoked");
    private static final Set<String> TIERS = Set.of("free", "pro", "enterprise");
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final KeyStore store;
    private final KeyRevocations revocations;
    private final KeyRotations rotations;
    private final KeyCacheInvalidation invalidation;
    private final KeysConfig config;
    private final AuditLog audit;
    private final KeyPolicyUsage policyUsage;

    KeyAdminResource(KeyStore store, KeyRevocations revocations, KeyRotations rotations,
            KeyCacheInvalidation invalidation, KeysConfig config, AuditLog audit, KeyPolicyUsage policyUsage) {
        this.store = store;
        this.revocations = revocations;
        this.rotations = rotations;
        this.invalidation = invalidation;
        this.config = config;
        this.audit = audit;
        this.policyUsage = policyUsage;
    }

    @GET
    public Uni<ApiResponse<List<KeyView>>> list(@RestQuery String page, @RestQuery String limit,
            @RestQuery String status, @RestQuery String tier, @RestQuery String ownerId, @RestQuery String q) {
        int pageNumber = QueryParameters.positiveInt("page", page, 1, MAX_PAGE);
        int pageSize = QueryParameters.positiveInt("limit", limit, 20, 100);
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalidParameter("status", "must be active or revoked");
        }
        if (tier != null && !TIERS.contains(tier)) {
            throw ApiException.invalidParameter("tier", "must be free, pro or enterprise");
        }
        if (q != null && q.length() > 100) {
            throw ApiException.invalidParameter("q", "must be at most 100 characters");
        }
        KeyStore.Filter filter = new KeyStore.Filter(status, tier, QueryParameters.positiveId("ownerId", ownerId),
                q == null || q.isBlank() ? null : q.trim());
        return store.page(filter, pageNumber, pageSize)
                .map(found -> ApiResponse.page(found.keys(), Pagination.of(pageNumber, pageSize, found.total())));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@Valid @NotNull NewKeyRequest request, RoutingContext rc) {
        AdminCaller admin = AdminCaller.of(rc);
        NewKeyRequest body = request.ownerId() == null ? request.ownedBy(admin.user().id()) : request;
        List<RateLimitPolicy> limits = ownLimits(body);
        String fullKey = ApiKeyFormat.generate(config.environment());
        return store.create(body, limits, fullKey)
                .map(created -> created.orElseThrow(() -> new ApiException(ErrorCode.VALIDATION_FAILED,
                        "No user with id " + body.ownerId(), Map.of("ownerId", List.of("no such user")), null)))
                .call(view -> audit.record(AuditEntry.of(admin.user().id(), admin.user().email(), "key.create",
                        "key:" + view.id(), AuditEntry.SUCCESS,
                        created(view),
                        Exchange.of(rc).clientIp(), RequestId.current())))
                .map(view -> Response.status(Response.Status.CREATED)
                        .header("Cache-Control", "no-store")
                        .header("Location", "/api/v1/admin/keys/" + view.id())
                        .entity(ApiResponse.of(new KeyView.Created(fullKey,
                                "Store this key now: it is shown only once and cannot be recovered.", view)))
                        .build());
    }

    @GET
    @Path("{id}")
    public Uni<ApiResponse<KeyView>> get(@RestPath long id) {
        return store.byId(id).map(found -> ApiResponse.of(found.orElseThrow(() -> ApiException.notFound("Key " + id))));
    }

    /**
     * Sets the fields the body names ({@code name}, {@code expiresAt}, {@code limits}; {@code "expiresAt": null}
     * removes the expiry, {@code "limits": null} returns the key to its tier's policies). A change reaches every
     * replica's cached records at once. Audited when the body names a field.
     */
    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, MERGE_PATCH})
    public Uni<ApiResponse<KeyView>> update(@RestPath long id, @Valid @NotNull KeyPatch body, RoutingContext rc) {
        body.rejectNullName();
        List<RateLimitPolicy> limits = body.getLimits() == null ? null
                : RateLimitPolicies.validated("limits", body.getLimits());
        if (body.isEmpty()) {
            return get(id);
        }
        AdminCaller admin = AdminCaller.of(rc);
        Map<String, Object> changed = new LinkedHashMap<>();
        if (body.hasName()) {
            changed.put("name", body.getName().trim());
        }
        if (body.hasExpiresAt()) {
            changed.put("expiresAt", body.getExpiresAt() == null ? null : body.getExpiresAt().toString());
        }
        if (body.hasLimits()) {
            changed.put("limits", limits == null ? null : describe(limits));
        }
        return store.update(id, body, limits)
                .map(hashes -> hashes.orElseThrow(() -> ApiException.notFound("Key " + id)))
                .call(invalidation::everywhere)
                .call(hashes -> audit.record(AuditEntry.of(admin.user().id(), admin.user().email(), "key.update",
                        "key:" + id, AuditEntry.SUCCESS, changed, Exchange.of(rc).clientIp(), RequestId.current())))
                .flatMap(hashes -> get(id));
    }

    /**
     * Gives the key a new secret, shown once in the answer; the secret it replaces keeps working for
     * {@code graceSeconds} (24 h when absent; 0 ends it at once). The key keeps its id, limits and usage. A revoked
     * key cannot be rotated (409). The body is optional.
     */
    @POST
    @Path("{id}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> rotate(@RestPath long id, @Valid RotateKeyRequest body, RoutingContext rc) {
        AdminCaller admin = AdminCaller.of(rc);
        RotateKeyRequest request = body == null ? new RotateKeyRequest(null) : body;
        String fullKey = ApiKeyFormat.generate(config.environment());
        return rotations.rotate(id, fullKey, request.grace())
                .flatMap(rotated -> store.byId(id).map(found -> {
                    KeyView view = found.orElseThrow(() -> ApiException.notFound("Key " + id));
                    if (!rotated) {
                        throw new ApiException(ErrorCode.CONFLICT, "Key " + id + " is revoked: it cannot be rotated");
                    }
                    return view;
                }))
                .call(view -> audit.record(AuditEntry.of(admin.user().id(), admin.user().email(), "key.rotate",
                        "key:" + id, AuditEntry.SUCCESS,
                        Map.of("prefix", view.prefix(), "graceSeconds", request.grace().toSeconds(),
                                "previousKeyExpiresAt", view.previousKeyExpiresAt().toString()),
                        Exchange.of(rc).clientIp(), RequestId.current())))
                .map(view -> Response.ok(ApiResponse.of(new KeyView.Created(fullKey,
                                "Store this key now: it is shown only once and cannot be recovered. The key it "
                                        + "replaces works until details.previousKeyExpiresAt.", view)))
                        .header("Cache-Control", "no-store")
                        .build());
    }

    /**
     * The request's own policies (validated), or null for its tier's. {@code limits} replaces the tier's list, so a
     * {@code rateLimitPerMinute} beside it would mean nothing: refused.
     */
    private static List<RateLimitPolicy> ownLimits(NewKeyRequest request) {
        if (request.limits() == null) {
            return null;
        }
        if (request.rateLimitPerMinute() != null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Validation failed for: rateLimitPerMinute",
                    Map.of("rateLimitPerMinute", List.of("give either limits (which replace the tier's policies) or "
                            + "rateLimitPerMinute (the tier's minute limit), not both")), null);
        }
        return RateLimitPolicies.validated("limits", request.limits());
    }

    private static Map<String, Object> created(KeyView view) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("prefix", view.prefix());
        details.put("name", view.name());
        details.put("ownerId", view.ownerId());
        details.put("tier", view.tier());
        if (view.limits() != null) {
            details.put("limits", describe(view.limits()));
        }
        return details;
    }

    /** For the audit log: {@code burst: 50 per second, monthly: 5 per month}. */
    private static String describe(List<RateLimitPolicy> limits) {
        return String.join(", ", limits.stream()
                .map(p -> p.name() + ": " + p.limit() + " per " + p.window().id()).toList());
    }

    /** Idempotent: revoking a revoked key answers the same view, and only the first revocation is audited. */
    @DELETE
    @Path("{id}")
    public Uni<ApiResponse<KeyView>> revoke(@RestPath long id, RoutingContext rc) {
        AdminCaller admin = AdminCaller.of(rc);
        return revocations.revoke(id)
                .call(revoked -> !revoked ? Uni.createFrom().voidItem()
                        : audit.record(AuditEntry.of(admin.user().id(), admin.user().email(), "key.revoke",
                                "key:" + id, AuditEntry.SUCCESS, null, Exchange.of(rc).clientIp(),
                                RequestId.current())))
                .flatMap(revoked -> store.byId(id))
                .map(found -> ApiResponse.of(found.orElseThrow(() -> ApiException.notFound("Key " + id))));
    }

    /**
     * The key's traffic (database) and its policies' current periods (the limiter's Redis, read without spending);
     * the two are read at once, and a Redis that cannot answer leaves the counts out ({@code countersAvailable}).
     */
    @GET
    @Path("{id}/usage")
    public Uni<ApiResponse<KeyUsage>> usage(@RestPath long id) {
        return store.byId(id)
                .map(found -> found.orElseThrow(() -> ApiException.notFound("Key " + id)))
                .flatMap(key -> Uni.combine().all()
                        .unis(store.usage(id, key.lastUsedAt(), Instant.now()), policyUsage.of(key)).asTuple())
                .map(both -> ApiResponse.of(both.getItem1().with(both.getItem2())));
    }
}
