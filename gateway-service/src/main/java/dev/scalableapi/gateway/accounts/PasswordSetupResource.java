package dev.scalableapi.gateway.accounts;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.requestid.RequestId;
import dev.scalableapi.gateway.audit.AuditEntry;
import dev.scalableapi.gateway.audit.AuditLog;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/auth/password}: a user an admin created without a password sets one with the one-time token
 * the admin was shown ({@link PasswordSetup}), then signs in as usual. Anonymous, and limited per client address
 * like the login routes ({@link LoginRateLimitFilter}). The password follows {@link PasswordPolicy} (422 naming
 * {@code password}); audited as {@code auth.invitation}.
 */
@Path("/api/v1/auth/password")
@Produces(MediaType.APPLICATION_JSON)
public class PasswordSetupResource {

    private final PasswordSetup setup;
    private final PasswordPolicy policy;
    private final Passwords passwords;
    private final UserStore users;
    private final AuditLog audit;

    PasswordSetupResource(PasswordSetup setup, PasswordPolicy policy, Passwords passwords, UserStore users,
            AuditLog audit) {
        this.setup = setup;
        this.policy = policy;
        this.passwords = passwords;
        this.users = users;
        this.audit = audit;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ApiResponse<Map<String, Object>>> set(@Valid @NotNull SetPasswordRequest body, RoutingContext rc) {
        policy.weakness(body.password()).ifPresent(problem -> {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The password " + problem,
                    Map.of("password", List.of(problem)), null);
        });
        // The token is checked before bcrypt runs, so a guessed token costs no hashing.
        return setup.userOf(body.token())
                .flatMap(userId -> passwords.hashed(body.password()))
                .flatMap(hash -> setup.complete(body.token(), hash))
                .flatMap(users::byId)
                .call(user -> audit.record(AuditEntry.of(user.map(UserAccount::id).orElse(null),
                        user.map(UserAccount::email).orElse(null), "auth.invitation", null, AuditEntry.SUCCESS,
                        null, Exchange.of(rc).clientIp(), RequestId.current())))
                .map(user -> {
                    rc.response().putHeader("Cache-Control", "no-store");
                    return ApiResponse.of(Map.<String, Object>of("passwordSet", true,
                            "email", user.map(UserAccount::email).orElse("")));
                });
    }
}
