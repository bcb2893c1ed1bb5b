package dev.scalableapi.gateway.fleet;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.requestid.RequestId;
import dev.scalableapi.gateway.admin.AdminCaller;
import dev.scalableapi.gateway.audit.AuditEntry;
import dev.scalableapi.gateway.audit.AuditLog;
import dev.scalableapi.gateway.pipeline.Exchange;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Operator actions on the api replicas, through the balancer with the admin's signed identity: reset a circuit
 * breaker (the replica that gets the call resets it and tells every other replica) and clear the cache (L2 and
 * every replica's L1). Both are audited, failures included.
 */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
public class FleetActionsResource {

    private final UpstreamAdminCalls upstream;
    private final AuditLog audit;

    FleetActionsResource(UpstreamAdminCalls upstream, AuditLog audit) {
        this.upstream = upstream;
        this.audit = audit;
    }

    @POST
    @Path("circuit-breakers/{name}/reset")
    public Uni<ApiResponse<Map<String, Object>>> reset(@RestPath String name, RoutingContext rc) {
        if (name.startsWith("backend:")) {
            throw new ApiException(ErrorCode.CONFLICT, "Balancer backend breakers close on their own: the backend is "
                    + "readmitted after its ejection time once health checks pass");
        }
        return act(rc, "breaker.reset", "breaker:" + name, upstream.api(HttpMethod.POST,
                "/api/v1/internal/circuit-breakers/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/reset",
                AdminCaller.of(rc).identity()));
    }

    @POST
    @Path("cache/clear")
    public Uni<ApiResponse<Map<String, Object>>> clearCache(RoutingContext rc) {
        return act(rc, "cache.clear", "cache:resources", upstream.api(HttpMethod.POST, "/api/v1/internal/cache/clear",
                AdminCaller.of(rc).identity()));
    }

    /** Relays the api replica's answer (its envelope's data, or its error) and audits the outcome. */
    private Uni<ApiResponse<Map<String, Object>>> act(RoutingContext rc, String action, String target,
            Uni<UpstreamAdminCalls.Answer> call) {
        AdminCaller admin = AdminCaller.of(rc);
        return call.onItemOrFailure().call((answer, failure) -> {
            boolean ok = failure == null && answer.status() < 300;
            return audit.record(AuditEntry.of(admin.user().id(), admin.user().email(), action, target,
                    ok ? AuditEntry.SUCCESS : AuditEntry.FAILURE,
                    ok ? null : Map.of("status", failure == null ? answer.status() : 503),
                    Exchange.of(rc).clientIp(), RequestId.current()));
        }).map(answer -> {
            if (answer.status() >= 300) {
                throw relayedError(answer);
            }
            JsonObject data = answer.body().getJsonObject("data", new JsonObject());
            return ApiResponse.of(data.getMap());
        });
    }

    private static ApiException relayedError(UpstreamAdminCalls.Answer answer) {
        JsonObject error = answer.body().getJsonObject("error", new JsonObject());
        String message = error.getString("message", "The api replica refused the action");
        ErrorCode code;
        try {
            code = ErrorCode.valueOf(error.getString("code", "UPSTREAM_ERROR"));
        } catch (IllegalArgumentException e) {
            code = ErrorCode.UPSTREAM_ERROR;
        }
        return new ApiException(code, message);
    }
}
