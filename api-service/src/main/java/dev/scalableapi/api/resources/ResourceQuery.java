package dev.scalableapi.api.resources;

import dev.scalableapi.common.errors.ApiException;
import io.quarkus.panache.common.Sort;
import java.util.Map;
import java.util.regex.Pattern;

/** The list endpoint's query parameters, parsed and checked; each bad one is a 400 naming it. */
record ResourceQuery(int page, int limit, String type, Long owner, Sort sort) {

    private static final Pattern TYPE = Pattern.compile(ResourceInput.TYPE_PATTERN);
    /** API name → column, so clients sort by what they see and nothing else reaches the query. */
    private static final Map<String, String> SORTABLE = Map.of(
            "id", "id", "name", "name", "type", "type", "createdAt", "createdAt", "updatedAt", "updatedAt");

    static ResourceQuery parse(String page, String limit, String type, String owner, String sort,
            ResourcesConfig config) {
        int pageNumber = positiveInt("page", page, 1, Integer.MAX_VALUE / config.maxLimit());
        int pageSize = positiveInt("limit", limit, config.defaultLimit(), config.maxLimit());
        if (type != null && !TYPE.matcher(type).matches()) {
            throw ApiException.invalidParameter("type", ResourceInput.TYPE_MESSAGE);
        }
        Long ownerId = null;
        if (owner != null) {
            ownerId = (long) positiveInt("owner", owner, 0, Integer.MAX_VALUE);
        }
        return new ResourceQuery(pageNumber, pageSize, type, ownerId, parseSort(sort));
    }

    private static int positiveInt(String name, String raw, int fallback, int max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter(name, "must be an integer");
        }
        if (value < 1 || value > max) {
            throw ApiException.invalidParameter(name, "must be between 1 and " + max);
        }
        return value;
    }

    /** {@code name}, {@code -createdAt} or a comma list of them; id breaks ties so pages are stable. */
    private static Sort parseSort(String raw) {
        Sort sort = null;
        boolean hasId = false;
        if (raw != null && !raw.isBlank()) {
            for (String part : raw.split(",")) {
                String field = part.trim();
                boolean descending = field.startsWith("-");
                String name = descending ? field.substring(1) : field;
                String column = SORTABLE.get(name);
                if (column == null) {
                    throw ApiException.invalidParameter("sort",
                            "unknown field '" + name + "'; use one of " + String.join(", ", SORTABLE.keySet()));
                }
                hasId |= column.equals("id");
                Sort.Direction direction = descending ? Sort.Direction.Descending : Sort.Direction.Ascending;
                sort = sort == null ? Sort.by(column, direction) : sort.and(column, direction);
            }
        }
        if (sort == null) {
            return Sort.by("id");
        }
        return hasId ? sort : sort.and("id");
    }
}
