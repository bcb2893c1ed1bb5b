package dev.scalableapi.gateway.admin;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.requestid.RequestId;
import dev.scalableapi.gateway.accounts.UserSignIns;
import dev.scalableapi.gateway.accounts.UserStore;
import dev.scalableapi.gateway.audit.AuditEntry;
import dev.scalableapi.gateway.audit.AuditLog;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;

/**
 * {@code POST /api/v1/admin/users/{id}/sessions/revoke}: signs a user out everywhere — every login token and
 * admin session of the user ends on every replica at once. The user's new identity version is recorded in
 * PostgreSQL first, so the sign-out stands even if Redis fails halfway (every replica completes it,
 * {@code credentials/CredentialChanges}); the user can sign in again at once. Audited as
 * {@code sessions.revoke}.
 */
@Path("/api/v1/admin/users/{id}/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class UserSessionsAdminResource {

    /** @param ended how many live tokens and sessions ended */
    @RegisterForReflection
    public record Revoked(long userId, long ended) {
    }

    private final UserStore users;
    private final UserSignIns signIns;
    private final AuditLog audit;

    UserSessionsAdminResource(UserStore users, UserSignIns signIns, AuditLog audit) {
        this.users = users;
        this.signIns = signIns;
        this.audit = audit;
    }

    @POST
    @Path("revoke")
    public Uni<ApiResponse<Revoked>> revoke(@RestPath long id, RoutingContext rc) {
        AdminCaller admin = AdminCaller.of(rc);
        return users.nextIdentityVersion(id)
                .map(version -> version.orElseThrow(() -> ApiException.notFound("User " + id)))
                .flatMap(version -> signIns.endBefore(id, version)
                        .onFailure().transform(failure -> new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                                "Signed out in the database; the gateways end the sessions as soon as Redis "
                                        + "answers again", Map.of(), 1L)))
                .call(ended -> audit.record(AuditEntry.of(admin.user().id(), admin.user().email(),
                        "sessions.revoke", "user:" + id, AuditEntry.SUCCESS, Map.of("ended", ended),
                        Exchange.of(rc).clientIp(), RequestId.current())))
                .map(ended -> ApiResponse.of(new Revoked(id, ended)));
    }
}
