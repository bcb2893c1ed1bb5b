package dev.scalableapi.api.versioning;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * API versions: which one is current, which are still served, and which of those are deprecated (with the date
 * they were deprecated and the date they stop being served), e.g.
 * {@code api.versions.deprecated.v1.since=2027-01-01} and {@code api.versions.deprecated.v1.sunset=2027-07-01}.
 */
@ConfigMapping(prefix = "api.versions")
public interface VersionConfig {

    @WithDefault("v1")
    String current();

    @WithDefault("v1")
    List<String> supported();

    Map<String, Deprecation> deprecated();

    interface Deprecation {
        LocalDate since();

        LocalDate sunset();
    }
}
