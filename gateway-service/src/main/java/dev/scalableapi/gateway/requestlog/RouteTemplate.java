package dev.scalableapi.gateway.requestlog;

import dev.scalableapi.gateway.storage.StorableText;
import java.util.regex.Pattern;

/**
 * Turns a request path into a low-cardinality route for the log: numeric and UUID-looking segments (and long hex
 * ids) become {@code {id}}, the query is dropped, the result is made storable and cut to the column's 200 characters.
 */
final class RouteTemplate {

    static final String ID = "{id}";

    private static final Pattern NUMERIC = Pattern.compile("\\d+");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Hashes and object ids: 16 or more hex characters with at least one digit (so plain words survive). */
    private static final Pattern LONG_HEX = Pattern.compile("(?=[^/]*\\d)[0-9a-fA-F]{16,}");

    private RouteTemplate() {
    }

    static String of(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        int query = path.indexOf('?');
        String bare = query >= 0 ? path.substring(0, query) : path;
        StringBuilder route = new StringBuilder(Math.min(bare.length(), RequestLogRecord.ROUTE_MAX + 8));
        int start = 0;
        while (start <= bare.length() && route.length() <= RequestLogRecord.ROUTE_MAX) {
            int slash = bare.indexOf('/', start);
            int end = slash < 0 ? bare.length() : slash;
            String segment = bare.substring(start, end);
            route.append(isId(segment) ? ID : segment);
            if (slash < 0) {
                break;
            }
            route.append('/');
            start = slash + 1;
        }
        return StorableText.of(route.toString(), RequestLogRecord.ROUTE_MAX);
    }

    private static boolean isId(String segment) {
        return !segment.isEmpty() && (NUMERIC.matcher(segment).matches() || UUID.matcher(segment).matches()
                || LONG_HEX.matcher(segment).matches());
    }
}
