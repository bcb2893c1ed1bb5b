package dev.scalableapi.common.params;

import dev.scalableapi.common.errors.ApiException;

/**
 * Numbers in query strings, read as text and checked here: a typed JAX-RS parameter that does not parse answers
 * 404 (the specification's rule for query parameters), where a client needs 400 {@code INVALID_PARAMETER} naming
 * the parameter; and a bound on every number keeps the arithmetic done with it (offsets) from overflowing.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** {@code raw} as an integer in 1..{@code max}; {@code fallback} when absent or blank. */
    public static int positiveInt(String name, String raw, int fallback, int max) {
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
            throw ApiException.invalidParameter(name,
                    max == Integer.MAX_VALUE ? "must be 1 or more" : "must be between 1 and " + max);
        }
        return value;
    }

    /** {@code raw} as a positive id, or null when absent or blank. */
    public static Long positiveId(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter(name, "must be a positive integer id");
        }
        if (value < 1) {
            throw ApiException.invalidParameter(name, "must be a positive integer id");
        }
        return value;
    }
}
