package dev.scalableapi.balancer.outlier;

/** A backend's outlier state, a per-backend circuit breaker. The ordinal is the {@code balancer_backend_ejected} gauge. */
public enum Ejection {
    CLOSED, OPEN, HALF_OPEN
}
