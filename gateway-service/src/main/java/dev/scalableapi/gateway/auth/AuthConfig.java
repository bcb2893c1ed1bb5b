package dev.scalableapi.gateway.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Set;

@ConfigMapping(prefix = "gateway.auth")
public interface AuthConfig {

    /** Methods an anonymous caller may use on proxied routes (public reads, limited per client IP). */
    @WithDefault("GET,HEAD,OPTIONS")
    Set<String> anonymousMethods();

    /** Methods that need the {@code read} scope; every other method needs {@code write}. */
    @WithDefault("GET,HEAD,OPTIONS")
    Set<String> readMethods();
}
