package dev.scalableapi.api.resources;

import dev.scalableapi.common.errors.ApiException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The order of a list: one field, ascending or descending ({@code -}), and id after it in the same direction, so
 * that rows with equal values still have one order and a cursor names one position. Only fields with an index for
 * every filter combination (V2 migration) are offered: any other order makes PostgreSQL read and sort every
 * matching row before it can answer the first page.
 */
record ResourceSort(Field field, boolean descending) {

    static final ResourceSort DEFAULT = new ResourceSort(Field.ID, false);

    enum Field {
        ID("id", "id"),
        CREATED_AT("createdAt", "created_at"),
        NAME("name", "name");

        final String apiName;
        final String column;

        Field(String apiName, String column) {
            this.apiName = apiName;
            this.column = column;
        }

        static final String ALLOWED = Arrays.stream(values()).map(f -> f.apiName).collect(Collectors.joining(", "));
    }

    /** {@code name}, {@code -createdAt}; absent or blank is by id, ascending. */
    static ResourceSort parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT;
        }
        String spec = raw.trim();
        boolean descending = spec.startsWith("-");
        String name = descending ? spec.substring(1) : spec;
        for (Field field : Field.values()) {
            if (field.apiName.equals(name)) {
                return new ResourceSort(field, descending);
            }
        }
        throw ApiException.invalidParameter("sort", "cannot sort by '" + spec + "': lists sort by one indexed field, "
                + "one of " + Field.ALLOWED + " (prefix '-' for descending; id breaks ties)");
    }

    /** The form {@link #parse} reads: {@code -name}. */
    String spec() {
        return (descending ? "-" : "") + field.apiName;
    }

    String direction() {
        return descending ? "desc" : "asc";
    }
}
