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
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * API keys for operators: list (never a hash or a value), create (the value shown once), revoke (refused on every
 * gateway replica within 5 s) and usage. Creations and revocations are audited.
 */
@Path("/api/v1/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyAdminResource {

    /** Deep enough for any key list; keeps (page - 1) × limit far from overflowing. */
    private static final int MAX_PAGE = 100_000;
    private static final Set<String> STATUSES = Set.of("active", "revoked");
    private static final Set<String> TIERS = Set.of("free", "pro", "enterprise");

    private final KeyStore store;
    private final KeyRevocations revocations;
    private final KeysConfig config;
    private final AuditLog audit;

    KeyAdminResource(KeyStore store, KeyRevocations revocations, KeysConfig config, AuditLog audit) {
        this.store = store;
        this.revocations = revocations;
        this.config = config;
        this.audit = audit;
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
        String fullKey = ApiKeyFormat.generate(config.environment());
        return store.create(body, fullKey)
                .map(created -> created.orElseThrow(() -> new ApiException(ErrorCode.VALIDATION_FAILED,
                        "No user with id " + body.ownerId(), Map.of("ownerId", List.of("no such user")), null)))
                .call(view -> audit.record(AuditEntry.of(admin.user().id(), admin.user().email(), "key.create",
                        "key:" + view.id(), AuditEntry.SUCCESS,
                        Map.of("prefix", view.prefix(), "name", view.name(), "ownerId", view.ownerId(),
                                "tier", view.tier()),
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

    @GET
    @Path("{id}/usage")
    public Uni<ApiResponse<KeyUsage>> usage(@RestPath long id) {
        return store.byId(id)
                .map(found -> found.orElseThrow(() -> ApiException.notFound("Key " + id)))
                .flatMap(key -> store.usage(id, key.lastUsedAt(), Instant.now()))
                .map(ApiResponse::of);
    }
}
