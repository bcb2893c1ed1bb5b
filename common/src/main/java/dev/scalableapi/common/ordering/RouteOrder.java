package dev.scalableapi.common.ordering;

/**
 * Where every filter and route of the services sits, in one place and without ties (two filters of equal priority
 * run in whichever order Vert.x happens to keep). Each service registers only the ones it has.
 * <p>
 * Filters ({@code Filters.register(handler, priority)}) run on every request before any route, the highest
 * priority first.
 */
public final class RouteOrder {

    /**
     * Route template tag for {@code http.server.requests}: first, so even the answers the filters below give
     * themselves (a 413) are measured under a bounded {@code uri}.
     */
    public static final int ROUTE_TEMPLATE_TAG = 20_000;
    /** Request id: before everything that logs or answers, so all of it carries the id. */
    public static final int REQUEST_ID = 10_000;
    /**
     * api-service's degraded mark ({@code X-Degraded} while PostgreSQL is unreachable): before anything that
     * answers, so every answer carries it.
     */
    public static final int DEGRADED_MARK = 9_800;
    /**
     * Gateway caller: who calls (the credential presented) and from where (the client address behind trusted
     * proxies), resolved once for every route, before the request log and anything that answers.
     */
    public static final int CALLER = 9_700;
    /** Gateway request log: after the request id (its rows carry it), before any refusal (refusals are logged). */
    public static final int REQUEST_LOG = 9_500;
    /** Gateway security headers: before the size limits, so their refusals carry them too. */
    public static final int SECURITY_HEADERS = 9_400;
    /**
     * A target that is not a valid URI (Quarkus' own check, taken over to answer with the envelope): after
     * everything that logs or marks an answer, before anything that reads the path as decoded.
     */
    public static final int MALFORMED_TARGET = 9_200;
    /**
     * Request line and header limits: the first filter that may answer (414, 431) instead of passing the request
     * on, after everything that logs or marks an answer.
     */
    public static final int REQUEST_HEAD_LIMIT = 9_100;
    /** Body-size limit (413): a declared body is refused before any of it is read. */
    public static final int BODY_SIZE_LIMIT = 9_000;
    /** api-service's {@code X-Served-By}: only on requests that got past the limit. */
    public static final int SERVED_BY = 8_000;
    /** api-service's deprecation headers: last, they depend on nothing above. */
    public static final int DEPRECATION = 7_000;

    /*
     * Routes (Router.route().order(n)) run after the filters, the lowest order first; Quarkus REST's own route
     * comes after these.
     */

    /** Failure handler turning Vert.x Web's bare 404 for a target that is not a path into the envelope. */
    public static final int NOT_A_PATH = -1_000;
    /** {@code /q/…} on the traffic port: 404 envelope (health, metrics and OpenAPI are on the management port). */
    public static final int MANAGEMENT_PATHS = 0;
    /** The proxy route (gateway: {@code /api/…}; balancer: everything but {@code /lb} and {@code /q}). */
    public static final int PROXY = 1;
    /** The gateway dashboard's client-side routes: never {@code /api}, so after the proxy without overlap. */
    public static final int DASHBOARD = 2;

    private RouteOrder() {
    }
}
