package dev.scalableapi.gateway.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Set;

@ConfigMapping(prefix = "gateway.auth")
public interface AuthConfig {

    /** Methods an anonymous caller may use on proxied routes (public reads, limited per client IP). */
    @WithDefault("GET,HEAD,OPTIONS")
    Set<String> anonymousMethods();

    /** Methods that need the {@code read} scope; every other method needs {@code write}. */
    @WithDefault("GET,HEAD,OPTIONS")
    Set<String> readMethods();

    /**
     * Unknown credentials a client address may present per window before its uncached credentials are refused
     * (429) without a lookup ({@link FailedCredentialLimit}).
     */
    @WithDefault("20")
    int failedCredentialsPerAddress();

    @WithDefault("1m")
    Duration failedCredentialsWindow();
}
