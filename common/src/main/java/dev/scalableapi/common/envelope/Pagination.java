package dev.scalableapi.common.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Paging in {@code meta.pagination}. Page-numbered lists carry {@code page} and {@code total}; keyset lists
 * (logs, audit: newest first, stable under inserts) carry {@code nextCursor} instead, to be passed back as
 * {@code cursor} for the following page.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Pagination(Integer page, int limit, Long total, boolean hasMore, String nextCursor) {

    public static Pagination of(int page, int limit, long total) {
        return new Pagination(page, limit, total, (long) page * limit < total, null);
    }

    public static Pagination keyset(int limit, String nextCursor) {
        return new Pagination(null, limit, null, nextCursor != null, nextCursor);
    }
}
