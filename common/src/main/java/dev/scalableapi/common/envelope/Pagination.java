package dev.scalableapi.common.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Paging in {@code meta.pagination}. Page-numbered lists carry {@code page} and {@code total}; keyset lists
 * (logs, audit: newest first, stable under inserts) carry {@code nextCursor} instead, to be passed back as
 * {@code cursor} for the following page. A list whose count is bounded says {@code totalCapped}: true when
 * {@code total} is the bound (at least that many rows), not the exact count. A page-numbered list may carry a
 * {@code nextCursor} too, to go on past its deepest page.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Pagination(Integer page, int limit, Long total, Boolean totalCapped, boolean hasMore,
        String nextCursor) {

    public static Pagination of(int page, int limit, long total) {
        return new Pagination(page, limit, total, null, (long) page * limit < total, null);
    }

    public static Pagination keyset(int limit, String nextCursor) {
        return new Pagination(null, limit, null, null, nextCursor != null, nextCursor);
    }

    /** A numbered page whose total was counted up to {@code total}; capped when more rows exist. */
    public static Pagination cappedTotal(int page, int limit, long total, boolean capped, String nextCursor) {
        return new Pagination(page, limit, total, capped, nextCursor != null, nextCursor);
    }
}
