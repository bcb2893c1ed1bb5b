package dev.scalableapi.api.cache;

/** Value of the {@code X-Cache} response header. */
public enum CacheStatus {
    HIT_L1("HIT-L1"),
    HIT_L2("HIT-L2"),
    MISS("MISS"),
    /** Served from a stale L2 copy because PostgreSQL could not be reached. */
    STALE("STALE"),
    BYPASS("BYPASS");

    public static final String HEADER = "X-Cache";

    private final String header;

    CacheStatus(String header) {
        this.header = header;
    }

    public String header() {
        return header;
    }
}
