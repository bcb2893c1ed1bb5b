package dev.scalableapi.gateway.accounts;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.requestid.RequestId;
import dev.scalableapi.gateway.audit.AuditEntry;
import dev.scalableapi.gateway.audit.AuditLog;
import dev.scalableapi.gateway.audit.FailedLoginAudit;
import dev.scalableapi.gateway.pipeline.Credential;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** User logins for API consumers and scripts: an opaque bearer token, revoked by logout. */
@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    @RegisterForReflection
    public record TokenView(String token, String tokenType, long expiresIn, UserAccount user) {
    }

    private static final String ACTION = "auth.login";

    private final Login login;
    private final TokenStore tokens;
    private final AuditLog audit;
    private final FailedLoginAudit failedLogins;
    private final AccountsConfig config;

    AuthResource(Login login, TokenStore tokens, AuditLog audit, FailedLoginAudit failedLogins,
            AccountsConfig config) {
        this.login = login;
        this.tokens = tokens;
        this.audit = audit;
        this.failedLogins = failedLogins;
        this.config = config;
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ApiResponse<TokenView>> login(@Valid @NotNull LoginRequest body, RoutingContext rc) {
        String ip = Exchange.of(rc).clientIp();
        return login.authenticate(body.email(), body.password(), Exchange.of(rc).clientNetwork())
                .flatMap(signedIn -> tokens.issue(signedIn.user(), signedIn.identityVersion())
                        .call(() -> audited(signedIn.user().id(), body.email(), AuditEntry.SUCCESS, ip))
                        .map(token -> new TokenView(token, "Bearer", config.tokenTtl().toSeconds(),
                                signedIn.user())))
                .onFailure(ApiException.class).invoke(failure -> {
                    ErrorCode code = ((ApiException) failure).code();
                    if (code == ErrorCode.AUTH_INVALID_CREDENTIALS || code == ErrorCode.RATE_LIMIT_EXCEEDED) {
                        failedLogins.record(ACTION, code == ErrorCode.RATE_LIMIT_EXCEEDED ? AuditEntry.THROTTLED
                                : AuditEntry.FAILURE, body.email(), ip, RequestId.current());
                    }
                })
                .map(view -> {
                    rc.response().putHeader("Cache-Control", "no-store");
                    return ApiResponse.of(view);
                });
    }

    /** Revokes the presented token on every replica at once (there is no local copy of tokens). */
    @POST
    @Path("logout")
    public Uni<ApiResponse<Map<String, Boolean>>> logout(RoutingContext rc) {
        Credential presented = Exchange.of(rc).credential();
        if (presented == null || !presented.isUserToken()) {
            throw new ApiException(ErrorCode.AUTH_REQUIRED, "Send the token to sign out in 'Authorization: Bearer'");
        }
        return tokens.revoke(presented.value()).map(existed -> {
            if (!existed) {
                throw new ApiException(ErrorCode.AUTH_REQUIRED, "The token is invalid, expired or signed out");
            }
            return ApiResponse.of(Map.of("signedOut", true));
        });
    }

    private Uni<Void> audited(Long userId, String email, String outcome, String ip) {
        return audit.record(AuditEntry.of(userId, email, ACTION, null, outcome, null, ip, RequestId.current()));
    }
}
