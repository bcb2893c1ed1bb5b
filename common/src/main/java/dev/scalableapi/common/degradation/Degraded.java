package dev.scalableapi.common.degradation;

/**
 * How a service marks the answers it gives without a dependency (api-service while PostgreSQL is unreachable):
 * a 200 may hold data that is no longer current, and a 503 is the dependency's failure, shared by every replica,
 * not the replica's own — so the balancer neither ejects nor retries it, and a readiness answer with the mark
 * shows the replica as degraded, still serving.
 */
public final class Degraded {

    public static final String HEADER = "X-Degraded";
    public static final String DATABASE_UNAVAILABLE = "database-unavailable";

    private Degraded() {
    }
}
