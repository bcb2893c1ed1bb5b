package dev.scalableapi.gateway.paging;

import dev.scalableapi.common.envelope.ApiResponse;
import dev.scalableapi.common.envelope.Pagination;
import dev.scalableapi.common.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Position in a newest-first list ordered by (time, id): the last row of a page. Opaque to clients
 * (base64url); a page after it is {@code where (occurred_at, id) < (cursor)}, so rows inserted meanwhile never
 * shift pages and no row is skipped or repeated.
 */
public record KeysetCursor(Instant occurredAt, long id) {

    public String encode() {
        String plain = occurredAt.getEpochSecond() + "." + occurredAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The answer for a page read with {@code limit + 1} rows newest first: at most {@code limit} rows, and the
     * cursor after the last one when the extra row shows that more exist.
     */
    public static <T> ApiResponse<List<T>> page(List<T> rows, int limit, Function<T, KeysetCursor> position) {
        boolean more = rows.size() > limit;
        List<T> page = more ? rows.subList(0, limit) : rows;
        String next = more ? position.apply(page.get(page.size() - 1)).encode() : null;
        return ApiResponse.page(page, Pagination.keyset(limit, next));
    }

    /** Null for a null or empty cursor (the first page); 400 {@code INVALID_PARAMETER} for a damaged one. */
    public static KeysetCursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            int dot = plain.indexOf('.');
            if (colon < 0 || dot < 0 || dot > colon) {
                throw new IllegalArgumentException(plain);
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(plain.substring(0, dot)),
                    Long.parseLong(plain.substring(dot + 1, colon)));
            return new KeysetCursor(at, Long.parseLong(plain.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw ApiException.invalidParameter("cursor", "is not a cursor returned by this API");
        }
    }
}
