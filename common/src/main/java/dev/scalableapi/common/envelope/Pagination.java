package dev.scalableapi.common.envelope;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record Pagination(int page, int limit, long total, boolean hasMore) {

    public static Pagination of(int page, int limit, long total) {
        return new Pagination(page, limit, total, (long) page * limit < total);
    }
}
