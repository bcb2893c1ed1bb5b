package dev.scalableapi.gateway.users;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.envelope.Pagination;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.params.QueryParameters;
import dev.scalableapi.common.requestid.RequestId;
import dev.scalableapi.gateway.accounts.PasswordPolicy;
import dev.scalableapi.gateway.accounts.Passwords;
import dev.scalableapi.gateway.admin.AdminCaller;
import dev.scalableapi.gateway.audit.AuditEntry;
import dev.scalableapi.gateway.audit.AuditLog;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Users (operators and API consumers) for admins: list with an email search, create (with a password, or with a
 * one-time set-password token shown once), and change tier, role and status. Disabling a user or changing the role
 * or tier ends the user's tokens and sessions and reaches the user's keys on every replica within seconds (the
 * {@code users} triggers, {@code credentials/CredentialChanges}). An admin cannot demote or disable themselves
 * (409 {@code CONFLICT}), so the caller always keeps a way back in. Creations and changes are audited
 * ({@code user.create}, {@code user.update}), never with a password or token.
 */
@Path("/api/v1/admin/users")
@Produces(MediaType.APPLICATION_JSON)
public class UserAdminResource {

    /** Deep enough for any user list; keeps (page - 1) × limit far from overflowing. */
    private static final int MAX_PAGE = 100_000;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final String TOKEN_WARNING = "Hand this token to the user now: it is shown only once. They set "
            + "their password with POST /api/v1/auth/password {token, password} before it expires.";

    private final UserDirectory directory;
    private final Passwords passwords;
    private final PasswordPolicy policy;
    private final AuditLog audit;

    UserAdminResource(UserDirectory directory, Passwords passwords, PasswordPolicy policy, AuditLog audit) {
        this.directory = directory;
        this.passwords = passwords;
        this.policy = policy;
        this.audit = audit;
    }

    /** @param q a case-insensitive substring of the email */
    @GET
    public Uni<ApiResponse<List<UserView>>> list(@RestQuery String page, @RestQuery String limit,
            @RestQuery String q) {
        int pageNumber = QueryParameters.positiveInt("page", page, 1, MAX_PAGE);
        int pageSize = QueryParameters.positiveInt("limit", limit, 20, 100);
        if (q != null && q.length() > 100) {
            throw ApiException.invalidParameter("q", "must be at most 100 characters");
        }
        String search = q == null || q.isBlank() ? null : q.trim().toLowerCase(Locale.ROOT);
        return directory.page(search, pageNumber, pageSize)
                .map(found -> ApiResponse.page(found.users(), Pagination.of(pageNumber, pageSize, found.total())));
    }

    @GET
    @Path("{id}")
    public Uni<ApiResponse<UserView>> get(@RestPath long id) {
        return directory.byId(id)
                .map(found -> ApiResponse.of(found.orElseThrow(() -> ApiException.notFound("User " + id))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@Valid @NotNull NewUserRequest body, RoutingContext rc) {
        AdminCaller admin = AdminCaller.of(rc);
        String email = body.email().trim().toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(email).matches()) {
            throw invalid("email", "must be an email address such as name@example.com");
        }
        if (body.password() != null) {
            policy.weakness(body.password()).ifPresent(problem -> {
                throw invalid("password", problem);
            });
        }
        String role = body.role() == null ? "user" : body.role();
        String tier = body.tier() == null ? "free" : body.tier();
        Uni<String> hash = body.password() == null ? Uni.createFrom().nullItem() : passwords.hashed(body.password());
        return hash.flatMap(passwordHash -> directory.create(email, passwordHash, role, tier))
                .map(created -> created.orElseThrow(() -> new ApiException(ErrorCode.CONFLICT,
                        "A user with this email exists", Map.of("email", List.of("is already in use")), null)))
                .call(created -> audit.record(AuditEntry.of(admin.user().id(), admin.user().email(), "user.create",
                        "user:" + created.user().id(), AuditEntry.SUCCESS,
                        Map.of("email", email, "role", role, "tier", tier, "invited", body.password() == null),
                        Exchange.of(rc).clientIp(), RequestId.current())))
                .map(created -> Response.status(Response.Status.CREATED)
                        .header("Cache-Control", "no-store")
                        .header("Location", "/api/v1/admin/users/" + created.user().id())
                        .entity(ApiResponse.of(created.setup()
                                .map(setup -> new UserView.Created(created.user(), setup.token(), setup.expiresAt(),
                                        TOKEN_WARNING))
                                .orElseGet(() -> new UserView.Created(created.user(), null, null, null))))
                        .build());
    }

    /** Only what changes is written and audited: a PATCH that changes nothing answers the user as it is. */
    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ApiResponse<UserView>> change(@RestPath long id, @Valid @NotNull UserChangeRequest body,
            RoutingContext rc) {
        AdminCaller admin = AdminCaller.of(rc);
        if (body.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Nothing to change: send tier, role or status",
                    Map.of("tier", List.of("one of tier, role, status is required")), null);
        }
        if (id == admin.user().id() && ("user".equals(body.role()) || "disabled".equals(body.status()))) {
            throw new ApiException(ErrorCode.CONFLICT, "You cannot demote or disable your own account; "
                    + "another admin can", Map.of("user".equals(body.role()) ? "role" : "status",
                    List.of("cannot be changed on your own account")), null);
        }
        return directory.change(id, body)
                .map(found -> found.orElseThrow(() -> ApiException.notFound("User " + id)))
                .call(changed -> changed.changes().isEmpty() ? Uni.createFrom().voidItem()
                        : audit.record(AuditEntry.of(admin.user().id(), admin.user().email(), "user.update",
                                "user:" + id, AuditEntry.SUCCESS, new LinkedHashMap<>(changed.changes()),
                                Exchange.of(rc).clientIp(), RequestId.current())))
                .map(changed -> ApiResponse.of(changed.user()));
    }

    private static ApiException invalid(String field, String why) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, "The " + field + " " + why, Map.of(field, List.of(why)),
                null);
    }
}
