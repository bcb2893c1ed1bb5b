package dev.scalableapi.api.versioning;

import dev.scalableapi.common.ordering.RouteOrder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * Marks every response of a deprecated API version with {@code Deprecation} (RFC 9745: {@code @<epoch seconds>}),
 * {@code Sunset} (RFC 8594: an HTTP-date) and a {@code Link} to the version list.
 */
@ApplicationScoped
public class DeprecationFilter {

    private final Map<String, String[]> headersByPrefix = new HashMap<>();

    DeprecationFilter(VersionConfig config) {
        config.deprecated().forEach((version, deprecation) -> headersByPrefix.put("/api/" + version + "/",
                new String[] {
                    "@" + deprecation.since().atStartOfDay(ZoneOffset.UTC).toEpochSecond(),
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(deprecation.sunset().atStartOfDay(ZoneOffset.UTC))
                }));
    }

    void register(@Observes Filters filters) {
        if (headersByPrefix.isEmpty()) {
            return;
        }
        filters.register(rc -> {
            String path = rc.normalizedPath();
            for (Map.Entry<String, String[]> entry : headersByPrefix.entrySet()) {
                if (path.startsWith(entry.getKey())) {
                    rc.response().headers()
                            .set("Deprecation", entry.getValue()[0])
                            .set("Sunset", entry.getValue()[1])
                            .add("Link", "</api/version>; rel=\"deprecation\"");
                    break;
                }
            }
            rc.next();
        }, RouteOrder.DEPRECATION);
    }
}
