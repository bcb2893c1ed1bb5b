package dev.scalableapi.gateway.admin;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.requestid.RequestId;
import dev.scalableapi.gateway.accounts.Login;
import dev.scalableapi.gateway.accounts.LoginRequest;
import dev.scalableapi.gateway.accounts.UserAccount;
import dev.scalableapi.gateway.audit.AuditEntry;
import dev.scalableapi.gateway.audit.AuditLog;
import dev.scalableapi.gateway.audit.FailedLoginAudit;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * The dashboard's session: login sets the session cookie (HttpOnly, SameSite=Strict, Secure outside dev) and
 * answers with the CSRF token that state-changing calls must echo in {@code X-CSRF-Token}; {@code GET /me}
 * gives it again after a page reload. Only admins get a session (a user's correct password: 403). While the
 * session is used, {@link AdminAccessFilter} re-issues its cookie ({@link AdminSessions}).
 */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminSessionResource {

    @RegisterForReflection
    public record SessionView(UserAccount user, String csrfToken, String expiresIdleAfter) {
    }

    private final Login login;
    private final AdminSessions sessions;
    private final AuditLog audit;
    private final FailedLoginAudit failedLogins;
    private final AdminConfig.Session config;

    AdminSessionResource(Login login, AdminSessions sessions, AuditLog audit, FailedLoginAudit failedLogins,
            AdminConfig config) {
        this.login = login;
        this.sessions = sessions;
        this.audit = audit;
        this.failedLogins = failedLogins;
        this.config = config.session();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ApiResponse<SessionView>> login(@Valid @NotNull LoginRequest body, RoutingContext rc) {
        String ip = Exchange.of(rc).clientIp();
        return login.authenticate(body.email(), body.password(), Exchange.of(rc).clientNetwork())
                .flatMap(signedIn -> {
                    UserAccount user = signedIn.user();
                    if (!user.isAdmin()) {
                        return audited(user, body.email(), "denied", ip).chain(() -> Uni.createFrom()
                                .failure(new ApiException(ErrorCode.FORBIDDEN, "Admin role required")));
                    }
                    return sessions.create(user, signedIn.identityVersion()).call(created -> audited(user,
                            body.email(), AuditEntry.SUCCESS, ip));
                })
                .onFailure(ApiException.class).invoke(failure -> failedLogin((ApiException) failure, body.email(), ip))
                .map(created -> {
                    rc.response().addCookie(sessions.cookie(created.id(), created.session(),
                            created.session().createdAt()));
                    rc.response().putHeader("Cache-Control", "no-store");
                    return ApiResponse.of(new SessionView(created.session().user(), created.session().csrfToken(),
                            config.idleTimeout().toString()));
                });
    }

    @POST
    @Path("logout")
    public Uni<ApiResponse<Map<String, Boolean>>> logout(RoutingContext rc) {
        AdminCaller caller = AdminCaller.of(rc);
        Uni<Void> ended = caller.sessionId() == null ? Uni.createFrom().voidItem()
                : sessions.delete(caller.sessionId());
        return ended.call(() -> audit.record(AuditEntry.of(caller.user().id(), caller.user().email(),
                        "admin.logout", null, AuditEntry.SUCCESS, null, Exchange.of(rc).clientIp(),
                        RequestId.current())))
                .map(v -> {
                    rc.response().addCookie(sessions.clearedCookie());
                    return ApiResponse.of(Map.of("signedOut", caller.sessionId() != null));
                });
    }

    @GET
    @Path("me")
    public ApiResponse<SessionView> me(RoutingContext rc) {
        AdminCaller caller = AdminCaller.of(rc);
        return ApiResponse.of(new SessionView(caller.user(), caller.csrfToken(),
                caller.sessionId() == null ? null : config.idleTimeout().toString()));
    }

    private Uni<Void> audited(UserAccount user, String email, String outcome, String ip) {
        return audit.record(AuditEntry.of(user.id(), email, "admin.login", null, outcome, null, ip,
                RequestId.current()));
    }

    /** Failed and throttled logins are aggregated per minute (a guessing loop must not flood the log). */
    private void failedLogin(ApiException failure, String email, String ip) {
        String outcome = switch (failure.code()) {
            case AUTH_INVALID_CREDENTIALS -> AuditEntry.FAILURE;
            case RATE_LIMIT_EXCEEDED -> AuditEntry.THROTTLED;
            default -> null;
        };
        if (outcome != null) {
            failedLogins.record("admin.login", outcome, email, ip, RequestId.current());
        }
    }
}
