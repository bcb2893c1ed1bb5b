package dev.scalableapi.gateway.fleet;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.errors.ErrorCode;
import dev.scalableapi.common.identity.Identity;
import dev.scalableapi.common.identity.IdentityHeaders;
import dev.scalableapi.common.requestid.RequestId;
import dev.scalableapi.gateway.upstream.BalancerCluster;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The admin API's own calls behind the gateway: the balancer's {@code /lb/status}, and api-service's internal
 * admin routes (through the balancer, with the admin's signed identity), over the proxy's pooled connections. Each
 * balancer is tried in turn, in the cluster's failover order; a call that gets no answer is a 503
 * {@code UPSTREAM_UNAVAILABLE}.
 */
@ApplicationScoped
public class UpstreamAdminCalls {

    /** An upstream answer: status and JSON body (the envelope). */
    public record Answer(int status, JsonObject body) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final BalancerCluster balancers;
    private final HttpClient client;
    private static final Logger LOG = Logger.getLogger(UpstreamAdminCalls.class);

    private final IdentityHeaders identity;

    UpstreamAdminCalls(BalancerCluster balancers, IdentityHeaders identity) {
        this.balancers = balancers;
        this.client = HttpClient.newInstance(balancers.client());
        this.identity = identity;
    }

    /** The balancer's view of its backends ({@code data} of {@code /lb/status}). */
    public Uni<JsonObject> balancerStatus() {
        return call(HttpMethod.GET, "/lb/status", null, balancers.firstIndex(), 0).map(answer -> answer.body().getJsonObject("data"));
    }

    /** An api-service internal route, as {@code caller}. */
    public Uni<Answer> api(HttpMethod method, String path, Identity caller) {
        return call(method, path, caller, balancers.firstIndex(), 0);
    }

    private Uni<Answer> call(HttpMethod method, String path, Identity caller, int first, int tried) {
        BalancerCluster.Balancer balancer = balancers.balancer(first, tried);
        RequestOptions options = new RequestOptions().setMethod(method)
                .setHost(balancer.host()).setPort(balancer.port()).setURI(path)
                .setTimeout(TIMEOUT.toMillis())
                .putHeader("Accept", "application/json");
        String requestId = RequestId.current();
        if (requestId != null) {
            options.putHeader(RequestId.HEADER, requestId);
        }
        if (caller != null) {
            identity.sign(caller, method.name(), path, System.currentTimeMillis() / 1000).forEach(options::putHeader);
        }
        return client.request(options)
                .flatMap(request -> request.send())
                .flatMap(response -> response.body().map(body -> new Answer(response.statusCode(),
                        body.length() == 0 ? new JsonObject() : body.toJsonObject())))
                .onFailure().recoverWithUni(failure -> {
                    if (tried + 1 < balancers.size()) {
                        return call(method, path, caller, first, tried + 1);
                    }
                    // the cause names internal hosts and ports: for the log, not for the client
                    LOG.warnf("No balancer answered %s %s: %s", method, path, failure.toString());
                    return Uni.createFrom().failure(new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE,
                            "The balancer did not answer; try again shortly", Map.of(), 5L));
                });
    }
}
