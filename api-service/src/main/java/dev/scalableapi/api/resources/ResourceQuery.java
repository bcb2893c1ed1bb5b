package dev.scalableapi.api.resources;

import dev.scalableapi.common.errors.ApiException;
import dev.scalableapi.common.params.QueryParameters;
import java.util.regex.Pattern;

/**
 * The list endpoint's query parameters, parsed and checked; each bad one is a 400 naming it. A list is read
 * either by page number ({@code page}, bounded in depth by {@code api.resources.max-offset}) or after a
 * {@code cursor} from a previous page (any depth); {@code cursor} is null for the former.
 */
record ResourceQuery(int page, int limit, String type, Long owner, ResourceSort sort, ResourceCursor cursor) {

    private static final Pattern TYPE = Pattern.compile(ResourceInput.TYPE_PATTERN);

    static ResourceQuery parse(String page, String limit, String type, String owner, String sort, String cursor,
            ResourcesConfig config) {
        int pageSize = QueryParameters.positiveInt("limit", limit, config.defaultLimit(), config.maxLimit());
        int pageNumber = QueryParameters.positiveInt("page", page, 1, Integer.MAX_VALUE);
        if ((long) pageNumber * pageSize > config.maxOffset()) {
            throw ApiException.invalidParameter("page", "page × limit may reach row " + config.maxOffset()
                    + " at most; to read further, pass meta.pagination.nextCursor as cursor");
        }
        if (type != null && !TYPE.matcher(type).matches()) {
            throw ApiException.invalidParameter("type", ResourceInput.TYPE_MESSAGE);
        }
        Long ownerId = null;
        if (owner != null) {
            ownerId = (long) QueryParameters.positiveInt("owner", owner, 0, Integer.MAX_VALUE);
        }
        ResourceSort order = ResourceSort.parse(sort);
        ResourceCursor after = null;
        if (cursor != null && !cursor.isBlank()) {
            if (page != null && !page.isBlank()) {
                throw ApiException.invalidParameter("cursor", "cannot be combined with page");
            }
            after = ResourceCursor.decode(cursor, order);
        }
        return new ResourceQuery(pageNumber, pageSize, type, ownerId, order, after);
    }

    /** Rows before this page when read by number. */
    int offset() {
        return (page - 1) * limit;
    }
}
